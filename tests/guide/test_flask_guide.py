"""The Flask page's example (examples/guide/flask_app.py) through Flask's test client."""

from __future__ import annotations

import httpx
import pytest
from flask.testing import FlaskClient

from authcore.pages import SIGNIN_CANCELLED
from authcore.testing import MockIdP, sign_in
from examples.guide.flask_app import create_app

from .conftest import Clock

ORIGIN = "http://localhost"  # Flask's test client host
DAY = 86400


@pytest.fixture
def client(app_env: MockIdP, monkeypatch: pytest.MonkeyPatch) -> FlaskClient:
    monkeypatch.setenv("AUTH_URL", ORIGIN)
    return create_app().test_client()


def test_signed_in_session_keeps_the_session_callback_fields(client: FlaskClient) -> None:
    assert sign_in(client, "instagram", callback_url="/dashboard").ok
    me = client.get("/api/me").json
    assert me is not None and me["username"] == "mock_business"
    assert client.get("/dashboard").text == "Dashboard of @mock_business"


def test_a_refreshed_token_is_written_back_once(
    app_env: MockIdP, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTH_URL", ORIGIN)
    clock = Clock(app_env)
    client = create_app(clock).test_client()
    assert sign_in(client, "instagram").ok
    clock.offset = 20 * DAY
    first = client.get("/api/me")
    assert "authjs.session-token" in first.headers["Set-Cookie"]
    assert client.get("/api/me").status_code == 200
    assert len(app_env.requests_to("/instagram/graph/refresh_access_token")) == 1


def test_get_token_reaches_the_graph_api(client: FlaskClient, app_env: MockIdP) -> None:
    sign_in(client, "instagram")
    assert client.get("/api/media-count").json == {
        "media_count": app_env.instagram_user.media_count
    }


def test_login_required_answers_api_calls_401_and_pages_303(client: FlaskClient) -> None:
    assert client.get("/api/me", headers={"Accept": "application/json"}).status_code == 401
    assert client.post("/account/close").status_code == 401
    page = client.get("/dashboard", headers={"Accept": "text/html,*/*"})
    assert page.status_code == 303
    assert page.headers["Location"] == "/api/auth/signin?callbackUrl=%2Fdashboard"


def test_login_page_form_carries_a_working_csrf_token(client: FlaskClient) -> None:
    page = client.get("/login")
    assert "authjs.csrf-token" in page.headers["Set-Cookie"]
    token = page.text.split('name="csrfToken" value="')[1].split('"')[0]
    started = client.post(
        "/api/auth/signin/instagram", data={"csrfToken": token, "callbackUrl": "/dashboard"}
    )
    assert started.status_code == 302
    assert "/instagram/oauth/authorize" in started.headers["Location"]


def test_server_side_sign_in_and_sign_out(client: FlaskClient) -> None:
    started = client.get("/login/instagram")
    assert started.status_code == 302
    back = httpx.get(started.headers["Location"])  # the browser at the mock IdP
    callback = httpx.URL(back.headers["location"])
    done = client.get(f"{callback.path}?{callback.query.decode()}")
    assert done.headers["Location"] == f"{ORIGIN}/dashboard"
    assert "Signed in as @mock_business" in client.get("/login").text

    closed = client.post("/account/close")
    assert closed.status_code == 302 and closed.headers["Location"] == f"{ORIGIN}/"
    assert client.get("/api/me", headers={"Accept": "application/json"}).status_code == 401


def test_cancel_at_the_provider_says_so(client: FlaskClient) -> None:
    result = sign_in(client, "instagram", decision="deny")
    assert result.code == "access_denied"
    assert SIGNIN_CANCELLED in client.get(result.location).text
