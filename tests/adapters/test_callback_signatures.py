"""Callback mistakes are caught when an adapter validates the config at start-up, and a `jwt`
returning None at sign-in is logged (through Flask's test client)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from flask import Flask

from authcore.adapters.flask import AuthCore, get_session
from authcore.adapters.starlette import StarletteAuth
from authcore.errors import ConfigError
from authcore.providers.instagram import Instagram
from authcore.testing import MockIdP, sign_in


def _config(mock_idp: MockIdP | None = None, **callbacks: Any) -> dict[str, Any]:
    options = (
        mock_idp.provider_options("instagram")
        if mock_idp
        else {"client_id": "i", "client_secret": "s"}
    )
    return {
        "providers": [Instagram(**options)],
        "secret": "callback-signature-tests",
        "url": "http://localhost",
        "callbacks": callbacks,
    }


def test_auth_js_style_single_params_object_is_refused_at_start_up() -> None:
    def jwt(params: dict[str, Any]) -> dict[str, Any]:
        return params["token"]  # type: ignore[no-any-return]

    with pytest.raises(ConfigError) as info:
        StarletteAuth(_config(jwt=jwt))
    message = str(info.value)
    assert "'callbacks.jwt'" in message and "'params'" in message
    assert "def jwt(*, token, session, user=None" in message


def test_positional_sign_in_only_arguments_are_refused_at_start_up() -> None:
    def jwt(token: Any, user: Any, account: Any, profile: Any) -> Any:
        return token

    with pytest.raises(ConfigError, match="'user' is not passed on every call"):
        AuthCore(Flask(__name__), _config(jwt=jwt))


def test_positional_only_and_unknown_names_are_refused_for_every_callback() -> None:
    with pytest.raises(ConfigError, match=r"'callbacks\.session'.*positional-only"):
        StarletteAuth(_config(session=lambda s, /: s))
    with pytest.raises(ConfigError, match=r"'callbacks\.redirect'.*'target'"):
        StarletteAuth(_config(redirect=lambda target: target))


@pytest.mark.parametrize(
    "jwt",
    [
        lambda *, token, **_: token,
        lambda token, user=None, account=None, profile=None: token,
        lambda **kwargs: kwargs["token"],
    ],
)
def test_the_documented_forms_are_accepted(jwt: Any) -> None:
    StarletteAuth(_config(jwt=jwt))


def test_jwt_returning_none_at_sign_in_is_logged(
    mock_idp: MockIdP, caplog: pytest.LogCaptureFixture
) -> None:
    app = Flask(__name__)
    AuthCore(app, _config(mock_idp, jwt=lambda *, token, **_: None))

    @app.get("/me")
    def me() -> dict[str, Any]:
        return {"session": get_session()}

    client = app.test_client()
    with caplog.at_level(logging.ERROR, logger="authcore"):
        assert sign_in(client, "instagram").ok  # the flow itself completes ...
    assert client.get("/me").json == {"session": None}  # ... without a session
    assert any("jwt callback returned None at sign-in" in r.getMessage() for r in caplog.records)
