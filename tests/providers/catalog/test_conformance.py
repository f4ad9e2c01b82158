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
from tests.support.oauth import ORIGIN

FIXTURES = load_fixtures()
IDS = [f.id for f in FIXTURES]
BIG_ID = 2**63 - 1  # a 64-bit id a float would round

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_sign_in(mock_idp: MockIdP, http: httpx.Client, fixture: ProviderFixture) -> None:
    flow = SignIn(mock_idp, http, fixture)
    flow.assert_signed_in(flow.run(), fixture.user)
    token = mock_idp.requests_to("/scripted/token")[-1]
    if flow.provider.token_endpoint_auth_method == "client_secret_post":
        assert token.basic_auth is None
        assert token.form["client_secret"] == "client-secret"
    else:
        assert token.basic_auth == ("client-id", "client-secret")
        assert "client_secret" not in token.form
    assert token.form["redirect_uri"] == f"{ORIGIN}/api/auth/callback/{fixture.id}"
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
    flow.profile()[fixture.numeric_id] = BIG_ID
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


def test_every_fixture_is_covered() -> None:
    """A fixture without error shapes or the optional-field case would silently test less."""
    for fixture in FIXTURES:
        assert "token" in fixture.errors, fixture.id
        assert fixture.without_optional and fixture.without_optional["remove"], fixture.id
        assert fixture.source.startswith("https://"), fixture.id
        assert provider_factory(fixture.id) is fixture.factory(), f"{fixture.id} not registered"
