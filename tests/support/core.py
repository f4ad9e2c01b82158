"""Helpers for the core tests: a tiny browser-like cookie jar over `auth_sync`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from authcore import Request, Response
from authcore.providers.credentials import Credentials
from tests.support.security import Browser as _SecurityBrowser
from tests.support.security import Clock, cookie_header

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


class Browser(_SecurityBrowser):
    """Keeps cookies between calls, like a browser on one origin (the security suite's
    browser, with the origin and credentials defaults of these tests)."""

    def __init__(self, config: dict[str, Any], origin: str = ORIGIN) -> None:
        super().__init__(config, origin)

    def cookie_header(self) -> str:
        return cookie_header(self.jar)

    def sign_in(self, password: str = "pw", username: str = "bob", **extra: str) -> Response:
        token = self.csrf()
        form = {"csrfToken": token, "username": username, "password": password, **extra}
        return self.call("POST", "/callback/credentials", form=form)

    def session_cookie_names(self) -> list[str]:
        return [k for k in self.jar if "session-token" in k]
