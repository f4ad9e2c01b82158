"""End to end through `Auth()`: csrf -> POST signin -> the IdP over real HTTP -> callback ->
session, for Instagram (every token shape), an OAuth 2 provider and an OIDC provider; and each
misbehaviour ending in the right error redirect with no session cookie."""

from __future__ import annotations

from typing import Any, get_args
from urllib.parse import urlsplit

import httpx
import pytest

from authcore.providers.github import GitHub
from authcore.providers.instagram import Instagram
from authcore.providers.oidc import OIDC
from authcore.testing import Flavour, InstagramTokenShape, InstagramUser, MockIdP
from tests.support.e2e import ERROR_PAGE, SESSION, Browser
from tests.support.oauth import ORIGIN, SECRET
from tests.support.security import RecordingLogger

pytestmark = pytest.mark.e2e

CHECK_COOKIES = {"authjs.state", "authjs.pkce.code_verifier", "authjs.nonce"}


def _config(provider: Any, logger: RecordingLogger, **extra: Any) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    def jwt_cb(token: dict[str, Any], **kw: Any) -> dict[str, Any]:
        if kw.get("account"):
            seen.update(kw)
            token["provider_account_id"] = kw["account"]["providerAccountId"]
        return token

    def session_cb(session: dict[str, Any], token: dict[str, Any], **kw: Any) -> dict[str, Any]:
        session["provider_account_id"] = token.get("provider_account_id")
        return session

    return {
        "providers": [provider],
        "secret": SECRET,
        "url": f"{ORIGIN}/api/auth",
        "logger": logger,
        "callbacks": {"jwt": jwt_cb, "session": session_cb},
        "_seen": seen,
        **extra,
    }


