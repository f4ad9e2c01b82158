"""The authorization request (Auth.js `src/lib/actions/signin/authorization-url.ts`) and the sealed
check cookies (Auth.js `src/lib/actions/callback/oauth/checks.ts`)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from authcore import jwt
from authcore.errors import OAuthProviderError
from authcore.oauth import clear_caches
from authcore.oauth._checks import pkce_challenge
from authcore.providers.github import GitHub
from authcore.providers.instagram import Instagram
from authcore.providers.oidc import OIDC
from authcore.testing import MockIdP
from tests.support.oauth import SECRET, Clock, make_env, signin


def _params(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def test_pkce_s256_rfc7636_vector() -> None:
    assert (
        pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )


def test_instagram_authorization_url(http: httpx.Client) -> None:
    provider = Instagram(client_id="123", client_secret="s")
    start = signin(provider, make_env(), http)
    parts = urlsplit(start.url)
    assert (
        f"{parts.scheme}://{parts.netloc}{parts.path}"
        == "https://www.instagram.com/oauth/authorize"
    )
    keys = [k for k, _ in _params(start.url)]
    assert keys == [
        "scope",
        "response_type",
        "client_id",
        "redirect_uri",
        "state",
        "code_challenge",
        "code_challenge_method",
    ]
    params = dict(_params(start.url))
    assert params["scope"] == "instagram_business_basic"
    assert params["redirect_uri"] == "http://app.test/api/auth/callback/instagram"
    assert params["code_challenge_method"] == "S256"
    assert [c.name for c in start.cookies] == ["authjs.state", "authjs.pkce.code_verifier"]


def test_instagram_scopes_comma_joined(http: httpx.Client) -> None:
    provider = Instagram(
        client_id="1",
        client_secret="s",
        scope=["instagram_business_basic", "instagram_business_content_publish"],
    )
    start = signin(provider, make_env(), http)
    assert dict(_params(start.url))["scope"] == (
        "instagram_business_basic,instagram_business_content_publish"
    )


def test_check_cookies_are_sealed_like_authjs(http: httpx.Client) -> None:
    clock = Clock()
    provider = Instagram(client_id="1", client_secret="s")
    start = signin(provider, make_env(clock=clock), http)
    state_cookie, pkce_cookie = start.cookies
    params = dict(_params(start.url))
    for cookie in start.cookies:
        assert cookie.max_age == 900
        assert cookie.expires == clock.now + 900
        assert cookie.http_only and cookie.same_site == "lax" and cookie.path == "/"
    state = jwt.decode(token=state_cookie.value, secret=SECRET, salt="authjs.state", now=clock.now)
    assert state["provider"] == "instagram"
    assert state["value"] == params["state"]
    assert state["exp"] - state["iat"] == 900
    # the state parameter is itself a JWE of {random} (salt "encodedState")
    inner = jwt.decode(token=params["state"], secret=SECRET, salt="encodedState", now=clock.now)
    assert len(inner["random"]) == 43
    pkce = jwt.decode(
        token=pkce_cookie.value, secret=SECRET, salt="authjs.pkce.code_verifier", now=clock.now
    )
    assert pkce["provider"] == "instagram"
    assert pkce_challenge(pkce["value"]) == params["code_challenge"]
    # a check cookie can never be read with another cookie's key
    with pytest.raises(jwt.InvalidToken):
        jwt.decode(token=pkce_cookie.value, secret=SECRET, salt="authjs.state", now=clock.now)


def test_secure_cookie_names(http: httpx.Client) -> None:
    provider = Instagram(client_id="1", client_secret="s")
    start = signin(provider, make_env(secure=True), http)
    assert [c.name for c in start.cookies] == [
        "__Secure-authjs.state",
        "__Secure-authjs.pkce.code_verifier",
    ]
    assert all(c.secure for c in start.cookies)


def test_query_adds_only_allow_listed_params(http: httpx.Client) -> None:
    provider = Instagram(client_id="1", client_secret="s")
    query = {
        "force_reauth": "true",
        "enable_fb_login": "false",
        "foo": "bar",
        "redirect_uri": "https://evil.example/cb",
        "client_id": "attacker",
        "response_type": "token",
        "state": "fixed",
        "code_challenge": "x" * 43,
        "code_challenge_method": "plain",
        "nonce": "n",
    }
    start = signin(provider, make_env(), http, query)
    params = dict(_params(start.url))
    assert params["force_reauth"] == "true"
    assert params["enable_fb_login"] == "false"
    assert "foo" not in params and "nonce" not in params
    assert params["redirect_uri"] == "http://app.test/api/auth/callback/instagram"
    assert params["client_id"] == "1"
    assert params["response_type"] == "code"
    assert params["state"] != "fixed"
    assert params["code_challenge"] != "x" * 43
    assert params["code_challenge_method"] == "S256"
    assert [k for k, _ in _params(start.url)].count("redirect_uri") == 1


def test_query_scope_and_prompt_pass_for_oauth2(http: httpx.Client) -> None:
    provider = GitHub(client_id="1", client_secret="s")
    start = signin(provider, make_env(), http, {"scope": "read:user", "prompt": "consent"})
    params = dict(_params(start.url))
    assert params["scope"] == "read:user"
    assert params["prompt"] == "consent"


def test_no_default_openid_scope_for_plain_oauth2(http: httpx.Client) -> None:
    provider = GitHub(
        client_id="1", client_secret="s", authorization="https://gh.example/authorize"
    )
    provider = provider.evolve(authorization=provider.authorization.with_params({"scope": None}))
    start = signin(provider, make_env(), http)
    assert "scope" not in dict(_params(start.url))


def test_oidc_discovery_builds_url_with_nonce(mock_idp: MockIdP, http: httpx.Client) -> None:
    clear_caches()
    provider = OIDC(**mock_idp.provider_options("oidc"))
    start = signin(provider, make_env(), http)
    assert start.url.startswith(f"{mock_idp.issuer}/authorize?")
    params = dict(_params(start.url))
    assert params["scope"] == "openid profile email"
    assert params["nonce"]
    assert [c.name for c in start.cookies] == [
        "authjs.state",
        "authjs.pkce.code_verifier",
        "authjs.nonce",
    ]
    # discovery is cached: a second sign-in does not fetch it again
    before = len(mock_idp.requests_to("/oidc/.well-known/openid-configuration"))
    signin(provider, make_env(), http)
    assert len(mock_idp.requests_to("/oidc/.well-known/openid-configuration")) == before


def test_oidc_discovery_issuer_must_match_exactly(mock_idp: MockIdP, http: httpx.Client) -> None:
    clear_caches()
    provider = OIDC(**{**mock_idp.provider_options("oidc"), "issuer": mock_idp.issuer + "/"})
    with pytest.raises(OAuthProviderError) as info:
        signin(provider, make_env(), http)
    assert info.value.details["reason"] == "issuer_mismatch"


def test_oidc_discovery_times_out(mock_idp: MockIdP, http: httpx.Client) -> None:
    clear_caches()
    provider = OIDC(issuer="http://127.0.0.1:9/oidc", client_id="c", client_secret="s")
    with pytest.raises(OAuthProviderError) as info:
        signin(provider, make_env(), http)
    assert info.value.details["reason"] == "network"
    assert info.value.client_safe
