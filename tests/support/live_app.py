"""An authcore app served over real HTTP for the browser tests: Starlette (`StarletteAuth`) on
uvicorn in a thread, listening on 127.0.0.1 and reached as `http://localhost:<port>` (a secure
context for WebAuthn) or `http://127.0.0.1:<port>`. Its home page says who is signed in."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from authcore.adapters.starlette import StarletteAuth

__all__ = ["LiveApp", "serve"]


@dataclass(frozen=True)
class LiveApp:
    port: int
    host: str

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def at(self, host: str) -> str:
        """The same server under another name of the loopback interface."""
        return f"http://{host}:{self.port}"


def _app(config: Mapping[str, Any]) -> Starlette:
    auth = StarletteAuth(config)

    async def home(request: Request) -> HTMLResponse:
        session = await auth.session(request)
        if session is None:
            body = "<p id=who>Not signed in.</p>"
        else:
            user = session["user"]
            body = f"<p id=who>Signed in as <b id=user>{escape(user.get('email') or '')}</b></p>"
        return HTMLResponse(f"<!doctype html><meta charset=utf-8><title>Home</title>{body}")

    app = Starlette(routes=[Route("/", home)])
    auth.install(app)
    return app


@contextmanager
def serve(config: Mapping[str, Any], *, host: str = "localhost") -> Iterator[LiveApp]:
    """Serves `config` until the block ends; `host` names the origin the tests browse."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    server = uvicorn.Server(
        uvicorn.Config(_app(config), log_level="warning", lifespan="off", access_log=False)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        yield LiveApp(port=port, host=host)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
