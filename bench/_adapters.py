"""Per-framework apps for the adapter-overhead rows: a session read through the adapter's
routes vs a bare handler returning a constant, in the same app.

Two drivers per framework: the framework's own test client, and a direct call of the app
(ASGI `app(scope, receive, send)` on one event loop; WSGI `app(environ, start_response)`),
which leaves out the test client's own cost (Starlette's TestClient hops to a portal thread
several times per request). Each test client keeps a cookie jar; it is emptied after every
request so the session cookie we send is the only one.
"""

from __future__ import annotations

import asyncio
import io
import sys
import types
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

__all__ = ["BUILDERS", "AdapterApp", "wsgi_call"]


def wsgi_call(app: Any, environ: dict[str, Any]) -> tuple[str, bytes]:
    """One WSGI call: the status line and the whole body (the iterable closed, as a server
    does)."""
    status: list[str] = []

    def start_response(s: str, headers: Any, exc_info: Any = None) -> Callable[..., Any]:
        status.append(s)
        return lambda _data: None

    chunks = app(environ, start_response)
    try:
        body = b"".join(chunks)
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
    return (status[0] if status else ""), body


Get = Callable[[str, "str | None"], "tuple[int, bytes]"]  # (path, cookie) -> (status, body)


@dataclass
class AdapterApp:
    get: Get
    base_path: str
    direct: AdapterApp | None = None

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

    loop = asyncio.new_event_loop()

    async def call(path: str, cookie: str | None) -> tuple[int, bytes]:
        headers = [(b"host", b"localhost:3000")]
        if cookie:
            headers.append((b"cookie", cookie.encode("latin-1")))
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": headers,
            "server": ("localhost", 3000),
            "client": ("127.0.0.1", 50000),
        }
        status = 0
        body: list[bytes] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: MutableMapping[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))

        await app(scope, receive, send)
        return status, b"".join(body)

    def direct(path: str, cookie: str | None) -> tuple[int, bytes]:
        return loop.run_until_complete(call(path, cookie))

    return AdapterApp(get, base_path, AdapterApp(direct, base_path))


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

    return AdapterApp(get, base_path, AdapterApp(_wsgi(app), base_path))


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

    from django.core.handlers.wsgi import WSGIHandler

    return AdapterApp(get, base_path, AdapterApp(_wsgi(WSGIHandler()), base_path))


def _wsgi(app: Callable[..., Any]) -> Get:
    """A direct WSGI call: a fresh environ per request, as a server builds one."""
    template = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "3000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost:3000",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }

    def get(path: str, cookie: str | None) -> tuple[int, bytes]:
        environ: dict[str, Any] = dict(template)
        environ["PATH_INFO"] = path
        environ["wsgi.input"] = io.BytesIO(b"")
        if cookie:
            environ["HTTP_COOKIE"] = cookie
        status, body = wsgi_call(app, environ)
        return int(status.split(" ", 1)[0]), body

    return get


BUILDERS: dict[str, Callable[[Any, Mapping[str, Any], str], AdapterApp]] = {
    "starlette": _starlette,
    "flask": _flask,
    "django": _django,
}
