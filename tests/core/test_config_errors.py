"""Configuration errors carry Auth.js's names and reach the configured logger.

Counterparts of `@auth/core@0.41.3` `packages/core/test/assert-config.test.ts`: each case
either passes as in Auth.js or says which row of docs/differences.md it follows.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import pytest

import authcore
from authcore import ConfigError, Request, auth_sync, validate_config
from authcore.errors import (
    InvalidEndpoints,
    MissingAdapter,
    MissingAuthorize,
    MissingSecret,
    UnsupportedStrategy,
)
from authcore.providers.credentials import Credentials
from authcore.providers.oauth import Endpoint, OAuthProvider
from authcore.providers.oidc import OIDC
from tests.support.core import SECRET, authorize

CONFIG_ANSWER = {
    "message": "There was a problem with the server configuration. "
    "Check the server logs for more information."
}
ORIGIN = "https://authjs.test"


def _request(config: dict[str, Any], action: str = "session", **kw: Any) -> authcore.Response:
    return auth_sync(Request("GET", f"{ORIGIN}/auth/{action}", **kw), config)


def _config(logged: list[BaseException], **extra: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "secret": SECRET,
        "trust_host": True,
        "base_path": "/auth",
        "env": {},
        "logger": {"error": logged.append},
        "providers": [],
    }
    config.update(extra)
    return config


def _refused(
    logged: list[BaseException],
    config: dict[str, Any],
    error: type[ConfigError],
    action: str = "session",
) -> str:
    """Auth.js's assertion: 500 with the configuration message, and `logger.error` called
    with the named error. Returns the logged message."""
    response = _request(config, action)
    assert response.status == 500
    assert response.json() == CONFIG_ANSWER
    assert [type(e) for e in logged] == [error]
    assert isinstance(logged[0], ConfigError)
    return str(logged[0])


def test_missing_secret() -> None:
    logged: list[BaseException] = []
    message = _refused(logged, _config(logged, secret=None), MissingSecret)
    assert "Please define a `secret`" in message


def test_missing_secret_is_catchable_by_either_name() -> None:
    for catch in (MissingSecret, ConfigError, authcore.MissingSecret, ValueError):
        with pytest.raises(catch):
            validate_config({"env": {}})


def test_untrusted_host_is_a_documented_difference() -> None:
    """Auth.js answers every request with `UntrustedHost` without `trustHost`; authcore serves
    loopback hosts and refuses the others (docs/differences.md, "Trust of the host")."""
    logged: list[BaseException] = []
    config = _config(logged, trust_host=False)
    response = _request(config)
    assert response.status == 500 and response.json() == CONFIG_ANSWER
    assert [e.type for e in logged if isinstance(e, authcore.AuthError)] == ["UntrustedHost"]


@pytest.mark.parametrize("callback_url", ["non-relative", "a"])
@pytest.mark.parametrize("where", ["search param", "cookie", "cookie-custom"])
def test_invalid_callback_url_is_a_documented_difference(callback_url: str, where: str) -> None:
    """Auth.js answers 500 `InvalidCallbackUrl`; authcore ignores the value and falls back to the
    origin (docs/differences.md rows 2 and "Default `redirect` callback")."""
    logged: list[BaseException] = []
    extra: dict[str, Any] = {}
    headers: dict[str, str] = {}
    url = f"{ORIGIN}/auth/signin"
    if where == "search param":
        url += f"?callbackUrl={callback_url}"
    else:
        name = "__Secure-authjs.callback-url" if where == "cookie" else "custom-name"
        headers["cookie"] = f"{name}={callback_url}"
        if where == "cookie-custom":
            extra["cookies"] = {"callback_url": {"name": name}}
    response = auth_sync(Request("GET", url, headers), _config(logged, **extra))
    assert response.status == 200
    assert logged == []
    stored = [c for c in response.set_cookies if "callback-url=" in c or "custom-name=" in c]
    assert stored and "https%3A%2F%2Fauthjs.test" in stored[0]


def _oauth(**endpoints: Any) -> OAuthProvider:
    """A generic OAuth provider built directly, with only the given endpoints."""
    urls: dict[str, Any] = {
        k: v if isinstance(v, Mapping) else Endpoint(v) for k, v in endpoints.items()
    }
    return OAuthProvider(id="provider-id", name="", client_id="c", client_secret="s", **urls)


@pytest.mark.parametrize(
    ("provider", "missing"),
    [
        # authcore's OIDC providers always need the issuer (their keys come from discovery)
        (lambda: OIDC(id="provider-id", client_id="c", client_secret="s"), "issuer"),
        (_oauth(), "authorization"),
        (_oauth(authorization="http://a"), "token"),
        (_oauth(authorization="http://a", token="http://a"), "userinfo"),
        (
            _oauth(authorization="http://a", token="http://a", userinfo={"foo": "http://a"}),
            "userinfo",
        ),
    ],
)
def test_oauth_invalid_endpoints(provider: Any, missing: str) -> None:
    logged: list[BaseException] = []
    message = _refused(logged, _config(logged, providers=[provider]), InvalidEndpoints, "providers")
    assert "provider-id" in message and missing in message


def test_endpoint_that_is_not_a_url_is_invalid_endpoints() -> None:
    logged: list[BaseException] = []
    provider = _oauth(authorization="http://a", token="ftp://a", userinfo="http://a")
    _refused(logged, _config(logged, providers=[provider]), InvalidEndpoints, "providers")


@pytest.mark.parametrize("provider", [Credentials, Credentials(id="provider-id")])
def test_credentials_missing_authorize(provider: Any) -> None:
    logged: list[BaseException] = []
    message = _refused(logged, _config(logged, providers=[provider]), MissingAuthorize, "providers")
    assert "authorize" in message


def test_credentials_with_database_strategy() -> None:
    """Auth.js checks the strategy before `authorize`; here the provider is complete so only
    the strategy is wrong."""
    logged: list[BaseException] = []
    config = _config(
        logged, providers=[Credentials(authorize=authorize)], session={"strategy": "database"}
    )
    message = _refused(logged, config, UnsupportedStrategy, "providers")
    assert "only supported if JWT strategy is enabled" in message


def test_database_strategy_without_adapter() -> None:
    logged: list[BaseException] = []
    idp = "https://idp.example"
    provider = _oauth(authorization=f"{idp}/a", token=f"{idp}/t", userinfo=f"{idp}/u")
    config = _config(logged, providers=[provider], session={"strategy": "database"})
    _refused(logged, config, MissingAdapter, "providers")


def test_unknown_strategy() -> None:
    logged: list[BaseException] = []
    _refused(logged, _config(logged, session={"strategy": "cookie"}), UnsupportedStrategy)


def test_object_logger_and_default_logger(caplog: pytest.LogCaptureFixture) -> None:
    class Monitor:
        def __init__(self) -> None:
            self.errors: list[BaseException] = []

        def error(self, error: BaseException) -> None:
            self.errors.append(error)

    monitor = Monitor()
    config = {"env": {}, "logger": monitor}
    assert _request(config).status == 500
    assert [e.type for e in monitor.errors if isinstance(e, ConfigError)] == ["MissingSecret"]
    with caplog.at_level(logging.ERROR, logger="authcore"):
        assert _request({"env": {}}).status == 500
    assert "[auth][error] MissingSecret: Please define a `secret`" in caplog.text


def test_a_failing_user_logger_does_not_break_the_answer(caplog: pytest.LogCaptureFixture) -> None:
    def broken(error: BaseException) -> None:
        raise RuntimeError("monitoring down")

    with caplog.at_level(logging.ERROR, logger="authcore"):
        response = _request({"env": {}, "logger": {"error": broken}})
    assert response.status == 500 and response.json() == CONFIG_ANSWER
    assert "the configured logger raised RuntimeError" in caplog.text