def _strip(config: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    seen = config.pop("_seen")
    return config, seen


def _provider(idp: MockIdP, flavour: Flavour, **kw: Any) -> Any:
    factory = {"instagram": Instagram, "oauth2": GitHub, "oidc": OIDC}[flavour]
    return factory(**idp.provider_options(flavour), **kw)


@pytest.mark.parametrize("shape", get_args(InstagramTokenShape))
def test_instagram_sign_in(mock_idp: MockIdP, http: httpx.Client, shape: Any) -> None:
    mock_idp.instagram_token_shape = shape
    logger = RecordingLogger()
    config, seen = _strip(_config(_provider(mock_idp, "instagram"), logger))
    browser = Browser(config, http)
    done = browser.sign_in("instagram")
    assert done.status == 302, (done.body[:200], logger.errors)
    assert done.location == f"{ORIGIN}/dashboard"
    assert SESSION in browser.cookies
    assert not CHECK_COOKIES & set(browser.cookies)  # consumed check cookies cleared
    user = mock_idp.user("instagram")
    assert isinstance(user, InstagramUser)
    session = browser.session()
    assert session["user"]["name"] == user.name
    assert session["provider_account_id"] == str(user.app_scoped_id)
    assert seen["account"]["provider"] == "instagram"
    assert seen["account"]["user_id"] == str(user.app_scoped_id)
    assert seen["profile"]["username"] == user.username
    assert not logger.errors


def test_instagram_sign_in_async(mock_idp: MockIdP, http: httpx.Client) -> None:
    logger = RecordingLogger()
    config, _ = _strip(_config(_provider(mock_idp, "instagram", long_lived=True), logger))
    browser = Browser(config, http, use_async=True)
    done = browser.sign_in("instagram")
    assert done.status == 302 and done.location == f"{ORIGIN}/dashboard", logger.errors
    assert browser.session()["user"]["name"] == "Mock Business"


@pytest.mark.parametrize("flavour", ["oauth2", "oidc"])
def test_oauth2_and_oidc_sign_in(mock_idp: MockIdP, http: httpx.Client, flavour: Flavour) -> None:
    logger = RecordingLogger()
    config, seen = _strip(_config(_provider(mock_idp, flavour), logger))
    browser = Browser(config, http)
    provider_id = "github" if flavour == "oauth2" else "oidc"
    done = browser.sign_in(provider_id)
    assert done.status == 302 and done.location == f"{ORIGIN}/dashboard", logger.errors
    session = browser.session()
    expected = "octo@example.com" if flavour == "oauth2" else "jane.doe@example.com"
    assert session["user"]["email"] == expected
    assert seen["account"]["type"] == ("oauth" if flavour == "oauth2" else "oidc")


# ---- failures: the right redirect, no session, the reason logged -----------------------------

SIGNIN_ERROR = f"{ORIGIN}/api/auth/signin?error="

# a Cancel keeps Auth.js's error and adds the code the sign-in page words it by
CANCELLED = "OAuthCallbackError&code=access_denied"

FAULTS: list[tuple[Flavour, dict[str, Any], str, str]] = [
    ("instagram", {"error": "access_denied"}, SIGNIN_ERROR, CANCELLED),
    ("instagram", {"wrong_state": True}, ERROR_PAGE, "Configuration"),
    ("instagram", {"token_status": 400}, ERROR_PAGE, "OAuthProviderError"),
    ("instagram", {"token_status": 500}, ERROR_PAGE, "OAuthProviderError"),
    ("instagram", {"token_body": "invalid_json"}, ERROR_PAGE, "OAuthProviderError"),
    ("instagram", {"token_body": "html"}, ERROR_PAGE, "OAuthProviderError"),
    ("instagram", {"token_body": "huge"}, ERROR_PAGE, "OAuthProviderError"),
    ("instagram", {"token_body": "missing_access_token"}, ERROR_PAGE, "OAuthProviderError"),
    ("instagram", {"token_redirect": True}, ERROR_PAGE, "OAuthProviderError"),
    ("instagram", {"content_type": "text/plain"}, ERROR_PAGE, "OAuthProviderError"),
    ("instagram", {"token_delay": 3.0}, ERROR_PAGE, "OAuthProviderError"),
    ("instagram", {"userinfo_status": 400}, ERROR_PAGE, "OAuthProviderError"),
    ("instagram", {"userinfo_body": "missing_id"}, ERROR_PAGE, "Configuration"),
    ("oauth2", {"token_status": 401}, ERROR_PAGE, "OAuthProviderError"),
    ("oauth2", {"emails_status": 500}, ERROR_PAGE, "OAuthProviderError"),
    ("oidc", {"wrong_iss": True}, ERROR_PAGE, "Configuration"),
    ("oidc", {"wrong_nonce": True}, ERROR_PAGE, "Configuration"),
    ("oidc", {"id_token": "unsigned"}, ERROR_PAGE, "OAuthProviderError"),
    ("oidc", {"id_token": "hs256_with_public_key"}, ERROR_PAGE, "OAuthProviderError"),
    ("oidc", {"id_token": "expired"}, ERROR_PAGE, "OAuthProviderError"),
    ("oidc", {"id_token": "wrong_aud"}, ERROR_PAGE, "OAuthProviderError"),
]


@pytest.mark.parametrize(("flavour", "switches", "page", "error"), FAULTS)
def test_misbehaving_provider(
    mock_idp: MockIdP,
    http: httpx.Client,
    flavour: Flavour,
    switches: dict[str, Any],
    page: str,
    error: str,
) -> None:
    logger = RecordingLogger()
    config, _ = _strip(_config(_provider(mock_idp, flavour), logger, limits={"idp_timeout": 1.5}))
    browser = Browser(config, http)
    mock_idp.misbehave(**switches)
    done = browser.sign_in({"instagram": "instagram", "oauth2": "github", "oidc": "oidc"}[flavour])
    assert done.status == 302
    assert done.location == f"{page}{error}", (done.location, logger.errors)
    assert SESSION not in browser.set_cookie_names
    assert SESSION not in browser.cookies
    assert not CHECK_COOKIES & set(browser.cookies)  # cleared on failure too
    assert logger.errors, "the reason must be logged"
    logged = " ".join(str(e) for e in logger.errors)
    assert mock_idp.client_secret not in logged
    assert "IGAA" not in logged


def test_missing_state_cookie_no_session(mock_idp: MockIdP, http: httpx.Client) -> None:
    logger = RecordingLogger()
    config, _ = _strip(_config(_provider(mock_idp, "instagram"), logger))
    browser = Browser(config, http)
    csrf = browser.app("GET", f"{ORIGIN}/api/auth/csrf").json()["csrfToken"]
    start = browser.app("POST", f"{ORIGIN}/api/auth/signin/instagram", {"csrfToken": csrf})
    assert start.location is not None
    browser.cookies.pop("authjs.state")
    back = http.get(start.location).headers["location"].split("#", 1)[0]
    done = browser.app("GET", back)
    assert done.location == f"{ERROR_PAGE}Configuration"
    assert SESSION not in browser.cookies
    assert any(getattr(e, "type", "") == "InvalidCheck" for e in logger.errors)


def test_signin_query_cannot_override_redirect_uri(mock_idp: MockIdP, http: httpx.Client) -> None:
    logger = RecordingLogger()
    config, _ = _strip(_config(_provider(mock_idp, "instagram"), logger))
    browser = Browser(config, http)
    csrf = browser.app("GET", f"{ORIGIN}/api/auth/csrf").json()["csrfToken"]
    start = browser.app(
        "POST",
        f"{ORIGIN}/api/auth/signin/instagram?redirect_uri=https%3A%2F%2Fevil.example&force_reauth=true",
        {"csrfToken": csrf},
    )
    assert start.location is not None
    query = dict(
        p.split("=", 1)
        for p in urlsplit(start.location).query.split("&")  # raw pairs
    )
    assert query["redirect_uri"] == "http%3A%2F%2Fapp.test%2Fapi%2Fauth%2Fcallback%2Finstagram"
    assert query["force_reauth"] == "true"
