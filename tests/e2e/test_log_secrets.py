"""No secret, token, code, code_verifier or cookie value reaches any log record, at DEBUG, from
authcore or from the libraries it calls (httpx logs request URLs at INFO, httpcore response
headers at DEBUG; Instagram puts tokens and, in the long-lived exchange, the app secret in
URLs). Every provider flow runs against the mock IdP over real HTTP with a root handler that
keeps every record of every logger."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from authcore.providers.github import GitHub
from authcore.providers.google import Google
from authcore.providers.instagram import (
    Instagram,
    async_refresh_long_lived_token,
    refresh_long_lived_token,
)
from authcore.providers.oidc import OIDC
from authcore.testing import MockIdP
from tests.support.e2e import Browser
from tests.support.oauth import ORIGIN, SECRET

pytestmark = pytest.mark.e2e

_SECRET_FIELDS = (
    "access_token",
    "refresh_token",
    "id_token",
    "client_secret",
    "code",
    "code_verifier",
    "fb_exchange_token",
)


class _Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.lines.append(f"{record.name}: {text}")


@pytest.fixture
def every_record() -> Iterator[_Keep]:
    root = logging.getLogger()
    handler = _Keep()
    saved = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(saved)


def _secrets_seen_by_idp(idp: MockIdP) -> set[str]:
    """Every credential authcore sent the IdP: query and form values of secret fields and
    Authorization header values."""
    out: set[str] = {idp.client_secret}
    for req in idp.requests:
        for key, value in (*req.query_pairs, *req.form_pairs):
            if key in _SECRET_FIELDS and value:
                out.add(value)
        auth = req.headers.get("authorization")
        if auth:
            out.add(auth.split(" ", 1)[-1])
    return out


def _assert_clean(records: _Keep, secrets: set[str]) -> None:
    secrets = {s for s in secrets if len(s) >= 8}
    assert records.lines, "nothing was logged: the test would prove nothing"
    leaks = [(line[:160], s[:12]) for line in records.lines for s in secrets if s in line]
    assert leaks == []


def _config(provider: Any, accounts: list[dict[str, Any]]) -> dict[str, Any]:
    def jwt_cb(token: dict[str, Any], **kw: Any) -> dict[str, Any]:
        if kw.get("account"):
            accounts.append(dict(kw["account"]))
        return token

    # no `logger`: authcore's own records go to the stdlib logger, tracebacks included
    return {
        "providers": [provider],
        "secret": SECRET,
        "url": f"{ORIGIN}/api/auth",
        "debug": True,
        "callbacks": {"jwt": jwt_cb},
    }


FLOWS: list[tuple[str, str, dict[str, Any], bool]] = [
    ("instagram", "instagram", {}, False),
    ("instagram-long-lived", "instagram", {"long_lived": True}, False),
    ("instagram-long-lived-async", "instagram", {"long_lived": True}, True),
    ("github", "oauth2", {}, False),
    ("google", "oidc", {}, False),
    ("oidc", "oidc", {}, True),
]


def _provider(idp: MockIdP, name: str, flavour: Any, extra: dict[str, Any]) -> Any:
    options = {**idp.provider_options(flavour), **extra}
    if name.startswith("instagram"):
        return Instagram(**options)
    if name == "github":
        return GitHub(**options)
    if name == "google":
        return Google(**options)
    return OIDC(**options)


@pytest.mark.parametrize(
    ("name", "flavour", "extra", "use_async"), FLOWS, ids=[f[0] for f in FLOWS]
)
def test_sign_in_logs_no_secret(
    mock_idp: MockIdP,
    every_record: _Keep,
    name: str,
    flavour: Any,
    extra: dict[str, Any],
    use_async: bool,
) -> None:
    accounts: list[dict[str, Any]] = []
    provider = _provider(mock_idp, name, flavour, extra)
    with httpx.Client() as http:
        browser = Browser(_config(provider, accounts), http, use_async=use_async)
        done = browser.sign_in(provider.id)
        assert done.status == 302 and done.location == f"{ORIGIN}/dashboard"
        assert browser.session()["user"]
    secrets = _secrets_seen_by_idp(mock_idp) | {SECRET}
    secrets |= {str(v) for a in accounts for k, v in a.items() if k in _SECRET_FIELDS}
    secrets |= set(browser.cookies.values())
    assert any("HTTP Request" in line for line in every_record.lines)
    _assert_clean(every_record, secrets)


def test_failed_exchange_logs_no_secret(mock_idp: MockIdP, every_record: _Keep) -> None:
    """An error with `debug` logs a traceback: neither it nor httpx's lines carry a secret."""
    mock_idp.faults.token_status = 400
    accounts: list[dict[str, Any]] = []
    provider = Instagram(**mock_idp.provider_options("instagram"))
    with httpx.Client() as http:
        browser = Browser(_config(provider, accounts), http)
        done = browser.sign_in("instagram")
        assert done.location and "error=OAuthProviderError" in done.location
    assert any("OAuthProviderError" in line for line in every_record.lines)
    _assert_clean(every_record, _secrets_seen_by_idp(mock_idp) | {SECRET})


def test_instagram_refresh_logs_no_token(mock_idp: MockIdP, every_record: _Keep) -> None:
    mock_idp.instagram_refresh_min_age = 0  # refresh the token just issued
    accounts: list[dict[str, Any]] = []
    mock_idp.instagram_refresh_min_age = 0  # refresh at once (Instagram waits 24 h): logs only
    provider = Instagram(**mock_idp.provider_options("instagram"), long_lived=True)
    graph = mock_idp.provider_options("instagram")["graph_url"]
    with httpx.Client() as http:
        Browser(_config(provider, accounts), http).sign_in("instagram")
        token = accounts[0]["access_token"]
        # Instagram (and the mock) refresh only tokens at least a day old
        day = [time.time()]
        mock_idp.now = lambda: day[0]
        day[0] += 86_400
        refreshed = refresh_long_lived_token(token, client=http, graph_url=graph)
        day[0] += 86_400

    async def again() -> dict[str, Any]:
        async with httpx.AsyncClient() as client:
            return await async_refresh_long_lived_token(
                refreshed["access_token"], client=client, graph_url=graph
            )

    last = asyncio.run(again())
    assert mock_idp.requests_to("/instagram/graph/refresh_access_token")
    secrets = _secrets_seen_by_idp(mock_idp) | {token, refreshed["access_token"]}
    secrets.add(last["access_token"])
    _assert_clean(every_record, secrets)


def test_redaction_keeps_what_is_not_a_credential() -> None:
    from authcore._log_redaction import redact_text

    line = (
        "HTTP Request: GET https://u:pw@graph.example/access_token?grant_type=ig_exchange_token"
        '&client_secret=S3CR3T&access_token=IGQV "HTTP/1.1 200 OK"'
    )
    assert redact_text(line) == (
        "HTTP Request: GET https://[redacted]@graph.example/access_token?"
        "grant_type=ig_exchange_token&client_secret=[redacted]&access_token=[redacted] "
        '"HTTP/1.1 200 OK"'
    )
    headers = "[(b'Content-Type', b'json'), (b'set-cookie', b\"sid=abc; Path=/\")]"
    assert redact_text(headers) == "[(b'Content-Type', b'json'), (b'set-cookie', b'[redacted]')]"
