"""Shared plumbing of the attack suite: a config, a browser, Set-Cookie parsing, and the
leak check run over the stdlib `authcore` log AND a user `logger` (both must stay clean)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

import httpx
import pytest

from authcore import Request, Response, auth_sync
from authcore.errors import AuthError
from authcore.providers.credentials import Credentials

SECRET = "security-suite-secret-0123456789abcdef-XYZ"
OTHER_SECRET = "another-deployment-secret-fedcba9876543210"
ORIGIN = "https://app.example.test"
BASE = f"{ORIGIN}/api/auth"
NOW = 1_800_000_000.0

# https origin: the prefixed names (Auth.js `src/lib/utils/cookie.ts`)
SESSION = "__Secure-authjs.session-token"
CSRF = "__Host-authjs.csrf-token"
CALLBACK = "__Secure-authjs.callback-url"
STATE = "__Secure-authjs.state"
PKCE = "__Secure-authjs.pkce.code_verifier"
NONCE = "__Secure-authjs.nonce"
CHECKS = frozenset({STATE, PKCE, NONCE})

SIGNIN_ERROR = f"{BASE}/signin?error="
ERROR_PAGE = f"{BASE}/error?error="


class Clock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@dataclass
class RecordingLogger:
    """A user `logger` (config key `logger`): keeps everything it is handed."""

    errors: list[BaseException] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    debugs: list[tuple[str, Any]] = field(default_factory=list)

    def error(self, error: BaseException) -> None:
        self.errors.append(error)

    def warn(self, code: str) -> None:
        self.warnings.append(code)

    def debug(self, message: str, metadata: Any = None) -> None:
        self.debugs.append((message, metadata))

    def types(self) -> list[str]:
        return [e.type if isinstance(e, AuthError) else type(e).__name__ for e in self.errors]

    def text(self) -> str:
        """Everything a user logger could print: messages, details, reprs, cause chains."""
        out: list[str] = []
        for error in self.errors:
            seen: BaseException | None = error
            while seen is not None:
                out += [type(seen).__name__, str(seen), repr(seen), repr(seen.args)]
                if isinstance(seen, AuthError):
                    out.append(repr(seen.details))
                seen = seen.__cause__ or seen.__context__
        out += self.warnings
        out += [f"{m} {md!r}" for m, md in self.debugs]
        return "\n".join(out)


def authorize(credentials: dict[str, Any], request: Request) -> dict[str, Any] | None:
    if credentials.get("password") == "correct horse":
        return {"id": "42", "name": credentials.get("username"), "email": "bob@example.test"}
    return None


def credentials_provider() -> Credentials:
    return Credentials(
        credentials={"username": {"label": "Username"}, "password": {"type": "password"}},
        authorize=authorize,
    )


def make_config(**extra: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "secret": SECRET,
        "env": {},
        "url": ORIGIN,
        "clock": Clock(),
        "providers": [credentials_provider()],
    }
    config.update(extra)
    return config


@dataclass
class CookieChanges:
    values: dict[str, str]  # name -> decoded value, for cookies given a value
    cleared: set[str]  # names cleared with Max-Age=0
    lines: dict[str, str]  # name -> the whole Set-Cookie line


def cookie_changes(response: Response) -> CookieChanges:
    out = CookieChanges({}, set(), {})
    for line in response.set_cookies:
        pair, _, attrs = line.partition(";")
        name, _, value = pair.partition("=")
        out.lines[name] = line
        if "Max-Age=0" in attrs.split("; ") or "Max-Age=0" in attrs:
            assert value == "", line
            out.cleared.add(name)
        else:
            out.values[name] = unquote(value)
    return out


def cookie_header(jar: Mapping[str, str] | Iterable[tuple[str, str]]) -> str:
    items = jar.items() if isinstance(jar, Mapping) else jar
    return "; ".join(f"{k}={quote(v, safe='')}" for k, v in items)


def send(
    config: Mapping[str, Any],
    method: str,
    path: str,
    *,
    cookies: Mapping[str, str] | Iterable[tuple[str, str]] | str | None = None,
    form: Mapping[str, str] | None = None,
    json_body: Any = None,
    headers: Mapping[str, str] | None = None,
    origin: str = ORIGIN,
    client: str | None = None,
) -> Response:
    """One request to `Auth()`; `path` is under the base path unless it is absolute."""
    hdrs = dict(headers or {})
    if cookies is not None:
        hdrs["cookie"] = cookies if isinstance(cookies, str) else cookie_header(cookies)
    body = b""
    if form is not None:
        hdrs["content-type"] = "application/x-www-form-urlencoded"
        body = urlencode(form).encode()
    elif json_body is not None:
        hdrs["content-type"] = "application/json"
        body = json.dumps(json_body).encode()
    url = path if "://" in path else f"{origin}/api/auth{path}"
    return auth_sync(Request(method, url, hdrs, body, client), config)


class Browser:
    """One browser on one origin: keeps cookies, applies Set-Cookie like a browser."""

    def __init__(
        self, config: Mapping[str, Any], origin: str = ORIGIN, client: str | None = None
    ) -> None:
        self.config = config
        self.origin = origin
        self.client = client  # the peer address the requests come from
        self.jar: dict[str, str] = {}
        self.last = CookieChanges({}, set(), {})

    def call(
        self,
        method: str,
        path: str,
        *,
        form: Mapping[str, str] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        res = send(
            self.config,
            method,
            path,
            cookies=self.jar or None,
            form=form,
            json_body=json_body,
            headers=headers,
            origin=self.origin,
            client=self.client,
        )
        self.last = cookie_changes(res)
        for name in self.last.cleared:
            self.jar.pop(name, None)
        self.jar.update(self.last.values)
        return res

    def csrf(self) -> str:
        token: str = self.call("GET", "/csrf").json()["csrfToken"]
        return token

    def sign_in(self, password: str = "correct horse") -> Response:
        form = {"csrfToken": self.csrf(), "username": "bob", "password": password}
        return self.call("POST", "/callback/credentials", form=form)

    def start_oauth(self, client: httpx.Client, provider_id: str) -> str:
        """POST signin, follow the IdP's authorize redirect; the callback path (with query)."""
        start = self.call("POST", f"/signin/{provider_id}", form={"csrfToken": self.csrf()})
        assert start.status == 302, (start.status, start.body[:200])
        assert start.location is not None
        idp = client.get(start.location, follow_redirects=False)
        assert idp.status_code in (302, 303), idp.text[:200]
        location = idp.headers["location"].split("#", 1)[0]
        prefix = f"{self.origin}/api/auth"
        assert location.startswith(f"{prefix}/callback/{provider_id}?"), location
        return location[len(prefix) :]


