"""Refresh-token rotation (RFC 6749 §6) with `refresh_access_token`, sync and async, against the
mock OpenID provider; and the `jwt`-callback recipes of docs/providers/refresh.md, run through
`Auth()` as the page shows them."""

from __future__ import annotations

import asyncio
import time
import types
from typing import Any

import httpx
import pytest

from authcore.errors import OAuthProviderError
from authcore.oauth import async_refresh_access_token, refresh_access_token
from authcore.providers.instagram import Instagram, async_refresh_long_lived_token
from authcore.providers.oidc import OIDC
from authcore.testing import MockIdP
from tests.support.e2e import Browser
from tests.support.oauth import ORIGIN, SECRET, full_flow, make_env


def _signed_in(idp: MockIdP, http: httpx.Client, **options: Any) -> tuple[Any, dict[str, Any]]:
    provider = OIDC(**idp.provider_options("oidc"), **options)
    return provider, full_flow(provider, make_env(), http).account


def test_refresh_rotates_and_the_new_token_works(mock_idp: MockIdP, http: httpx.Client) -> None:
    provider, account = _signed_in(mock_idp, http)
    new = refresh_access_token(provider, account["refresh_token"], client=http)
    assert new["access_token"] != account["access_token"]
    assert new["refresh_token"] != account["refresh_token"]  # rotated
    assert new["token_type"] == "bearer" and new["expires_in"] == 3600
    assert new["expires_at"] >= int(time.time()) + 3599
    request = mock_idp.requests_to("/oidc/token")[-1]
    assert request.form["grant_type"] == "refresh_token"
    assert request.basic_auth == (mock_idp.client_id, mock_idp.client_secret)
    userinfo = http.get(
        f"{mock_idp.issuer}/userinfo", headers={"authorization": f"Bearer {new['access_token']}"}
    )
    assert userinfo.status_code == 200


def test_a_spent_refresh_token_is_not_retryable(mock_idp: MockIdP, http: httpx.Client) -> None:
    provider, account = _signed_in(mock_idp, http)
    refresh_access_token(provider, account["refresh_token"], client=http)
    with pytest.raises(OAuthProviderError, match="invalid_grant") as info:
        refresh_access_token(provider, account["refresh_token"], client=http)
    assert info.value.retryable is False
    assert account["refresh_token"] not in str(info.value)


def test_an_outage_is_retryable(mock_idp: MockIdP, http: httpx.Client) -> None:
    provider, account = _signed_in(mock_idp, http)
    mock_idp.faults.token_status = 503
    with pytest.raises(OAuthProviderError) as info:
        refresh_access_token(provider, account["refresh_token"], client=http)
    assert info.value.retryable is True


def test_client_authentication_follows_the_provider(mock_idp: MockIdP, http: httpx.Client) -> None:
    mock_idp.oidc_token_auth_methods = ("client_secret_post",)
    provider, account = _signed_in(mock_idp, http)
    refresh_access_token(provider, account["refresh_token"], client=http, scope="openid")
    request = mock_idp.requests_to("/oidc/token")[-1]
    assert request.basic_auth is None
    assert request.form["client_secret"] == mock_idp.client_secret
    assert request.form["scope"] == "openid"


def test_no_refresh_token_is_a_clear_error(mock_idp: MockIdP, http: httpx.Client) -> None:
    provider = OIDC(**mock_idp.provider_options("oidc"))
    with pytest.raises(OAuthProviderError, match="no refresh token"):
        refresh_access_token(provider, "", client=http)
    assert not mock_idp.requests_to("/oidc/token")


def test_async_refresh(mock_idp: MockIdP, http: httpx.Client) -> None:
    provider, account = _signed_in(mock_idp, http)

    async def run() -> dict[str, Any]:
        async with httpx.AsyncClient() as http:
            return await async_refresh_access_token(provider, account["refresh_token"], client=http)

    assert asyncio.run(run())["access_token"] != account["access_token"]


# ---- the docs recipe ----------------------------------------------------------------------------
# Copied from docs/providers/refresh.md; `time` is this module's, so the test can move the clock.

provider: Any = None  # set by the test: the page's `provider = OIDC(...)`


async def jwt(token: dict[str, Any], account: dict[str, Any] | None = None, **_: Any) -> Any:
    if account is not None:  # the sign-in: keep what a refresh needs
        return {
            **token,
            "access_token": account["access_token"],
            "expires_at": account["expires_at"],
            "refresh_token": account.get("refresh_token"),
        }
    if time.time() < token["expires_at"] - 60:
        return token  # still valid for more than a minute
    try:
        async with httpx.AsyncClient() as http:
            new = await async_refresh_access_token(provider, token["refresh_token"], client=http)
    except OAuthProviderError as exc:
        if exc.retryable:
            return token  # an outage or a rate limit: try again on the next request
        return {**token, "error": "RefreshTokenError"}  # the user must sign in again
    return {
        **token,
        "access_token": new["access_token"],
        "expires_at": new["expires_at"],
        "refresh_token": new["refresh_token"],
    }


