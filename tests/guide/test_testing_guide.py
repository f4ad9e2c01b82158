"""The testing guide's examples (docs/testing.md includes this file's marked parts)."""

from __future__ import annotations

from typing import Any

import pytest

# --8<-- [start:fastapi]
from fastapi.testclient import TestClient

from authcore.testing import InstagramUser, MockIdP, sign_in
from examples.guide.fastapi_app import create_app  # your app factory


@pytest.fixture
def client(mock_idp: MockIdP, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("AUTH_MOCK_IDP_URL", mock_idp.url)  # every provider -> the mock
    monkeypatch.setenv("AUTH_URL", "http://testserver")  # the test client's origin
    monkeypatch.setenv("AUTH_SECRET", "a-test-secret-of-enough-length")
    return TestClient(create_app())


def test_me(client: TestClient) -> None:
    assert sign_in(client, "instagram").ok  # to the mock IdP and back: the client is signed in
    assert client.get("/api/me").json()["username"] == "mock_business"


def test_someone_else(client: TestClient, mock_idp: MockIdP) -> None:
    sign_in(client, "instagram", idp=mock_idp, user=InstagramUser(username="creator"))
    assert client.get("/api/me").json()["username"] == "creator"


def test_instagram_is_down(client: TestClient, mock_idp: MockIdP) -> None:
    result = sign_in(client, "instagram", idp=mock_idp, faults={"token_status": 500})
    assert result.error == "OAuthProviderError"  # the app sent the browser to its error page
    assert client.get("/api/me").status_code == 401


def test_the_user_cancels(client: TestClient) -> None:
    result = sign_in(client, "instagram", decision="deny")  # Cancel on the consent step
    assert (result.error, result.code) == ("OAuthCallbackError", "access_denied")


# --8<-- [end:fastapi]


# --8<-- [start:flask]
def test_flask_app(mock_idp: MockIdP, monkeypatch: pytest.MonkeyPatch) -> None:
    from examples.guide.flask_app import create_app as create_flask_app

    monkeypatch.setenv("AUTH_MOCK_IDP_URL", mock_idp.url)
    monkeypatch.setenv("AUTH_URL", "http://localhost")  # Flask's test client origin
    monkeypatch.setenv("AUTH_SECRET", "a-test-secret-of-enough-length")
    client = create_flask_app().test_client()
    assert sign_in(client, "instagram").ok
    me: Any = client.get("/api/me").json
    assert me["username"] == "mock_business"


# --8<-- [end:flask]