def query_of(path: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(path).query, keep_blank_values=True))


def with_query(path: str, **changes: str | None) -> str:
    parts = urlsplit(path)
    q = dict(parse_qsl(parts.query, keep_blank_values=True))
    for k, v in changes.items():
        if v is None:
            q.pop(k, None)
        else:
            q[k] = v
    return f"{parts.path}?{urlencode(q)}"


class Logs:
    """Both log sinks of one test: the stdlib `authcore` logger (with debug output on) and a
    user `logger`. `config_extra()` picks the sink; `text()` is all that was logged."""

    def __init__(self, mode: str, caplog: pytest.LogCaptureFixture) -> None:
        self.mode = mode
        self.caplog = caplog
        self.user = RecordingLogger()
        caplog.set_level(logging.DEBUG, logger="authcore")

    def config_extra(self) -> dict[str, Any]:
        if self.mode == "custom":
            return {"logger": self.user}
        return {"debug": True}

    def text(self) -> str:
        records = "\n".join(
            f"{r.getMessage()} {r.exc_text or ''}"
            for r in self.caplog.records
            if r.name.startswith("authcore")
        )
        return records + "\n" + self.user.text()

    def error_types(self) -> list[str]:
        if self.mode == "custom":
            return self.user.types()
        types = []
        for r in self.caplog.records:
            msg = r.getMessage()
            if msg.startswith("[auth][error] "):
                types.append(msg[len("[auth][error] ") :].split(":", 1)[0])
        return types


def assert_no_leak(
    response: Response, logs: Logs | None, secrets: Iterable[str], *, body_too: bool = True
) -> None:
    """None of `secrets` appears in the body, the Location or any log line."""
    body = response.body.decode("utf-8", "replace")
    location = response.location or ""
    log_text = logs.text() if logs is not None else ""
    for secret in secrets:
        if not secret:
            continue
        if body_too:
            assert secret not in body, f"secret {secret[:6]}... in the body"
        assert secret not in location, f"secret {secret[:6]}... in the Location"
        assert secret not in log_text, f"secret {secret[:6]}... in the logs"
        assert quote(secret, safe="") not in log_text


def assert_no_traceback(response: Response) -> None:
    body = response.body.decode("utf-8", "replace")
    assert "Traceback" not in body
    assert 'File "' not in body
    assert response.status < 500, (response.status, body[:200])
