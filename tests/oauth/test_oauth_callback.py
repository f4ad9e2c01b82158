"""The callback (Auth.js `src/lib/actions/callback/oauth/callback.ts`) against the live mock IdP:
checks, token, userinfo, ID token, and every way a provider can misbehave ending in a typed,
log-safe error."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, get_args

import httpx
import pytest

from authcore._options import Limits
from authcore.errors import (
    AuthError,
    CallbackRouteError,
    InvalidCheck,
    OAuthCallbackError,
    OAuthProfileParseError,
    OAuthProviderError,
)
from authcore.oauth import clear_caches
from authcore.providers.github import GitHub
from authcore.providers.instagram import Instagram
from authcore.providers.oidc import OIDC
from authcore.testing import Flavour, InstagramTokenShape, InstagramUser, MockIdP
from tests.support.oauth import authorize, callback, full_flow, jar, make_env, signin


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    clear_caches()


def _secret_free(err: BaseException, idp: MockIdP) -> None:
    text = f"{err} {getattr(err, 'details', '')}"
    assert idp.client_secret not in text
    for token in ("IGAA", "gho_", "access_token="):
        assert token not in text


# ---- success paths ---------------------------------------------------------------------------


@pytest.mark.parametrize("shape", get_args(InstagramTokenShape))
def test_instagram_every_token_shape(mock_idp: MockIdP, http: httpx.Client, shape: Any) -> None:
    mock_idp.instagram_token_shape = shape
    provider = Instagram(**mock_idp.provider_options("instagram"))
    provider.validate()
    clock_env = make_env()
    out = full_flow(provider, clock_env, http)
    user = mock_idp.user("instagram")
    assert isinstance(user, InstagramUser)
    expected_id = str(user.app_scoped_id)
    assert out.user["id"] == expected_id  # digit for digit, above 2**53
    assert int(expected_id) > 2**53
    assert out.user["name"] == user.name
    assert out.user["email"] is None
    assert out.user["image"]
    assert out.account["providerAccountId"] == expected_id
    assert out.account["user_id"] == expected_id
    assert out.account["token_type"] == "bearer"
    assert out.account["permissions"] == ["instagram_business_basic"]
    assert out.account["expires_in"] == 3600
    assert out.account["provider"] == "instagram" and out.account["type"] == "oauth"
    assert out.profile["username"] == user.username
    assert out.profile["user_id"] == str(user.user_id)
    assert [c.name for c in out.cookies] == ["authjs.state", "authjs.pkce.code_verifier"]
    assert all(c.max_age == 0 and c.value == "" for c in out.cookies)
    token_req = mock_idp.requests_to("/instagram/oauth/access_token")[-1]
    assert token_req.basic_auth is None  # client_secret_post only
    assert token_req.form["client_secret"] == mock_idp.client_secret
    assert token_req.form["redirect_uri"] == "http://app.test/api/auth/callback/instagram"
    me = mock_idp.requests_to("/instagram/graph/me")[-1]
    assert me.query.get("access_token") == out.account["access_token"]
    assert "user_id" in me.query["fields"]


def test_instagram_name_falls_back_to_username(mock_idp: MockIdP, http: httpx.Client) -> None:
    user = mock_idp.user("instagram")
    assert isinstance(user, InstagramUser)
    mock_idp.instagram_user = replace(user, name="")
    out = full_flow(Instagram(**mock_idp.provider_options("instagram")), make_env(), http)
    assert out.user["name"] == "mock_business"


def test_instagram_keys_on_me_id(mock_idp: MockIdP, http: httpx.Client) -> None:
    mock_idp.instagram_user = InstagramUser(id=17841400000000001)
    out = full_flow(Instagram(**mock_idp.provider_options("instagram")), make_env(), http)
    assert out.user["id"] == "17841400000000001"
    assert out.profile["user_id"] == str(InstagramUser().user_id)


def test_instagram_long_lived_exchange(mock_idp: MockIdP, http: httpx.Client) -> None:
    provider = Instagram(**mock_idp.provider_options("instagram"), long_lived=True)
    env = make_env()
    out = full_flow(provider, env, http)
    assert out.account["expires_in"] > 50 * 86400
    assert out.account["short_lived_access_token"] != out.account["access_token"]
    exchange = mock_idp.requests_to("/instagram/graph/access_token")[-1]
    assert exchange.query["grant_type"] == "ig_exchange_token"


def test_instagram_long_lived_exchange_failure(mock_idp: MockIdP, http: httpx.Client) -> None:
    # A transient failure falls back to the short-lived token (test_provider_fidelity.py);
    # an answer without a token is a provider defect and fails the sign-in.
    mock_idp.faults.exchange_body = "missing_access_token"
    provider = Instagram(**mock_idp.provider_options("instagram"), long_lived=True)
    with pytest.raises(OAuthProviderError) as info:
        full_flow(provider, make_env(), http)
    assert info.value.details["endpoint"] == "token exchange"
    _secret_free(info.value, mock_idp)


def test_github_primary_verified_email(mock_idp: MockIdP, http: httpx.Client) -> None:
    provider = GitHub(**mock_idp.provider_options("oauth2"))
    provider.validate()
    out = full_flow(provider, make_env(), http)
    assert out.user == {
        "id": "1234",
        "name": "Octo Cat",
        "email": "octo@example.com",
        "image": out.user["image"],
    }
    token_req = mock_idp.requests_to("/oauth2/token")[-1]
    assert token_req.basic_auth == (mock_idp.client_id, mock_idp.client_secret)
    assert "client_secret" not in token_req.form
    assert token_req.form["code_verifier"]
    assert mock_idp.requests_to("/oauth2/userinfo")[-1].bearer_token == out.account["access_token"]


def test_github_client_secret_post(mock_idp: MockIdP, http: httpx.Client) -> None:
    provider = GitHub(
        **mock_idp.provider_options("oauth2"), token_endpoint_auth_method="client_secret_post"
    )
    full_flow(provider, make_env(), http)
    token_req = mock_idp.requests_to("/oauth2/token")[-1]
    assert token_req.basic_auth is None
    assert token_req.form["client_secret"] == mock_idp.client_secret


@pytest.mark.parametrize("alg", ["RS256", "ES256", "EdDSA"])
def test_oidc_id_token_algorithms(mock_idp: MockIdP, http: httpx.Client, alg: Any) -> None:
    mock_idp.oidc_alg = alg
    provider = OIDC(**mock_idp.provider_options("oidc"))
    provider.validate()
    out = full_flow(provider, make_env(), http)
    assert out.user["id"] == "248289761001"
    assert out.user["email"] == "jane.doe@example.com"
    assert out.profile["iss"] == mock_idp.issuer
    assert out.account["type"] == "oidc" and out.account["id_token"]
    assert [c.name for c in out.cookies] == [
        "authjs.state",
        "authjs.pkce.code_verifier",
        "authjs.nonce",
    ]


def test_oidc_userinfo_profile(mock_idp: MockIdP, http: httpx.Client) -> None:
    provider = OIDC(**mock_idp.provider_options("oidc"), id_token=False)
    out = full_flow(provider, make_env(), http)
    assert out.profile["sub"] == "248289761001"
    assert mock_idp.requests_to("/oidc/userinfo")


def test_async_profile_mapper(mock_idp: MockIdP, http: httpx.Client) -> None:
    async def profile(p: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
        return {"id": p["id"], "name": p["username"].upper(), "role": "admin"}

    provider = Instagram(**mock_idp.provider_options("instagram"), profile=profile)
    out = full_flow(provider, make_env(), http)
    assert out.user["name"] == "MOCK_BUSINESS" and out.user["role"] == "admin"


# ---- checks ----------------------------------------------------------------------------------


def _start(idp: MockIdP, http: httpx.Client, flavour: Flavour = "instagram") -> Any:
    factory = {"instagram": Instagram, "oauth2": GitHub, "oidc": OIDC}[flavour]
    provider = factory(**idp.provider_options(flavour))
    env = make_env()
    start = signin(provider, env, http)
    params = authorize(http, start.url)
    return provider, env, start, params


def test_missing_state_cookie_fails(mock_idp: MockIdP, http: httpx.Client) -> None:
    provider, env, start, params = _start(mock_idp, http)
    with pytest.raises(InvalidCheck, match="state"):
        callback(provider, env, http, params, jar(start.cookies[1:]))
    assert not mock_idp.requests_to("/instagram/oauth/access_token")


def test_state_from_another_browser_fails(mock_idp: MockIdP, http: httpx.Client) -> None:
    provider, env, _, params = _start(mock_idp, http)
    other = signin(provider, env, http)  # another browser's cookies
    with pytest.raises(InvalidCheck):
        callback(provider, env, http, params, jar(other.cookies))


def test_wrong_state_from_idp_fails(mock_idp: MockIdP, http: httpx.Client) -> None:
    mock_idp.faults.wrong_state = True
    provider, env, start, params = _start(mock_idp, http)
    with pytest.raises(InvalidCheck):
        callback(provider, env, http, params, jar(start.cookies))


def test_check_cookie_of_another_provider_fails(mock_idp: MockIdP, http: httpx.Client) -> None:
    provider, env, start, params = _start(mock_idp, http)
    renamed = provider.evolve(id="instagram2")
    with pytest.raises(InvalidCheck, match="another provider"):
        callback(renamed, env, http, params, jar(start.cookies))


def test_duplicate_state_cookie_fails(mock_idp: MockIdP, http: httpx.Client) -> None:
    provider, env, start, params = _start(mock_idp, http)
    cookies = jar([*start.cookies, start.cookies[0]])
    with pytest.raises(InvalidCheck, match="twice"):
        callback(provider, env, http, params, cookies)


def test_expired_check_cookie_fails(mock_idp: MockIdP, http: httpx.Client) -> None:
    from tests.support.oauth import Clock

    clock = Clock()
    provider = Instagram(**mock_idp.provider_options("instagram"))
    env = make_env(clock=clock)
    start = signin(provider, env, http)
    params = authorize(http, start.url)
    clock.now += 901 + 15
    with pytest.raises(InvalidCheck):
        callback(provider, env, http, params, jar(start.cookies))


def test_missing_pkce_cookie_fails(mock_idp: MockIdP, http: httpx.Client) -> None:
    provider, env, start, params = _start(mock_idp, http, "oauth2")
    with pytest.raises(InvalidCheck, match="pkceCodeVerifier"):
        callback(provider, env, http, params, jar(start.cookies[:1]))


def test_provider_error_param(mock_idp: MockIdP, http: httpx.Client) -> None:
    mock_idp.faults.error = "access_denied"
    provider, env, start, params = _start(mock_idp, http)
    with pytest.raises(OAuthCallbackError) as info:
        callback(provider, env, http, params, jar(start.cookies))
    assert info.value.details["error"] == "access_denied"
    assert info.value.client_safe


def test_error_param_still_needs_state(mock_idp: MockIdP, http: httpx.Client) -> None:
    mock_idp.faults.error = "access_denied"
    provider, env, _, params = _start(mock_idp, http)
    with pytest.raises(InvalidCheck):
        callback(provider, env, http, params, jar([]))


def test_wrong_iss_rejected(mock_idp: MockIdP, http: httpx.Client) -> None:
    mock_idp.faults.wrong_iss = True
    provider, env, start, params = _start(mock_idp, http, "oidc")
    with pytest.raises(InvalidCheck, match="iss"):
        callback(provider, env, http, params, jar(start.cookies))


def test_missing_iss_rejected_when_promised(mock_idp: MockIdP, http: httpx.Client) -> None:
    mock_idp.faults.missing_iss = True
    provider, env, start, params = _start(mock_idp, http, "oidc")
    with pytest.raises(InvalidCheck, match="iss"):
        callback(provider, env, http, params, jar(start.cookies))


def test_wrong_nonce_rejected(mock_idp: MockIdP, http: httpx.Client) -> None:
    mock_idp.faults.wrong_nonce = True
    provider, env, start, params = _start(mock_idp, http, "oidc")
    with pytest.raises(InvalidCheck, match="nonce"):
        callback(provider, env, http, params, jar(start.cookies))
    assert not mock_idp.requests_to("/oidc/userinfo")


def test_implicit_response_rejected(mock_idp: MockIdP, http: httpx.Client) -> None:
    provider, env, start, params = _start(mock_idp, http)
    with pytest.raises(CallbackRouteError):
        callback(provider, env, http, {**params, "access_token": "x"}, jar(start.cookies))


# ---- a misbehaving provider ------------------------------------------------------------------

TOKEN_PATHS = {"instagram": "/instagram/oauth/access_token", "oauth2": "/oauth2/token"}


@pytest.mark.parametrize("flavour", ["instagram", "oauth2", "oidc"])
@pytest.mark.parametrize(
    ("switches", "reason"),
    [
        ({"token_status": 400}, {"provider_error", "http_status"}),
        ({"token_status": 500}, {"provider_error", "http_status"}),
        ({"token_status": 503}, {"provider_error", "http_status"}),
        ({"token_body": "invalid_json"}, {"not_json"}),
        ({"token_body": "html"}, {"not_json"}),
        ({"token_body": "empty"}, {"not_json"}),
        ({"token_body": "not_object"}, {"not_object"}),
        ({"token_body": "huge"}, {"too_large"}),
        ({"token_body": "missing_access_token"}, {"bad_token_response"}),
        ({"token_redirect": True}, {"redirect"}),
        ({"content_type": "text/html"}, {"not_json"}),
    ],
)
def test_token_endpoint_faults(
    mock_idp: MockIdP,
    http: httpx.Client,
    flavour: Flavour,
    switches: dict[str, Any],
    reason: set[str],
) -> None:
    provider, env, start, params = _start(mock_idp, http, flavour)
    mock_idp.misbehave(**switches)
    with pytest.raises(OAuthProviderError) as info:
        callback(provider, env, http, params, jar(start.cookies))
    err = info.value
    assert err.details["reason"] in reason, err.message
    assert err.details["endpoint"] in ("token", "userinfo")
    assert err.client_safe
    _secret_free(err, mock_idp)


def test_token_timeout(mock_idp: MockIdP, http: httpx.Client) -> None:
    provider = Instagram(**mock_idp.provider_options("instagram"))
    env = make_env(limits=Limits(idp_timeout=0.2))
    start = signin(provider, env, http)
    params = authorize(http, start.url)
    mock_idp.faults.token_delay = 5.0
    with pytest.raises(OAuthProviderError) as info:
        callback(provider, env, http, params, jar(start.cookies))
    assert info.value.details["reason"] == "timeout"


def test_response_size_cap_is_configurable(mock_idp: MockIdP, http: httpx.Client) -> None:
    provider = Instagram(**mock_idp.provider_options("instagram"))
    env = make_env(limits=Limits(idp_max_response_bytes=50))
    start = signin(provider, env, http)
    params = authorize(http, start.url)
    with pytest.raises(OAuthProviderError) as info:
        callback(provider, env, http, params, jar(start.cookies))
    assert info.value.details["reason"] == "too_large"


def test_instagram_error_body_is_read(mock_idp: MockIdP, http: httpx.Client) -> None:
    provider, env, start, params = _start(mock_idp, http)
    params = {**params, "code": "not-a-real-code"}
    with pytest.raises(OAuthProviderError) as info:
        callback(provider, env, http, params, jar(start.cookies))
    err = info.value
    assert err.details["error_type"] == "OAuthException"
    assert err.details["code"] == "400"
    assert "Matching code was not found" in err.message or "code" in err.message
    _secret_free(err, mock_idp)


def test_instagram_wrong_app_id_hint(mock_idp: MockIdP, http: httpx.Client) -> None:
    provider, env, start, params = _start(mock_idp, http)
    wrong = provider.evolve(client_id="meta-app-id")
    with pytest.raises(OAuthProviderError) as info:
        callback(wrong, env, http, params, jar(start.cookies))
    assert "Invalid platform app" in info.value.message
    assert "Instagram App ID" in info.value.message


@pytest.mark.parametrize("flavour", ["instagram", "oauth2", "oidc"])
@pytest.mark.parametrize(
    ("switches", "expected"),
    [
        ({"userinfo_status": 400}, OAuthProviderError),
        ({"userinfo_status": 500}, OAuthProviderError),
        ({"userinfo_body": "invalid_json"}, OAuthProviderError),
        ({"userinfo_body": "not_object"}, OAuthProviderError),
        ({"userinfo_body": "missing_id"}, OAuthProfileParseError),
        ({"userinfo_delay": 1.0}, OAuthProviderError),
    ],
)
def test_userinfo_faults(
    mock_idp: MockIdP,
    http: httpx.Client,
    flavour: Flavour,
    switches: dict[str, Any],
    expected: type[AuthError],
) -> None:
    factory = {"instagram": Instagram, "oauth2": GitHub, "oidc": OIDC}[flavour]
    extra = {"id_token": False} if flavour == "oidc" else {}
    provider = factory(**mock_idp.provider_options(flavour), **extra)
    env = make_env(limits=Limits(idp_timeout=0.3))
    start = signin(provider, env, http)
    params = authorize(http, start.url)
    mock_idp.misbehave(**switches)
    if flavour == "oidc" and expected is OAuthProfileParseError:
        expected = OAuthProviderError  # no `sub`: it differs from the ID token's (OIDC Core §5.3.2)
    with pytest.raises(expected) as info:
        callback(provider, env, http, params, jar(start.cookies))
    _secret_free(info.value, mock_idp)


def test_github_emails_fault(mock_idp: MockIdP, http: httpx.Client) -> None:
    provider, env, start, params = _start(mock_idp, http, "oauth2")
    mock_idp.faults.emails_status = 500
    with pytest.raises(OAuthProviderError) as info:
        callback(provider, env, http, params, jar(start.cookies))
    assert info.value.details["endpoint"] == "emails"


def test_userinfo_sub_mismatch(mock_idp: MockIdP, http: httpx.Client) -> None:
    mock_idp.faults.userinfo_sub_mismatch = True
    provider = OIDC(**mock_idp.provider_options("oidc"), id_token=False)
    env = make_env()
    start = signin(provider, env, http)
    params = authorize(http, start.url)
    with pytest.raises(OAuthProviderError, match="sub") as info:
        callback(provider, env, http, params, jar(start.cookies))
    assert info.value.details["reason"] == "sub_mismatch"


@pytest.mark.parametrize(
    "fault",
    [
        "expired",
        "unsigned",
        "bad_signature",
        "wrong_aud",
        "multiple_aud_no_azp",
        "wrong_iss",
        "missing_sub",
        "missing_iat",
        "missing_exp",
        "unknown_kid",
        "hs256_with_public_key",
        "malformed",
    ],
)
def test_id_token_faults(mock_idp: MockIdP, http: httpx.Client, fault: Any) -> None:
    provider, env, start, params = _start(mock_idp, http, "oidc")
    mock_idp.faults.id_token = fault
    with pytest.raises(OAuthProviderError) as info:
        callback(provider, env, http, params, jar(start.cookies))
    assert info.value.details["reason"] == "id_token"
    assert not mock_idp.requests_to("/oidc/userinfo")


def test_id_token_issued_in_the_future_signs_in(mock_idp: MockIdP, http: httpx.Client) -> None:
    """The provider's clock an hour ahead of ours: Auth.js signs the user in; so does this."""
    provider, env, start, params = _start(mock_idp, http, "oidc")
    mock_idp.faults.id_token = "future_iat"
    out = callback(provider, env, http, params, jar(start.cookies))
    assert out.user["id"] == "248289761001"


def test_unknown_kid_with_a_just_fetched_jwks_is_not_refetched(
    mock_idp: MockIdP, http: httpx.Client
) -> None:
    """The JWKS was fetched for this very token: a refetch could not know more (key
    rotation is test_rp_conformance.py::test_rp_key_rotation_op_sign_key)."""
    provider, env, start, params = _start(mock_idp, http, "oidc")
    mock_idp.faults.id_token = "unknown_kid"
    with pytest.raises(OAuthProviderError):
        callback(provider, env, http, params, jar(start.cookies))
    assert len(mock_idp.requests_to("/oidc/jwks")) == 1


def test_missing_kid_with_one_matching_key(mock_idp: MockIdP, http: httpx.Client) -> None:
    provider, env, start, params = _start(mock_idp, http, "oidc")
    mock_idp.faults.id_token = "missing_kid"
    out = callback(provider, env, http, params, jar(start.cookies))
    assert out.user["id"] == "248289761001"
