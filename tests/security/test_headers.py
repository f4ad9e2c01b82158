"""Host and proxy headers (docs/security.md#deploying-behind-a-proxy; Auth.js
`src/lib/utils/env.ts`; the next-auth v4 `detectOrigin` fix): a configured `url` beats every header;
without it only loopback hosts are served unless `trust_host` is on; `X-Forwarded-*` count only
under `trust_host`."""

from __future__ import annotations

from typing import Any

import pytest

from authcore import Request, auth_sync
from authcore.providers.instagram import Instagram
from tests.support.security import (
    ORIGIN,
    Logs,
    cookie_changes,
    credentials_provider,
    make_config,
    query_of,
)

CONFIG_500 = {
    "message": "There was a problem with the server configuration. "
    "Check the server logs for more information."
}
SPOOF = {
    "host": "evil.example",
    "x-forwarded-host": "evil.example",
    "x-forwarded-proto": "http",
    "forwarded": "host=evil.example;proto=http",
}


def _providers(config: dict[str, Any], url: str, headers: dict[str, str]) -> Any:
    return auth_sync(Request("GET", url, headers), config)


def _instagram() -> Any:
    return Instagram(client_id="cid", client_secret="cs-0123456789")


@pytest.mark.parametrize("request_host", ["app.example.test", "evil.example", "10.0.0.7:8000"])
def test_configured_url_beats_every_header(request_host: str) -> None:
    config = make_config(providers=[credentials_provider(), _instagram()], trust_host=True)
    res = _providers(config, f"http://{request_host}/api/auth/providers", SPOOF)
    assert res.status == 200
    body = res.json()
    assert body["instagram"]["callbackUrl"] == f"{ORIGIN}/api/auth/callback/instagram"
    assert body["credentials"]["signinUrl"] == f"{ORIGIN}/api/auth/signin/credentials"


def test_redirect_uri_sent_to_the_provider_ignores_spoofed_headers() -> None:
    config = make_config(providers=[_instagram()])
    csrf = auth_sync(Request("GET", f"{ORIGIN}/api/auth/csrf", SPOOF), config)
    jar = cookie_changes(csrf).values
    from tests.support.security import cookie_header

    start = auth_sync(
        Request(
            "POST",
            f"{ORIGIN}/api/auth/signin/instagram",
            {
                **SPOOF,
                "cookie": cookie_header(jar),
                "content-type": "application/x-www-form-urlencoded",
            },
            f"csrfToken={csrf.json()['csrfToken']}".encode(),
        ),
        config,
    )
    assert start.status == 302 and start.location is not None
    assert query_of(start.location)["redirect_uri"] == f"{ORIGIN}/api/auth/callback/instagram"
    # and the cookies stay __Secure- although X-Forwarded-Proto said http
    assert set(cookie_changes(start).values) >= {
        "__Secure-authjs.state",
        "__Secure-authjs.pkce.code_verifier",
    }


@pytest.mark.parametrize("host", ["evil.example", "app.example.test", "10.0.0.7"])
def test_without_url_or_trust_a_public_host_is_refused(host: str, logs: Logs) -> None:
    config = {"secret": "s" * 40, "env": {}, "providers": [], **logs.config_extra()}
    res = auth_sync(Request("GET", f"https://{host}/api/auth/session", SPOOF), config)
    assert res.status == 500
    assert res.json() == CONFIG_500
    assert res.set_cookies == []
    assert logs.error_types() == ["UntrustedHost"]
    page = auth_sync(Request("GET", f"https://{host}/api/auth/signin"), config)
    assert page.status == 500
    assert host not in page.text or host == "app.example.test"


@pytest.mark.parametrize("host", ["localhost:3000", "127.0.0.1:8000", "[::1]:8000", "a.localhost"])
def test_loopback_is_served_and_forwarded_headers_ignored(host: str) -> None:
    config: dict[str, Any] = {"secret": "s" * 40, "env": {}, "providers": [credentials_provider()]}
    res = _providers(config, f"http://{host}/api/auth/providers", SPOOF)
    assert res.status == 200
    assert res.json()["credentials"]["signinUrl"] == f"http://{host}/api/auth/signin/credentials"
    csrf = auth_sync(
        Request("GET", f"http://{host}/api/auth/csrf", {"x-forwarded-proto": "https"}), config
    )
    assert set(cookie_changes(csrf).values) == {"authjs.csrf-token", "authjs.callback-url"}


def test_trust_host_uses_forwarded_headers() -> None:
    """Documented behaviour: trust means the proxy's X-Forwarded-Host/-Proto are believed."""
    config: dict[str, Any] = {"secret": "s" * 40, "env": {}, "providers": [credentials_provider()]}
    config["trust_host"] = True
    res = _providers(
        config,
        "http://10.0.0.7:8000/api/auth/providers",
        {"x-forwarded-host": "App.Example.Test", "x-forwarded-proto": "https"},
    )
    assert res.json()["credentials"]["signinUrl"] == f"{ORIGIN}/api/auth/signin/credentials"
    csrf = auth_sync(
        Request(
            "GET",
            "http://10.0.0.7:8000/api/auth/csrf",
            {"x-forwarded-host": "app.example.test", "x-forwarded-proto": "https"},
        ),
        config,
    )
    assert "__Host-authjs.csrf-token" in cookie_changes(csrf).values
    assert "Secure" in cookie_changes(csrf).lines["__Host-authjs.csrf-token"]


@pytest.mark.parametrize(
    "value",
    [
        "evil.example/path",
        "evil.example@app.example.test",
        "evil.example\r\nX-Injected: 1",
        "evil.example\\app",
        "evil example",
        "",
        "<script>",
        "evil.example:80:80",
        "[::1",
    ],
)
def test_malformed_forwarded_host_falls_back_to_request_host(value: str) -> None:
    config: dict[str, Any] = {"secret": "s" * 40, "env": {}, "providers": [credentials_provider()]}
    config["trust_host"] = True
    res = _providers(
        config, "http://app.internal:8000/api/auth/providers", {"x-forwarded-host": value}
    )
    assert res.status == 200
    assert (
        res.json()["credentials"]["signinUrl"]
        == "http://app.internal:8000/api/auth/signin/credentials"
    )


@pytest.mark.parametrize("proto", ["javascript", "ftp", "https;", "file", "wss"])
def test_unknown_forwarded_proto_is_ignored(proto: str) -> None:
    config: dict[str, Any] = {"secret": "s" * 40, "env": {}, "providers": [credentials_provider()]}
    config["trust_host"] = True
    res = _providers(config, "http://app.internal/api/auth/providers", {"x-forwarded-proto": proto})
    assert res.json()["credentials"]["signinUrl"].startswith("http://app.internal/")


def test_host_header_itself_is_never_read() -> None:
    """The adapter builds the request URL; a Host header inside it changes nothing."""
    config: dict[str, Any] = {"secret": "s" * 40, "env": {}, "providers": [credentials_provider()]}
    res = _providers(config, "http://localhost:3000/api/auth/providers", {"host": "evil.example"})
    assert "evil" not in res.text


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example@app.example.test/api/auth/session",
        "https://app.example.test:99999/api/auth/session",
        "https://app.example.test:/api/auth/session",
        "https://app.exa mple.test/api/auth/session",
        "javascript://app.example.test/api/auth/session",
        "https:///api/auth/session",
    ],
)
def test_request_urls_with_bad_authority_are_400(url: str) -> None:
    res = auth_sync(Request("GET", url), make_config())
    assert res.status == 400
    assert res.body == b'"Bad request."'
    assert res.set_cookies == []
