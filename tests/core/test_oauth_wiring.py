"""The core's OAuth wiring end to end: `Auth` → authcore.oauth → the mock IdP on 127.0.0.1."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

import httpx

from authcore import Auth, Request, jwt
from authcore.providers.instagram import Instagram
from authcore.testing import MockIdP
from tests.support.core import BASE, ORIGIN, SECRET, Browser, make_config


def _config(idp: MockIdP, http: httpx.Client, **extra: Any) -> dict[str, Any]:
    return make_config(
        providers=[Instagram(**idp.provider_options("instagram"))], http_client=http, **extra
    )


def _to_callback(http: httpx.Client, b: Browser) -> str:
    start = b.call("POST", "/signin/instagram", form={"csrfToken": b.csrf()})
    assert start.status == 302, start.location
    assert {"authjs.state", "authjs.pkce.code_verifier"} <= set(b.jar)
    idp = http.get(start.location or "", follow_redirects=False)
    location = idp.headers["location"]
    assert location.startswith(f"{BASE}/callback/instagram?")
    return location[len(BASE) :]


def test_instagram_sign_in_through_auth(mock_idp: MockIdP, http: httpx.Client) -> None:
    signed_in: list[Any] = []
    b = Browser(
        _config(
            mock_idp,
            http,
            events={"sign_in": lambda account: signed_in.append(account["provider"])},
        )
    )
    b.call("GET", "/signin?callbackUrl=/dashboard")
    res = b.call("GET", _to_callback(http, b))
    assert res.status == 302 and res.location == ORIGIN + "/dashboard"
    assert "authjs.state" not in b.jar and "authjs.pkce.code_verifier" not in b.jar
    payload = jwt.decode(
        token=b.jar["authjs.session-token"], secret=SECRET, salt="authjs.session-token"
    )
    first_sub = payload["sub"]
    assert signed_in == ["instagram"]
    assert b.call("GET", "/session").json()["user"]["name"]
    # stable `sub` across sign-ins (deliberate fix of docs/differences.md row 5)
    b.call("GET", _to_callback(http, b))
    payload = jwt.decode(
        token=b.jar["authjs.session-token"], secret=SECRET, salt="authjs.session-token"
    )
    assert payload["sub"] == first_sub


def test_failed_callback_clears_check_cookies(mock_idp: MockIdP, http: httpx.Client) -> None:
    b = Browser(_config(mock_idp, http))
    path = _to_callback(http, b)
    parts = urlsplit(path)
    res = b.call("GET", f"{parts.path}?code=x&state=forged")
    assert res.status == 302
    assert res.location == f"{BASE}/error?error=Configuration"
    cleared = {c.split("=")[0] for c in res.set_cookies if "Max-Age=0" in c}
    assert cleared == {"authjs.state", "authjs.pkce.code_verifier"}
    assert "authjs.session-token" not in b.jar


def test_sign_in_callback_false_is_access_denied(mock_idp: MockIdP, http: httpx.Client) -> None:
    b = Browser(_config(mock_idp, http, callbacks={"sign_in": lambda **_: False}))
    res = b.call("GET", _to_callback(http, b))
    assert res.location == f"{BASE}/error?error=AccessDenied"
    assert "authjs.session-token" not in b.jar


def test_async_driver_uses_injected_async_client(mock_idp: MockIdP) -> None:
    async def run() -> Any:
        async with httpx.AsyncClient() as ac:
            cfg = make_config(
                providers=[Instagram(**mock_idp.provider_options("instagram"))],
                async_http_client=ac,
            )
            b = Browser(cfg)
            token = b.csrf()
            req = Request(
                "POST",
                BASE + "/signin/instagram",
                {"cookie": b.cookie_header(), "content-type": "application/x-www-form-urlencoded"},
                f"csrfToken={token}".encode(),
            )
            return await Auth(req, cfg)

    res = asyncio.run(run())
    assert res.status == 302 and (res.location or "").startswith(mock_idp.url)
