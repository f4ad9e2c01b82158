"""The FastAPI page's example (examples/guide/fastapi_app.py) through FastAPI's TestClient."""

from __future__ import annotations

import logging

import httpx
import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from authcore.adapters.starlette import StarletteAuth
from authcore.pages import SIGNIN_CANCELLED
from authcore.providers.instagram import Instagram
from authcore.testing import MockIdP, sign_in
from examples.guide.fastapi_app import create_app

from .conftest import Clock

ORIGIN = "http://testserver"
DAY = 86400


@pytest.fixture
def client(app_env: MockIdP, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("AUTH_URL", ORIGIN)
    return TestClient(create_app())


def test_signed_in_session_keeps_the_session_callback_fields(client: TestClient) -> None:
    assert sign_in(client, "instagram", callback_url="/dashboard").location == f"{ORIGIN}/dashboard"
    me = client.get("/api/me").json()
    assert me["username"] == "mock_business"  # added by the session callback, kept by FastAPI
    assert me["user"]["name"] == "Mock Business"
    assert client.get("/dashboard").text == "Dashboard of @mock_business"


def test_a_refreshed_token_is_written_back_once(
    app_env: MockIdP, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTH_URL", ORIGIN)
    clock = Clock(app_env)
    client = TestClient(create_app(clock))
    assert sign_in(client, "instagram").ok
    clock.offset = 20 * DAY  # 40 days left on the 60-day token: the jwt callback refreshes
    first = client.get("/api/me")
    assert first.status_code == 200 and "authjs.session-token" in first.headers["set-cookie"]
    assert client.get("/api/me").status_code == 200
    refreshes = app_env.requests_to("/instagram/graph/refresh_access_token")
    assert len(refreshes) == 1  # the second read used the token the first one stored


def test_the_token_dependency_reaches_the_graph_api(client: TestClient, app_env: MockIdP) -> None:
    sign_in(client, "instagram")
    assert client.get("/api/media-count").json() == {
        "media_count": app_env.instagram_user.media_count
    }


def test_signed_out_api_is_401_and_page_is_a_redirect(client: TestClient) -> None:
    assert client.get("/api/me").status_code == 401
    page = client.get("/dashboard", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/api/auth/signin?callbackUrl=%2Fdashboard"


def test_login_page_form_carries_a_working_csrf_token(client: TestClient) -> None:
    page = client.get("/login")
    assert "authjs.csrf-token" in page.headers["set-cookie"]
    token = page.text.split('name="csrfToken" value="')[1].split('"')[0]
    started = client.post(
        "/api/auth/signin/instagram",
        data={"csrfToken": token, "callbackUrl": "/dashboard"},
        follow_redirects=False,
    )
    assert (
        started.status_code == 302 and "/instagram/oauth/authorize" in started.headers["location"]
    )


def test_server_side_sign_in_and_sign_out(client: TestClient) -> None:
    started = client.get("/login/instagram", follow_redirects=False)
    assert started.status_code == 302
    assert "authjs.state" in started.headers["set-cookie"]
    back = httpx.get(started.headers["location"])  # the browser at the mock IdP
    callback = httpx.URL(back.headers["location"])
    done = client.get(f"{callback.path}?{callback.query.decode()}", follow_redirects=False)
    assert done.headers["location"] == f"{ORIGIN}/dashboard"
    assert client.get("/login").text.count("Signed in as @mock_business") == 1

    closed = client.post("/account/close", follow_redirects=False)
    assert closed.status_code == 302 and closed.headers["location"] == f"{ORIGIN}/"
    assert client.get("/api/me").status_code == 401


def test_cancel_at_the_provider_says_so(client: TestClient) -> None:
    result = sign_in(client, "instagram", decision="deny")
    assert (result.error, result.code) == ("OAuthCallbackError", "access_denied")
    page = client.get(result.location)
    assert SIGNIN_CANCELLED in page.text
    assert "different account" not in page.text


def test_session_reads_without_the_middleware_warn_once(
    app_env: MockIdP, caplog: pytest.LogCaptureFixture
) -> None:
    auth = StarletteAuth({"providers": [Instagram()], "url": ORIGIN})

    async def me(request: Request) -> JSONResponse:
        return JSONResponse(await auth.get_session(request))

    app = Starlette(routes=[*auth.routes, Route("/me", me)])  # no auth.middleware
    client = TestClient(app)
    sign_in(client, "instagram")
    with caplog.at_level(logging.WARNING, logger="authcore"):
        for _ in range(2):
            answer = client.get("/me")
            assert answer.json()["user"]["name"] == "Mock Business"
            assert "set-cookie" not in answer.headers
    warnings = [r for r in caplog.records if "AuthMiddleware" in r.getMessage()]
    assert len(warnings) == 1
