"""The Starlette page's example (examples/guide/starlette_app.py) through Starlette's
TestClient. The module reads AUTH_* at import, so it is imported inside the test."""

from __future__ import annotations

import importlib

import pytest
from starlette.testclient import TestClient

from authcore.testing import MockIdP, sign_in

ORIGIN = "http://testserver"


@pytest.fixture
def client(app_env: MockIdP, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("AUTH_URL", ORIGIN)
    module = importlib.reload(importlib.import_module("examples.guide.starlette_app"))
    return TestClient(module.app)


def test_home_offers_a_sign_in_form_with_its_csrf_cookie(client: TestClient) -> None:
    page = client.get("/")
    assert "authjs.csrf-token" in page.headers["set-cookie"]
    token = page.text.split('name="csrfToken" value="')[1].split('"')[0]
    started = client.post(
        "/api/auth/signin/instagram", data={"csrfToken": token}, follow_redirects=False
    )
    assert "/instagram/oauth/authorize" in started.headers["location"]


def test_requires_auth_redirects_pages_and_refuses_api_calls(client: TestClient) -> None:
    page = client.get("/dashboard", follow_redirects=False)
    assert page.status_code == 303
    assert client.get("/dashboard", headers={"accept": "application/json"}).status_code == 401
    assert client.post("/dashboard").status_code == 401


def test_signed_in(client: TestClient) -> None:
    assert sign_in(client, "instagram").ok
    assert client.get("/").text == "Hello Mock Business"
    answer = client.get("/dashboard")
    assert answer.json() == {"name": "Mock Business"}
    assert "authjs.session-token" in answer.headers["set-cookie"]  # rolled by the middleware
