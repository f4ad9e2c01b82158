"""Helpers for the core tests: a tiny browser-like cookie jar over `auth_sync`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from authcore import Request, Response
from authcore.providers.credentials import Credentials
from tests.security._support import Clock, cookie_header, send

__all__ = [
    "BASE",
    "GENERATED_AT",
    "ORIGIN",
    "SECRET",
    "VECTORS",
    "Browser",
    "Clock",
    "authorize",
    "cookie_line",
    "make_config",
    "set_cookies",
]

SECRET = "core-test-secret-0123456789abcdef0123456789"
ORIGIN = "http://localhost:3000"
BASE = f"{ORIGIN}/api/auth"
VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "authjs-vectors.json").read_text()
)
GENERATED_AT = float(VECTORS["generator"]["generated_at_unix"])


def authorize(credentials: dict[str, Any], request: Request) -> dict[str, Any] | None:
    if credentials.get("password") == "pw":
        return {"id": 1, "name": credentials.get("username"), "email": "bob@x.com"}
    return None


def make_config(**extra: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "secret": SECRET,
        "env": {},
        "providers": [
            Credentials(
                credentials={"username": {"label": "Username"}, "password": {"type": "password"}},
                authorize=authorize,
            )
        ],
    }
    config.update(extra)
    return config


def set_cookies(response: Response) -> dict[str, str]:
    """name -> decoded value of each Set-Cookie (last one wins)."""
    out: dict[str, str] = {}
    for line in response.set_cookies:
        name, _, rest = line.partition("=")
        out[name] = unquote(rest.split(";", 1)[0])
    return out


def cookie_line(response: Response, name: str) -> str:
    return next(c for c in response.set_cookies if c.startswith(name + "="))


class Browser:
    """Keeps cookies between calls, like a browser on one origin."""

    def __init__(self, config: dict[str, Any], origin: str = ORIGIN) -> None:
        self.config = config
        self.origin = origin
        self.jar: dict[str, str] = {}

    def cookie_header(self) -> str:
        return cookie_header(self.jar)

    def call(
        self,
        method: str,
        path: str,
        *,
        form: dict[str, str] | None = None,
        json_body: Any = None,
        headers: dict[str, str] | None = None,
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
        )
        for line in res.set_cookies:
            name, _, rest = line.partition("=")
            value = unquote(rest.split(";", 1)[0])
            if "Max-Age=0" in line:
                self.jar.pop(name, None)
            else:
                self.jar[name] = value
        return res

    def csrf(self) -> str:
        token: str = self.call("GET", "/csrf").json()["csrfToken"]
        return token

    def sign_in(self, username: str = "bob", password: str = "pw", **extra: str) -> Response:
        token = self.csrf()
        form = {"csrfToken": token, "username": username, "password": password, **extra}
        return self.call("POST", "/callback/credentials", form=form)

    def session_cookie_names(self) -> list[str]:
        return [k for k in self.jar if "session-token" in k]