async def session(session: dict[str, Any], token: dict[str, Any], **_: Any) -> Any:
    session["error"] = token.get("error")
    return session


def _recipe_browser(
    provider_: Any, jwt_callback: Any, http: httpx.Client
) -> tuple[Browser, list[str]]:
    """A browser on an app configured with the recipe; `seen` collects each session read's
    access token."""
    seen: list[str] = []

    async def exposing_session(**kw: Any) -> Any:
        seen.append(kw["token"]["access_token"])
        return await session(**kw)

    config = {
        "providers": [provider_],
        "secret": SECRET,
        "url": f"{ORIGIN}/api/auth",
        "callbacks": {"jwt": jwt_callback, "session": exposing_session},
    }
    return Browser(config, http, use_async=True), seen


def test_jwt_callback_recipe(
    mock_idp: MockIdP, http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    oidc = OIDC(**mock_idp.provider_options("oidc"))
    monkeypatch.setitem(globals(), "provider", oidc)
    browser, seen = _recipe_browser(oidc, jwt, http)
    assert browser.sign_in("oidc").status == 302
    assert browser.session()["error"] is None
    first = seen[-1]
    assert len(mock_idp.requests_to("/oidc/token")) == 1  # still valid: no refresh

    later = time.time() + 3600  # the access token has expired
    monkeypatch.setitem(globals(), "time", types.SimpleNamespace(time=lambda: later))
    assert browser.session()["error"] is None
    assert seen[-1] != first
    assert mock_idp.requests_to("/oidc/token")[-1].form["grant_type"] == "refresh_token"

    mock_idp.faults.token_status = 503  # an outage: kept, tried again later
    later += 3600
    assert browser.session()["error"] is None
    mock_idp.faults.token_status = None
    mock_idp.faults.token_body = "missing_access_token"  # a broken answer: sign in again
    assert browser.session()["error"] == "RefreshTokenError"


# ---- the Instagram recipe (docs/providers/refresh.md), copied as the page shows it ------------

instagram: Any = None  # the page's `instagram = Instagram(long_lived=True)`
DAY = 24 * 3600


async def instagram_jwt(
    token: dict[str, Any], account: dict[str, Any] | None = None, **_: Any
) -> Any:
    now = time.time()
    if account is not None:  # the sign-in, with long_lived=True: the 60-day token
        return {
            **token,
            "access_token": account["access_token"],
            "issued_at": now,
            "expires_at": account["expires_at"],
        }
    if now >= token["expires_at"]:
        return {**token, "error": "RefreshTokenError"}  # expired: sign in again
    if now - token["issued_at"] < DAY:
        return token  # under 24 hours old: Instagram would refuse the refresh
    try:
        async with httpx.AsyncClient() as http:
            new = await async_refresh_long_lived_token(
                token["access_token"], client=http, graph_url=instagram.graph_url
            )
    except OAuthProviderError as exc:
        if exc.retryable:
            return token  # a rate limit or an outage: try again on a later request
        return {**token, "error": "RefreshTokenError"}
    return {
        **token,
        "access_token": new["access_token"],
        "issued_at": now,
        "expires_at": new["expires_at"],
    }


def test_instagram_jwt_callback_recipe(
    mock_idp: MockIdP, http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider_ = Instagram(**mock_idp.provider_options("instagram"), long_lived=True)
    monkeypatch.setitem(globals(), "instagram", provider_)
    clock = [time.time()]
    mock_idp.now = lambda: clock[0]  # Instagram's clock and the app's move together
    monkeypatch.setitem(globals(), "time", types.SimpleNamespace(time=lambda: clock[0]))
    browser, seen = _recipe_browser(provider_, instagram_jwt, http)
    assert browser.sign_in("instagram").status == 302
    refresh_path = "/instagram/graph/refresh_access_token"

    clock[0] += 3600  # an hour later: too recent to refresh, nothing sent
    assert browser.session()["error"] is None
    assert not mock_idp.requests_to(refresh_path)
    first = seen[-1]

    clock[0] += 2 * DAY  # two days later: refreshed, for 60 more days
    assert browser.session()["error"] is None
    assert seen[-1] != first
    assert len(mock_idp.requests_to(refresh_path)) == 1

    mock_idp.faults.exchange_rate_limited = True  # a day on, rate limited: kept, retried later
    clock[0] += 1.5 * DAY
    assert browser.session()["error"] is None
    mock_idp.faults.exchange_rate_limited = False

    clock[0] += 61 * DAY  # away for 61 days: the token died, sign in again
    assert browser.session()["error"] == "RefreshTokenError"
