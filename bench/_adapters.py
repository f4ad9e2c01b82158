"""Per-framework apps for the adapter-overhead rows: a session read through the adapter's
routes vs a bare handler returning a constant, both through the framework's own test client.

Each test client keeps a cookie jar; it is emptied after every request so the session cookie
we send is the only one (the rolling refresh would otherwise pile up chunks in the jar).
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["BUILDERS", "AdapterApp"]


@dataclass
class AdapterApp:
    get: Callable[[str, str | None], tuple[int, bytes]]  # (path, cookie) -> (status, body)
    base_path: str

    def session(self, cookie: str) -> None:
        self.get(f"{self.base_path}/session", cookie)

    def bare(self) -> None:
        self.get("/bare", None)

    def check(self, cookie: str) -> None:
        status, body = self.get(f"{self.base_path}/session", cookie)
        if status != 200 or b'"user"' not in body:
            raise RuntimeError(f"adapter session read answered {status}: {body[:200]!r}")
        status, body = self.get("/bare", None)
        if status != 200 or body != b"ok":
            raise RuntimeError(f"bare handler answered {status}")


def _starlette(module: Any, config: Mapping[str, Any], base_path: str) -> AdapterApp:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse, Response
    from starlette.routing import Route
    from starlette.testclient import TestClient

    async def bare(request: Request) -> Response:
        return PlainTextResponse("ok")

    auth = module.StarletteAuth(config)
    app = Starlette(routes=[*auth.routes, Route("/bare", bare)])
    client = TestClient(app, base_url="http://localhost:3000")
    client.__enter__()  # one portal (event-loop thread) for the whole run, as a server has

    def get(path: str, cookie: str | None) -> tuple[int, bytes]:
        response = client.get(path, headers={"cookie": cookie} if cookie else None)
        client.cookies.clear()
        return response.status_code, response.content

    return AdapterApp(get, base_path)


def _flask(module: Any, config: Mapping[str, Any], base_path: str) -> AdapterApp:
    from flask import Flask

    app = Flask("authcore_bench")

    @app.get("/bare")
    def bare() -> str:
        return "ok"

    module.AuthCore(app, config)
    client = app.test_client(use_cookies=False)

    def get(path: str, cookie: str | None) -> tuple[int, bytes]:
        response = client.get(
            path, base_url="http://localhost:3000", headers={"cookie": cookie} if cookie else None
        )
        return response.status_code, response.get_data()

    return AdapterApp(get, base_path)


def _django(module: Any, config: Mapping[str, Any], base_path: str) -> AdapterApp:
    import django
    from django.conf import settings
    from django.http import HttpRequest, HttpResponse
    from django.urls import include, path

    def bare(request: HttpRequest) -> HttpResponse:
        return HttpResponse(b"ok")

    urls = types.ModuleType("authcore_bench_urls")
    sys.modules[urls.__name__] = urls
    if not settings.configured:
        settings.configure(
            DEBUG=False,
            ALLOWED_HOSTS=["*"],
            ROOT_URLCONF=urls.__name__,
            SECRET_KEY="bench-only-not-secret",
            MIDDLEWARE=[],
            INSTALLED_APPS=[],
            AUTHCORE=config,
            USE_TZ=True,
        )
        django.setup()
    urls.urlpatterns = [  # type: ignore[attr-defined]
        path(base_path.strip("/") + "/", include(module.auth_urls())),
        path("bare", bare),
    ]
    from django.test import Client

    client = Client(SERVER_NAME="localhost", SERVER_PORT="3000")

    def get(path_: str, cookie: str | None) -> tuple[int, bytes]:
        extra = {"HTTP_COOKIE": cookie} if cookie else {}
        response = client.get(path_, **extra)  # type: ignore[arg-type]
        client.cookies.clear()
        return response.status_code, response.content

    return AdapterApp(get, base_path)


BUILDERS: dict[str, Callable[[Any, Mapping[str, Any], str], AdapterApp]] = {
    "starlette": _starlette,
    "flask": _flask,
    "django": _django,
}
