"""The Django adapter on real servers: gunicorn (WSGI, sync views) and uvicorn (ASGI, async
views, behind `limit_auth_bodies`), each started as a subprocess on a free 127.0.0.1 port.

What the test client cannot show: how much of a body is read, chunked bodies, and the
`X-Forwarded-Host` a proxy adds."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).parents[2]
SITE = "tests.support.django_site"
CAP = 65536  # the core's default limits.max_body_bytes


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _command(server: str, port: int) -> list[str]:
    if server == "gunicorn":
        return [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
                "--workers", "1", "--log-level", "warning", f"{SITE}:wsgi"]  # fmt: skip
    return [sys.executable, "-m", "uvicorn", "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "warning", f"{SITE}:asgi"]  # fmt: skip


@pytest.fixture(scope="module", params=["gunicorn", "uvicorn"])
def server(request: pytest.FixtureRequest) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "AUTHCORE_TEST_ASYNC_VIEWS": "1" if request.param == "uvicorn" else ""}
    proc = subprocess.Popen(
        _command(request.param, port),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/api/auth/providers", timeout=2)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read().decode() if proc.stderr else ""
                    pytest.fail(f"{request.param} did not start: {err[-2000:]}")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _chunks(data: bytes, size: int = 1000) -> Iterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i : i + size]


def _csrf(client: httpx.Client, base: str) -> str:
    token: str = client.get(f"{base}/api/auth/csrf").json()["csrfToken"]
    return token


def test_chunked_sign_in_body_arrives(server: str) -> None:
    with httpx.Client(follow_redirects=False) as client:
        form = f"csrfToken={_csrf(client, server)}&username=bob&password=pw&callbackUrl=/home"
        response = client.post(
            f"{server}/api/auth/callback/credentials",
            content=_chunks(form.encode(), 7),  # an iterator: sent chunked
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert "content-length" not in response.request.headers
        assert response.status_code == 302, response.text
        assert response.headers["location"] == f"{server}/home"
        assert client.get(f"{server}/api/auth/session").json()["user"]["name"] == "bob"
        out = f"csrfToken={_csrf(client, server)}&callbackUrl=/bye"
        response = client.post(
            f"{server}/api/auth/signout",
            content=_chunks(out.encode(), 5),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code == 302
        assert response.headers["location"] == f"{server}/bye"
        assert client.get(f"{server}/api/auth/session").json() is None


def test_oversized_chunked_body_is_refused(server: str) -> None:
    with httpx.Client() as client:
        body = b"csrfToken=" + b"a" * (CAP + 10_000)
        response = client.post(
            f"{server}/api/auth/signout",
            content=_chunks(body, 8192),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code == 400
        assert response.text == '"Bad request."'


def test_huge_declared_body_is_answered_after_the_cap(server: str) -> None:
    """A 300 MB Content-Length: the server answers once it has read past the core's cap,
    while most of the body was never sent. Reading it all would wait forever."""
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(
            b"POST /api/auth/signout HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 300000000\r\n\r\n" + b"a" * (CAP + 4096)
        )
        reply = b""
        while b"\r\n\r\n" not in reply:
            data = sock.recv(65536)
            if not data:
                break
            reply += data
    assert reply.startswith(b"HTTP/1.1 400"), reply[:200]


def test_forwarded_host_outside_allowed_hosts_is_refused(server: str) -> None:
    with httpx.Client(follow_redirects=False) as client:
        evil = client.get(f"{server}/api/auth/signin", headers={"x-forwarded-host": "evil.example"})
        assert evil.status_code == 400
        assert "evil.example" not in evil.text and not evil.headers.get_list("set-cookie")
        good = client.get(f"{server}/api/auth/csrf", headers={"x-forwarded-host": "app.example"})
        assert good.status_code == 200
        callback = [c for c in good.headers.get_list("set-cookie") if "callback-url" in c]
        assert callback and "app.example" in callback[0]
