"""`AUTH_MOCK_IDP_URL`: one setting points Instagram, GitHub and OpenID Connect providers at a
running mock IdP (shown through Flask's test client), and only a loopback one."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from authcore.adapters.flask import AuthCore, get_session
from authcore.errors import ConfigError
from authcore.providers.credentials import Credentials
from authcore.providers.github import GitHub
from authcore.providers.google import Google
from authcore.providers.instagram import Instagram
from authcore.testing import MockIdP, sign_in


def _app(env: dict[str, str]) -> Flask:
    app = Flask(__name__)
    AuthCore(
        app,
        {
            "providers": [
                Instagram(),  # no client id or URLs: all come from the mock setting
                GitHub(),
                Google(),
                Credentials(credentials={"u": {}}, authorize=lambda c, r: None),
            ],
            "secret": "mock-idp-env-tests-secret",
            "url": "http://localhost",
            "env": env,
        },
    )

    @app.get("/me")
    def me() -> dict[str, Any]:
        return {"session": get_session()}

    return app


@pytest.mark.parametrize(
    ("provider", "name"),
    [("instagram", "Mock Business"), ("github", "Octo Cat"), ("google", None)],
)
def test_each_provider_signs_in_at_the_mock(
    mock_idp: MockIdP, provider: str, name: str | None
) -> None:
    client = _app({"AUTH_MOCK_IDP_URL": mock_idp.url}).test_client()
    assert sign_in(client, provider).ok
    me: Any = client.get("/me").json
    assert (
        me["session"]["user"]["name"] == mock_idp.oidc_user.name if provider == "google" else name
    )


@pytest.mark.parametrize("url", ["https://mock.example.com", "http://10.0.0.5:9000", "file:///x"])
def test_only_a_loopback_mock_is_accepted(url: str) -> None:
    with pytest.raises(ConfigError, match="AUTH_MOCK_IDP_URL"):
        _app({"AUTH_MOCK_IDP_URL": url})
