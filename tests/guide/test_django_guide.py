"""The Django page's example (examples/guide/django_app.py) through Django's test Client."""

from __future__ import annotations

from collections.abc import Iterator

import django
import httpx
import pytest
from django.conf import settings

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="django-guide-tests",
        ALLOWED_HOSTS=["testserver"],
        ROOT_URLCONF="examples.guide.django_app",
        MIDDLEWARE=["authcore.adapters.django.AuthMiddleware"],
        AUTHCORE={},
    )
    django.setup()

from asgiref.sync import async_to_sync
from django.http import HttpRequest, JsonResponse
from django.test import AsyncClient, Client, override_settings
from django.urls import path

from authcore.adapters.django import aget_session
from authcore.pages import SIGNIN_CANCELLED
from authcore.testing import MockIdP, sign_in
from examples.guide import django_app

from .conftest import Clock

ORIGIN = "http://testserver"
DAY = 86400
JSON = {"Accept": "application/json"}


async def me_async(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"session": await aget_session(request)})


urlpatterns = [*django_app.urlpatterns, path("api/me-async", me_async)]


def _settings(config: object) -> override_settings:
    """The settings the Django page shows, with this test's config (its clock)."""
    return override_settings(**{**django_app.SETTINGS, "AUTHCORE": config})


@pytest.fixture
def client(app_env: MockIdP, monkeypatch: pytest.MonkeyPatch) -> Iterator[Client]:
    monkeypatch.setenv("AUTH_URL", ORIGIN)
    with _settings(django_app.make_config()):
        yield Client()


def test_signed_in_session_keeps_the_session_callback_fields(client: Client) -> None:
    assert sign_in(client, "instagram", callback_url="/dashboard").ok
    assert client.get("/api/me").json()["username"] == "mock_business"
    assert client.get("/dashboard").content == b"Dashboard of @mock_business"


def test_a_refreshed_token_is_written_back_once(
    app_env: MockIdP, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTH_URL", ORIGIN)
    clock = Clock(app_env)
    with _settings(django_app.make_config(clock)):
        client = Client()
        assert sign_in(client, "instagram").ok
        clock.offset = 20 * DAY
        first = client.get("/api/me")
        assert any(k.startswith("authjs.session-token") for k in first.cookies)
        assert client.get("/api/me").status_code == 200
    assert len(app_env.requests_to("/instagram/graph/refresh_access_token")) == 1


def test_get_token_reaches_the_graph_api(client: Client, app_env: MockIdP) -> None:
    sign_in(client, "instagram")
    assert client.get("/api/media-count").json() == {
        "media_count": app_env.instagram_user.media_count
    }


def test_login_required_answers_api_calls_401_and_pages_303(client: Client) -> None:
    assert client.get("/api/me", headers=JSON).status_code == 401
    assert client.post("/account/close").status_code == 401
    page = client.get("/dashboard")
    assert page.status_code == 303
    assert page.headers["Location"] == "/api/auth/signin?callbackUrl=%2Fdashboard"


def test_login_page_form_carries_a_working_csrf_token(client: Client) -> None:
    page = client.get("/login")
    assert "authjs.csrf-token" in page.cookies
    token = page.content.decode().split('name="csrfToken" value="')[1].split('"')[0]
    started = client.post(
        "/api/auth/signin/instagram",
        data=f"csrfToken={token}&callbackUrl=%2Fdashboard",
        content_type="application/x-www-form-urlencoded",
    )
    assert started.status_code == 302
    assert "/instagram/oauth/authorize" in started.headers["Location"]


def test_server_side_sign_in_and_sign_out(client: Client) -> None:
    started = client.get("/login/instagram")
    assert started.status_code == 302
    back = httpx.get(started.headers["Location"])  # the browser at the mock IdP
    callback = httpx.URL(back.headers["location"])
    done = client.get(f"{callback.path}?{callback.query.decode()}")
    assert done.headers["Location"] == f"{ORIGIN}/dashboard"
    assert b"Signed in as @mock_business" in client.get("/login").content

    closed = client.post("/account/close")
    assert closed.status_code == 302 and closed.headers["Location"] == f"{ORIGIN}/"
    assert client.get("/api/me", headers=JSON).status_code == 401


def test_cancel_at_the_provider_says_so(client: Client) -> None:
    result = sign_in(client, "instagram", decision="deny")
    assert result.code == "access_denied"
    assert SIGNIN_CANCELLED in client.get(result.location).content.decode()


def test_async_views_write_the_refreshed_cookie_too(
    app_env: MockIdP, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTH_URL", ORIGIN)
    clock = Clock(app_env)
    with _settings(django_app.make_config(clock)), override_settings(ROOT_URLCONF=__name__):
        client = Client()
        assert sign_in(client, "instagram").ok
        clock.offset = 20 * DAY
        async_client = AsyncClient()
        async_client.cookies = client.cookies
        first = async_to_sync(async_client.get)(
            "/api/me-async"
        )  # ASGI: the middleware's async path
        assert first.json()["session"]["user"]["name"] == "Mock Business"
        assert any(k.startswith("authjs.session-token") for k in first.cookies)
        async_client.cookies.update(first.cookies)
        async_to_sync(async_client.get)("/api/me-async")
    assert len(app_env.requests_to("/instagram/graph/refresh_access_token")) == 1
