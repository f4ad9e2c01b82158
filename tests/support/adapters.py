"""The sign-in flow, driven the same way through every framework's own test client.

Only the identity provider step leaves the test client: it is real HTTP to the mock IdP on
127.0.0.1, as a browser would do it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

import httpx

from authcore.providers.instagram import Instagram
from authcore.testing import MockIdP

SECRET = "adapter-tests-secret-0123456789abcdef"


@dataclass
class Resp:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def set_cookies(self) -> list[str]:
        return [v for k, v in self.headers if k.lower() == "set-cookie"]

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode()


class Driver(Protocol):
    """A framework test client behind one small interface (cookies live in the client)."""

    def get(self, path: str, headers: Mapping[str, str] | None = None) -> Resp: ...
    def post_form(self, path: str, form: Mapping[str, str]) -> Resp: ...
    def post_json(self, path: str, data: Any) -> Resp: ...


def jwt_callback(
    token: dict[str, Any], trigger: str | None = None, session: Any = None, **_: Any
) -> dict[str, Any]:
    """Lets `POST /session` change the name, so a session update is visible."""
    if trigger == "update" and isinstance(session, dict) and isinstance(session.get("name"), str):
        token["name"] = session["name"]
    return token


def make_config(idp: MockIdP, **extra: Any) -> dict[str, Any]:
    return {
        "providers": [Instagram(**idp.provider_options("instagram"))],
        "secret": SECRET,
        "trust_host": True,
        "callbacks": {"jwt": jwt_callback},
        **extra,
    }


def csrf_token(client: Driver) -> str:
    r = client.get("/api/auth/csrf")
    assert r.status == 200, r.text
    token = r.json()["csrfToken"]
    assert isinstance(token, str) and token
    return token


def sign_in(client: Driver, *, callback_url: str = "/protected") -> Resp:
    """csrf → POST signin → the IdP (real HTTP) → callback through the client. Returns the
    callback response (a redirect to `callback_url`, with the session cookie)."""
    token = csrf_token(client)
    r = client.post_form(
        "/api/auth/signin/instagram", {"csrfToken": token, "callbackUrl": callback_url}
    )
    assert r.status == 302, r.text
    authorize = r.header("location")
    assert authorize and authorize.startswith("http://127.0.0.1:"), authorize
    idp_reply = httpx.get(authorize, follow_redirects=False)
    assert idp_reply.status_code == 302, idp_reply.text
    back = urlsplit(idp_reply.headers["location"])
    assert back.path == "/api/auth/callback/instagram"
    assert "code" in parse_qs(back.query)
    r = client.get(f"{back.path}?{back.query}")
    assert r.status == 302, r.text
    assert any(c.startswith("authjs.session-token=") for c in r.set_cookies()), r.set_cookies()
    return r


def session_of(client: Driver) -> Any:
    r = client.get("/api/auth/session")
    assert r.status == 200
    return r.json()


def sign_out(client: Driver) -> Resp:
    token = csrf_token(client)
    r = client.post_form("/api/auth/signout", {"csrfToken": token, "callbackUrl": "/"})
    assert r.status == 302, r.text
    return r


def non_latin1_callback_urls(client: Driver) -> None:
    """Same-origin callback URLs in Japanese and with accents: every header carries them
    percent-encoded as UTF-8, the sign-in lands on them and the sign-out happens."""
    r = sign_in(client, callback_url="/日本")
    location = r.header("location") or ""
    assert location.endswith("/%E6%97%A5%E6%9C%AC"), location
    assert session_of(client)["user"]
    token = csrf_token(client)
    r = client.post_form("/api/auth/signout", {"csrfToken": token, "callbackUrl": "/café?q=é"})
    assert r.status == 302, r.text
    location = r.header("location") or ""
    assert location.endswith("/caf%C3%A9?q=%C3%A9"), location
    assert session_of(client) is None
    for header in r.set_cookies():
        assert header.isascii() and "=?" not in header, header


# Set-Cookie values the core may emit: two headers with one name, attribute order and dates
# that http.cookies would rewrite, percent escapes that must not be decoded or re-quoted.
TRICKY_SET_COOKIES = [
    "authjs.session-token.0=eyJhbGciOiJkaXIifQ..abc%2Fdef; Path=/; HttpOnly; SameSite=Lax",
    "authjs.session-token.1=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax",
    "authjs.csrf-token=abc%7Cdef; Path=/; HttpOnly; SameSite=Lax",
    "authjs.csrf-token=second; Path=/other; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; "
    "Secure; SameSite=None",
    "authjs.callback-url=%22quoted%22%20value; Path=/; SameSite=Lax",
]


def http_scope(method: str, path: str) -> dict[str, Any]:
    """An ASGI HTTP scope for `method path` on http://example.com, for calling an app directly."""
    return {
        "type": "http",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"host", b"example.com")],
        "scheme": "http",
        "server": ("example.com", 80),
        "root_path": "",
        "http_version": "1.1",
    }


def client_config(seen: list[str | None], **extra: Any) -> dict[str, Any]:
    """A config whose credentials `authorize` records `request.client` (the address the core
    received from the adapter) and signs everyone in."""
    from authcore.providers.credentials import Credentials

    def authorize(credentials: Mapping[str, Any], request: Any) -> dict[str, Any]:
        seen.append(request.client)
        return {"id": "1", "name": "Ada"}

    return {
        "providers": [Credentials(authorize=authorize)],
        "secret": SECRET,
        "trust_host": True,
        **extra,
    }


def credentials_sign_in(client: Driver) -> Resp:
    form = {"csrfToken": csrf_token(client), "username": "ada", "password": "x"}
    r = client.post_form("/api/auth/callback/credentials", form)
    assert r.status == 302 and "error" not in (r.header("location") or ""), r.header("location")
    return r
