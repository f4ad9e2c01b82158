"""Each catalog provider against the real `@auth/core@0.41.3` provider of the same id.

The Node worker loads `@auth/core/providers/<id>.js`, normalises it with Auth.js's own
`parseProviders` and runs its `profile()` on the fixture's recorded profile. authcore's
provider must agree on the user (`id`, `name`, `email`, `image`), the endpoints, issuer,
type, checks, client authentication and the authorization parameters, except where the
fixture lists a documented difference (docs/differences.md). Model-wide rules, the same for
every provider, are applied here rather than listed per fixture:

* Auth.js adds `scope=openid profile email` to any provider without a scope; authcore adds
  it only for OpenID Connect, at sign-in (a plain OAuth 2 provider gets no invented scope).
* authcore always checks `state` and, for OpenID Connect, the `nonce`, on top of Auth.js's
  checks (`["pkce"]` unless the provider says otherwise).
* a provider's own `client_id` authorization parameter is the protocol's, which authcore
  always sends.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import httpx
import pytest

from authcore._flow import drive_sync
from authcore.oauth import begin_signin
from authcore.providers._registry import builtin_index
from authcore.providers.oauth import Endpoint, OAuthProvider
from tests.providers.catalog.catalog_fixtures import ProviderFixture, load_fixtures
from tests.support.oauth import ORIGIN, SECRET, make_env

from .node_bridge import NODE_DIR, NodeWorker

pytestmark = pytest.mark.interop

FIXTURES = load_fixtures()
IDS = [f.id for f in FIXTURES]
USER_KEYS = ("id", "name", "email", "image")
AUTHJS_DEFAULT_SCOPE = "openid profile email"


def _authjs(authjs: NodeWorker, fixture: ProviderFixture, **params: Any) -> dict[str, Any]:
    file = fixture.authjs_file or fixture.id
    return authjs.call_ok("v5.provider", id=file, options=fixture.options, **params)


def _endpoint(endpoint: Endpoint) -> dict[str, Any] | None:
    if endpoint.url is None and not endpoint.params:
        return None
    return {"url": endpoint.url, "params": dict(endpoint.params)}


def _js_endpoint(shape: dict[str, Any] | None) -> dict[str, Any] | None:
    if shape is None or (shape["url"] is None and not shape["params"]):
        return None
    return {"url": shape["url"], "params": shape["params"]}


def _model(provider: OAuthProvider) -> dict[str, Any]:
    authorization = _endpoint(provider.authorization)
    # what the hooks add to the authorization request (TikTok's client_key, Azure DevOps'
    # response_type) is a parameter in Auth.js's model
    extra = dict(provider.authorization_params())
    if provider.response_type != "code":
        extra["response_type"] = provider.response_type
    if extra:
        authorization = authorization or {"url": None, "params": {}}
        authorization["params"] = {**authorization["params"], **extra}
    return {
        "id": provider.id,
        "name": provider.name,
        "type": provider.type,
        "issuer": provider.issuer,
        "authorization": authorization,
        "token": _endpoint(provider.token),
        "userinfo": _endpoint(provider.userinfo),
        "checks": sorted(provider.checks),
        "token_endpoint_auth_method": provider.token_endpoint_auth_method,
        "id_token": getattr(provider, "id_token", None),
    }


def _expected(js: dict[str, Any]) -> dict[str, Any]:
    """What authcore's model should hold, given Auth.js's normalised provider."""
    authorization = _js_endpoint(js["authorization"])
    if (
        authorization is not None
        and js["rawScope"] is None
        and authorization["params"].get("scope") == AUTHJS_DEFAULT_SCOPE
    ):
        del authorization["params"]["scope"]
    if authorization is not None and authorization["params"].get("client_id") == "client-id":
        del authorization["params"]["client_id"]  # authcore always sends its own (HubSpot)
        if authorization["url"] is None and not authorization["params"]:
            authorization = None
    checks = (set(js["checks"]) - {"none"}) | {"state"}
    if js["type"] == "oidc":
        checks.add("nonce")
    return {
        "id": js["providerId"],
        "name": js["name"],
        "type": js["type"],
        "issuer": js["issuer"],
        "authorization": authorization,
        "token": _js_endpoint(js["token"]),
        "userinfo": _js_endpoint(js["userinfo"]),
        "checks": sorted(checks),
        # unset: Basic, or what discovery says the server supports (Basic first)
        "token_endpoint_auth_method": js["client"].get("token_endpoint_auth_method"),
        "id_token": None if js["type"] != "oidc" else js["idToken"] is not False,
    }


def _without_differences(model: dict[str, Any], fixture: ProviderFixture) -> dict[str, Any]:
    return {k: v for k, v in model.items() if k not in fixture.differences}


# @auth/core provider files that are no OAuth / OpenID Connect provider, and why
NOT_OAUTH = {
    "credentials": "credentials sign-in",
    "email": "email sign-in (authcore.providers.email)",
    "forwardemail": "email sign-in",
    "loops": "email sign-in",
    "mailgun": "email sign-in",
    "nodemailer": "email sign-in",
    "postmark": "email sign-in",
    "resend": "email sign-in",
    "sendgrid": "email sign-in",
    "passkey": "WebAuthn",
    "webauthn": "WebAuthn",
    "index": "types only",
    "oauth": "types only",
    "provider-types": "types only",
}
# Built-in providers tested by their own suites instead of a fixture (each one a reason).
WITHOUT_FIXTURE = {
    "github": "tests/e2e and tests/oauth sign in with it against the mock's oauth2 flavour",
    "google": "tests/e2e signs in with it against the mock's oidc flavour",
    "instagram": "its own mock flavour (tests/providers/test_oauth2_special.py, tests/e2e)",
}


def _authjs_provider_files() -> set[str]:
    directory = NODE_DIR / "node_modules" / "@auth" / "core" / "providers"
    return {path.stem for path in directory.glob("*.js")}


def test_catalog_covers_every_authjs_provider(authjs: NodeWorker) -> None:
    """Every OAuth / OpenID Connect provider file of @auth/core@0.41.3 has a built-in
    provider here, and a fixture that runs it through both shared suites."""
    files = _authjs_provider_files()
    assert set(NOT_OAUTH) <= files, "an excluded file no longer exists"
    oauth_files = files - set(NOT_OAUTH)
    index = builtin_index()
    ids = {}
    for name in sorted(oauth_files):
        js = authjs.call_ok("v5.provider", id=name, options={"issuer": "https://issuer.example"})
        assert js["type"] in ("oauth", "oidc"), name
        ids[name] = js["providerId"]
    missing_module = sorted(name for name, pid in ids.items() if pid not in index)
    assert missing_module == [], (
        f"@auth/core providers without an authcore module: {missing_module}"
    )
    by_file = {f.authjs_file or f.id: f for f in FIXTURES}
    missing_fixture = sorted(oauth_files - set(by_file) - set(WITHOUT_FIXTURE))
    assert missing_fixture == [], f"providers without a fixture: {missing_fixture}"
    assert set(WITHOUT_FIXTURE) <= oauth_files - set(by_file), "WITHOUT_FIXTURE is stale"
    for file, fixture in by_file.items():
        assert ids[file] == fixture.id, file
        assert index[fixture.id] == (f"authcore.providers.{fixture.module}", fixture.export)


def test_every_fixture_names_a_real_authjs_provider(authjs: NodeWorker) -> None:
    assert FIXTURES, "no provider fixtures found"
    for fixture in FIXTURES:
        js = _authjs(authjs, fixture)
        assert js["export"] == (fixture.authjs_function or fixture.export), fixture.id
        assert callable(fixture.factory())


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_model_matches_authjs(authjs: NodeWorker, fixture: ProviderFixture) -> None:
    js = _authjs(authjs, fixture)
    provider = fixture.provider()
    provider.validate()
    assert _without_differences(_model(provider), fixture) == _without_differences(
        _expected(js), fixture
    )


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_profile_matches_authjs(authjs: NodeWorker, fixture: ProviderFixture) -> None:
    provider = fixture.provider()
    profile = fixture.profile(provider)
    js = _authjs(authjs, fixture, profile=profile, tokens=fixture.token)
    mapper = provider.profile or provider.default_profile
    ours = mapper(dict(profile), dict(fixture.token))
    assert isinstance(ours, dict)
    if "profile" in fixture.differences:  # Auth.js's profile() throws on the documented shape
        assert "profileError" in js, "Auth.js maps this profile now: drop the difference"
        mine = {k: ours.get(k) for k in USER_KEYS}
        mine["id"] = None if mine["id"] is None else str(mine["id"])
        assert mine == fixture.expected_user(provider, fixture.user)
        return
    assert "profileError" not in js, js.get("profileError")
    theirs = {k: js["user"].get(k) for k in USER_KEYS}
    theirs["id"] = None if theirs["id"] is None else str(theirs["id"])
    mine = {k: ours.get(k) for k in USER_KEYS}
    mine["id"] = None if mine["id"] is None else str(mine["id"])
    skip = {k.removeprefix("user.") for k in fixture.differences if k.startswith("user.")}
    assert {k: v for k, v in mine.items() if k not in skip} == {
        k: v for k, v in theirs.items() if k not in skip
    }
    expected = fixture.expected_user(provider, fixture.user)
    assert {k: v for k, v in mine.items() if k not in skip} == {
        k: v for k, v in expected.items() if k not in skip
    }


# ---- the authorization URL each side actually builds --------------------------------------

PLAIN_OAUTH = [f for f in FIXTURES if f.provider().type == "oauth"]  # no discovery: offline
RANDOM_VALUES = ("state", "code_challenge", "nonce")
PKCE_METHOD = "code_challenge_method"


def _authjs_signin_url(authjs: NodeWorker, fixture: ProviderFixture) -> str:
    spec = {
        "type": "catalog",
        "file": fixture.authjs_file or fixture.id,
        "clientId": "client-id",
        "clientSecret": "client-secret",
        **fixture.options,
    }
    config = {"secret": SECRET, "trustHost": True, "basePath": "/api/auth", "providers": [spec]}
    got = authjs.call_ok("v5.auth", method="GET", url=f"{ORIGIN}/api/auth/csrf", config=config)
    if got["status"] != 200:  # Auth.js refused the provider's own config
        return "error:" + ",".join(log.get("type", "?") for log in got["logs"])
    cookie = "; ".join(v.split(";", 1)[0] for k, v in got["headers"] if k == "set-cookie")
    res = authjs.call_ok(
        "v5.auth",
        method="POST",
        url=f"{ORIGIN}/api/auth/signin/{fixture.id}",
        headers={"cookie": cookie},
        body={"csrfToken": got["json"]["csrfToken"]},
        config=config,
    )
    location: list[str] = [v for k, v in res["headers"] if k == "location"]
    assert res["status"] == 302 and location, res
    return location[0]


def _authcore_signin_url(provider: OAuthProvider) -> str:
    with httpx.Client() as client:
        start = drive_sync(begin_signin(provider, make_env(), query={}), client)
    return start.url


def _split(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    assert len({k for k, _ in pairs}) == len(pairs), f"repeated parameter in {url}"
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")), dict(pairs)


@pytest.mark.parametrize("fixture", PLAIN_OAUTH, ids=[f.id for f in PLAIN_OAUTH])
def test_authorization_url_matches_authjs(authjs: NodeWorker, fixture: ProviderFixture) -> None:
    """The URL Auth.js's sign-in redirects to and the one authcore's does: same endpoint and
    parameters, except the random values, Auth.js's invented scope and `state` (authcore
    always sends it, Auth.js only when the provider's checks ask)."""
    signin = _authjs_signin_url(authjs, fixture)
    provider = fixture.provider()
    ours_url, ours = _split(_authcore_signin_url(provider))
    if "signin" in fixture.differences:  # a provider Auth.js cannot start
        assert signin == "error:InvalidEndpoints", signin
        return
    theirs_url, theirs = _split(signin)
    assert ours_url == theirs_url
    assert "state" in ours
    for name in RANDOM_VALUES:
        same = (name in ours) == (name in theirs)
        assert same or name == "state" or "checks" in fixture.differences, name
        ours.pop(name, None), theirs.pop(name, None)
    if "checks" in fixture.differences:  # PKCE on one side only
        ours.pop(PKCE_METHOD, None), theirs.pop(PKCE_METHOD, None)
    if provider.authorization.param("scope") is None:
        assert theirs.pop("scope") == AUTHJS_DEFAULT_SCOPE
    if "authorization" in fixture.differences:
        ours.pop("scope", None), theirs.pop("scope", None)
    for key in fixture.differences:  # `authorization.<param>`: one parameter differs
        if key.startswith("authorization."):
            param = key.removeprefix("authorization.")
            assert ours.pop(param) != theirs.pop(param), f"{key} no longer differs"
    assert ours == theirs
