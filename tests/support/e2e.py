"""A browser for whole flows: keeps cookies, sends app requests through `Auth()` and follows
the identity provider over real HTTP."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlencode

import httpx

from authcore import Auth, auth_sync
from authcore._http import Request, Response
from tests.support.oauth import ORIGIN

__all__ = ["ERROR_PAGE", "SESSION", "Browser"]

SESSION = "authjs.session-token"
ERROR_PAGE = f"{ORIGIN}/api/auth/error?error="


class Browser:
    """Keeps cookies like a browser and sends app requests through `Auth()`; IdP requests go
    over real HTTP with httpx."""

    def __init__(self, config: dict[str, Any], http: httpx.Client, *, use_async: bool = False):
        self.config = config
        self.http = http
        self.cookies: dict[str, str] = {}
        self.use_async = use_async
        self.set_cookie_names: list[str] = []

    def app(self, method: str, url: str, form: dict[str, str] | None = None) -> Response:
        headers = {"cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = b""
        if form is not None:
            headers["content-type"] = "application/x-www-form-urlencoded"
            body = urlencode(form).encode()
        request = Request(method, url, headers=headers, body=body)
        if self.use_async:
            response = asyncio.run(Auth(request, self.config))
        else:
            response = auth_sync(request, self.config)
        self.set_cookie_names = []
        for header in response.set_cookies:
            pair, _, attrs = header.partition(";")
            name, _, value = pair.partition("=")
            self.set_cookie_names.append(name)
            if "Max-Age=0" in attrs or value == "":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return response

    def sign_in(self, provider_id: str) -> Response:
        csrf = self.app("GET", f"{ORIGIN}/api/auth/csrf").json()["csrfToken"]
        start = self.app(
            "POST",
            f"{ORIGIN}/api/auth/signin/{provider_id}",
            {"csrfToken": csrf, "callbackUrl": f"{ORIGIN}/dashboard"},
        )
        assert start.status == 302, start.body[:300]
        assert start.location is not None
        idp = self.http.get(start.location, follow_redirects=False)
        assert idp.status_code in (302, 303), idp.text[:300]
        back = idp.headers["location"].split("#", 1)[0]  # a browser never sends the fragment
        assert back.startswith(f"{ORIGIN}/api/auth/callback/{provider_id}?")
        return self.app("GET", back)

    def session(self) -> Any:
        return self.app("GET", f"{ORIGIN}/api/auth/session").json()
