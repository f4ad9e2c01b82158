"""`authcore.testing.sign_in`: picking the user, injecting faults, clear setup errors, and the
async twin on an `httpx.AsyncClient` (the per-framework runs are in tests/guide)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from authcore.adapters.starlette import StarletteAuth
from authcore.providers.github import GitHub
from authcore.providers.instagram import Instagram
from authcore.testing import (
    InstagramUser,
    MockIdP,
    OAuth2User,
    SignInFailed,
    async_sign_in,
    sign_in,
)

ORIGIN = "http://testserver"


def _app(mock_idp: MockIdP, **config: Any) -> Starlette:
    auth = StarletteAuth(
        {
            "providers": [
                Instagram(**mock_idp.provider_options("instagram")),
                GitHub(**mock_idp.provider_options("oauth2")),
            ],
            "secret": "sign-in-helper-tests-secret",
            **config,
        }
    )

    async def me(request: Request) -> JSONResponse:
        return JSONResponse(await auth.get_session(request))

    return Starlette(routes=[*auth.routes, Route("/me", me)], middleware=[auth.middleware])


def test_user_picks_who_signs_in(mock_idp: MockIdP) -> None:
    client = TestClient(_app(mock_idp, url=ORIGIN))
    result = sign_in(client, "instagram", idp=mock_idp, user=InstagramUser(name="Someone Else"))
    assert result.ok
    assert client.get("/me").json()["user"]["name"] == "Someone Else"
    other = TestClient(_app(mock_idp, url=ORIGIN))
    sign_in(other, "github", idp=mock_idp, user=OAuth2User(id=7, login="hubot", name="Hubot"))
    assert other.get("/me").json()["user"]["name"] == "Hubot"


def test_faults_make_the_sign_in_fail_as_the_app_shows_it(mock_idp: MockIdP) -> None:
    client = TestClient(_app(mock_idp, url=ORIGIN))
    result = sign_in(client, "instagram", idp=mock_idp, faults={"token_status": 500})
    assert not result.ok
    assert result.error == "OAuthProviderError"
    assert result.location.startswith(f"{ORIGIN}/api/auth/error?")
    assert client.get("/me").json() is None


def test_an_untrusted_test_host_is_a_clear_setup_error(mock_idp: MockIdP) -> None:
    client = TestClient(_app(mock_idp))  # neither `url` nor trust_host: testserver is refused
    with pytest.raises(SignInFailed, match="trust"):
        sign_in(client, "instagram")


def test_the_consent_page_needs_a_decision(mock_idp: MockIdP) -> None:
    mock_idp.auto_approve = False
    client = TestClient(_app(mock_idp, url=ORIGIN))
    with pytest.raises(SignInFailed, match="decision='allow'"):
        sign_in(client, "instagram")
    assert sign_in(client, "instagram", decision="allow").ok


def test_wrong_arguments_are_refused(mock_idp: MockIdP) -> None:
    with pytest.raises(TypeError, match="idp="):
        sign_in(TestClient(_app(mock_idp, url=ORIGIN)), "instagram", user=InstagramUser())
    with pytest.raises(TypeError, match="unsupported client"):
        sign_in(object(), "instagram")


def test_async_sign_in_on_an_httpx_async_client(mock_idp: MockIdP) -> None:
    app = _app(mock_idp, url="http://app.test")

    async def run() -> tuple[bool, Any]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://app.test") as client:
            result = await async_sign_in(client, "instagram")
            return result.ok, (await client.get("/me")).json()

    ok, session = asyncio.run(run())
    assert ok and session["user"]["name"] == "Mock Business"
