"""Every catalog provider signs in through `Auth()` against the mock IdP serving that
provider's recorded response shapes (`authcore.testing.Scripted`), and fails cleanly on its
documented error shapes. A provider joins by adding `fixtures/<id>.json`
(see catalog_fixtures.py).

Marked `e2e` (whole sign-in flows over real HTTP): `scripts/test` runs them, the fast loop
`scripts/check` does not."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from authcore.providers import provider_factory
from authcore.testing import MockIdP
from tests.providers.catalog.catalog_fixtures import ProviderFixture, load_fixtures
from tests.support.catalog import SignIn

FIXTURES = load_fixtures()
IDS = [f.id for f in FIXTURES]
BIG_ID = 2**63 - 1  # a 64-bit id a float would round

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_sign_in(mock_idp: MockIdP, http: httpx.Client, fixture: ProviderFixture) -> None:
    flow = SignIn(mock_idp, http, fixture)
    flow.assert_signed_in(flow.run(), fixture.user)
    flow.assert_client_auth()
    userinfo = [r for r in mock_idp.requests if r.path.startswith("/scripted/userinfo")]
    assert bool(userinfo) == (not flow.uses_claims)


@pytest.mark.parametrize(
    "fixture", [f for f in FIXTURES if f.numeric_id], ids=[f.id for f in FIXTURES if f.numeric_id]
)
def test_64_bit_id_kept_exact(
    mock_idp: MockIdP, http: httpx.Client, fixture: ProviderFixture
) -> None:
    flow = SignIn(mock_idp, http, fixture)
    assert fixture.numeric_id is not None
    _put(flow.profile(), fixture.numeric_id, BIG_ID)
    # the picture URL may embed the id (EVE Online), so only the id is compared
    flow.assert_signed_in(flow.run(), {"id": str(BIG_ID)}, shown=())


@pytest.mark.parametrize(
    "fixture",
    [f for f in FIXTURES if f.without_optional],
    ids=[f.id for f in FIXTURES if f.without_optional],
)
def test_missing_optional_fields(
    mock_idp: MockIdP, http: httpx.Client, fixture: ProviderFixture
) -> None:
    flow = SignIn(mock_idp, http, fixture)
    assert fixture.without_optional is not None
    profile = flow.profile()
    for path in fixture.without_optional["remove"]:
        *parents, key = path.split(".")
        holder = profile
        for parent in parents:
            holder = holder[parent]
        assert key in holder, f"{fixture.id}: {path!r} is not in the recorded profile"
        del holder[key]
    flow.assert_signed_in(flow.run(), {**fixture.user, **fixture.without_optional["user"]})


def _error_cases() -> list[Any]:
    return [
        pytest.param(f, endpoint, id=f"{f.id}-{endpoint}")
        for f in FIXTURES
        for endpoint in sorted(f.errors)
    ]


@pytest.mark.parametrize(("fixture", "endpoint"), _error_cases())
def test_documented_error_is_refused(
    mock_idp: MockIdP, http: httpx.Client, fixture: ProviderFixture, endpoint: str
) -> None:
    flow = SignIn(mock_idp, http, fixture)
    error = fixture.errors[endpoint]
    if endpoint == "token":
        mock_idp.scripted.token = copy.deepcopy(error["body"])
        mock_idp.scripted.token_status = error["status"]
    else:
        assert endpoint == "userinfo" and not flow.uses_claims
        mock_idp.scripted.userinfo = copy.deepcopy(error["body"])
        mock_idp.scripted.userinfo_status = error["status"]
    flow.assert_refused(flow.run(), endpoint)


def _put(profile: dict[str, Any], path: str, value: Any) -> None:
    """Set a dotted path (`data.id`) of a profile."""
    *parents, key = path.split(".")
    for parent in parents:
        profile = profile[parent]
    profile[key] = value


def _numbers(value: Any, path: str = "") -> list[tuple[str, int]]:
    """Every JSON number (an int) of a profile, by dotted path."""
    if isinstance(value, dict):
        return [hit for k, v in value.items() for hit in _numbers(v, f"{path}{k}.")]
    if isinstance(value, int) and not isinstance(value, bool):
        return [(path.rstrip("."), value)]
    return []


def test_every_fixture_is_covered() -> None:
    """A fixture without error shapes or the optional-field case would silently test less:
    each has the documented token error (and userinfo error, when it reads userinfo), a user
    without email or picture, and, when the
    mapper takes its id from a JSON number, that field named for the 64-bit test."""
    for fixture in FIXTURES:
        assert "token" in fixture.errors, fixture.id
        provider = fixture.provider()
        if not (provider.type == "oidc" and getattr(provider, "id_token", True)):
            assert "userinfo" in fixture.errors, f"{fixture.id}: no userinfo error shape"
        assert fixture.without_optional and fixture.without_optional["remove"], fixture.id
        assert fixture.source.startswith("https://"), fixture.id
        assert provider_factory(fixture.id) is fixture.factory(), f"{fixture.id} not registered"
        mapper = provider.profile or provider.default_profile
        profile = fixture.profile(provider)
        id_fields = []
        for path, _ in _numbers(profile):
            changed = copy.deepcopy(profile)
            _put(changed, path, BIG_ID)
            user = mapper(changed, dict(fixture.token))
            assert isinstance(user, dict)  # the catalog's mappers are plain functions
            if str(user.get("id")) == str(BIG_ID):
                id_fields.append(path)
        assert id_fields == ([fixture.numeric_id] if id_fields else []), (
            f"{fixture.id}: the id comes from the number at {id_fields}: set numeric_id"
        )
