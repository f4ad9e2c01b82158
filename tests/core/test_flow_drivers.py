"""The two flow drivers bound every identity-provider answer in size and in total time."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import anyio
import httpx
import pytest

from authcore._flow import Flow, ResponseTooLarge, drive_async, drive_sync, send


@pytest.fixture
def trickle_url() -> Iterator[str]:
    """A server that sends its headers at once, then one body byte every 0.2 s (forever)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    stop = threading.Event()

    def serve(conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n")
            while not stop.is_set():
                try:
                    conn.sendall(b" ")
                except OSError:
                    return
                time.sleep(0.2)

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/token"
    stop.set()
    server.close()


def _fetch(url: str, *, max_bytes: int = 1_000_000, timeout: float = 1.0) -> Flow[bytes]:
    response = yield from send(httpx.Request("GET", url), max_bytes=max_bytes, timeout=timeout)
    return response.content


def _outcome(flow: Flow[bytes]) -> Flow[str]:
    try:
        yield from flow
    except httpx.TimeoutException:
        return "timeout"
    except ResponseTooLarge:
        return "too large"
    return "complete"


def test_sync_driver_stops_a_trickling_answer_at_the_deadline(trickle_url: str) -> None:
    started = time.monotonic()
    with httpx.Client() as client:
        assert drive_sync(_outcome(_fetch(trickle_url, timeout=1.0)), client) == "timeout"
    assert time.monotonic() - started < 3.0  # per-read timeouts alone would never end


def test_async_driver_stops_a_trickling_answer_at_the_deadline(trickle_url: str) -> None:
    async def main() -> str:
        async with httpx.AsyncClient() as client:
            return await drive_async(_outcome(_fetch(trickle_url, timeout=1.0)), client)

    started = time.monotonic()
    assert anyio.run(main) == "timeout"
    assert time.monotonic() - started < 3.0


def test_size_cap_applies_while_the_body_streams(trickle_url: str) -> None:
    with httpx.Client() as client:
        flow = _outcome(_fetch(trickle_url, max_bytes=3, timeout=10.0))
        assert drive_sync(flow, client) == "too large"
