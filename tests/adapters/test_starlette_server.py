"""The Starlette adapter's auth routes (a raw ASGI path, no Starlette Request/Response) on a
real uvicorn server on a free 127.0.0.1 port: the whole sign-in over real HTTP, a chunked
form body read across several ASGI messages, and a client that leaves before its body."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from typing import Any

import anyio
import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

from authcore.adapters.starlette import StarletteAuth
from authcore.testing import MockIdP
from tests.support.adapters import (
    Resp,
    client_config,
    credentials_sign_in,
    csrf_token,
    http_scope,
    make_config,
    session_of,
    sign_in,
    sign_out,
)


class HttpDriver:
    """The shared adapter driver over real HTTP (cookies kept by httpx)."""

    def __init__(self, base: str) -> None:
        self.client = httpx.Client(base_url=base, follow_redirects=False)

    def _resp(self, r: httpx.Response) -> Resp:
        return Resp(r.status_code, list(r.headers.multi_items()), r.content)

    def get(self, path: str, headers: Mapping[str, str] | None = None) -> Resp:
        return self._resp(self.client.get(path, headers=dict(headers or {})))

    def post_form(self, path: str, form: Mapping[str, str]) -> Resp:
        return self._resp(self.client.post(path, data=dict(form)))

    def post_json(self, path: str, data: Any) -> Resp:
        return self._resp(self.client.post(path, json=data))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(idp: MockIdP) -> Iterator[str]:
    with _serve(make_config(idp)) as url:
        yield url


@contextmanager
def _serve(auth_config: dict[str, Any], **options: Any) -> Iterator[str]:
    auth = StarletteAuth(auth_config)
    app = Starlette()
    auth.install(app)
    port = _free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan="off", **options
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


def test_sign_in_session_and_sign_out_over_real_http(server: str) -> None:
    client = HttpDriver(server)
    r = sign_in(client)
    assert r.header("location") == f"{server}/protected"
    session = session_of(client)
    assert session["user"]["name"] in ("Mock Business", "mock_business")
    sign_out(client)
    assert session_of(client) is None


def test_chunked_form_body_is_read_whole(server: str) -> None:
    client = HttpDriver(server)
    token = csrf_token(client)
    form = f"csrfToken={token}&callbackUrl=%2Fafter".encode()

    def chunks() -> Iterator[bytes]:  # a body without Content-Length, in three pieces
        yield form[:5]
        yield form[5:20]
        yield form[20:]

    r = client.client.post(
        "/api/auth/signin/instagram",
        content=chunks(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 302, r.text
    assert r.headers["location"].startswith("http://127.0.0.1:")  # to the IdP: CSRF held


def test_client_gone_before_its_body_gets_no_answer(idp: MockIdP) -> None:
    app = Starlette(routes=StarletteAuth(make_config(idp)).routes)
    sent: list[MutableMapping[str, Any]] = []
    scope = http_scope("POST", "/api/auth/signin/instagram")

    async def receive() -> MutableMapping[str, Any]:
        return {"type": "http.disconnect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    anyio.run(app, scope, receive, send)
    assert sent == []


def test_the_peer_address_arrives_and_uvicorn_proxy_headers_apply_first() -> None:
    seen: list[str | None] = []
    with _serve(client_config(seen)) as url:
        credentials_sign_in(HttpDriver(url))
        # uvicorn trusts X-Forwarded-For from 127.0.0.1 by default and rewrites the scope's
        # client itself (docs/providers/email.md#the-client-address-and-proxies)
        forwarded = HttpDriver(url)
        forwarded.client.headers["X-Forwarded-For"] = "198.51.100.4"
        credentials_sign_in(forwarded)
    with _serve(client_config(seen), proxy_headers=False) as url:
        forwarded = HttpDriver(url)
        forwarded.client.headers["X-Forwarded-For"] = "198.51.100.4"
        credentials_sign_in(forwarded)
    assert seen == ["127.0.0.1", "198.51.100.4", "127.0.0.1"]
