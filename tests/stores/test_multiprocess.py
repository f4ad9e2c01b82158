"""Several uvicorn processes on one PostgreSQL through the Django store, under database
sessions: every process sees a session, and a sign-out through one is a sign-out on all."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.django_stores import django_database, postgres_database
from tests.support.services import service_url

ROOT = Path(__file__).parents[2]
SITE = "tests.support.django_store_site:asgi"
COOKIE = "authjs.session-token"
PROCESSES = 3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(database: dict[str, Any]) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            SITE,
        ],
        cwd=ROOT,
        env={**os.environ, "AUTHCORE_TEST_DJANGO_DB": json.dumps(database)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    return proc, f"http://127.0.0.1:{port}"


def _wait(proc: subprocess.Popen[bytes], base: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"{base}/api/auth/providers", timeout=2)
            return
        except httpx.TransportError:
            if proc.poll() is not None or time.monotonic() > deadline:
                err = proc.stderr.read().decode() if proc.stderr else ""
                pytest.fail(f"uvicorn did not start: {err[-2000:]}")
            time.sleep(0.2)


@pytest.fixture(scope="module")
def servers() -> Iterator[list[str]]:
    with postgres_database(service_url("POSTGRES")) as database, django_database(database):
        started = [_start(database) for _ in range(PROCESSES)]
        try:
            for proc, base in started:
                _wait(proc, base)
            yield [base for _, base in started]
        finally:
            for proc, _ in started:
                proc.terminate()
            for proc, _ in started:
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


def _signed_in_user() -> tuple[str, str]:
    from authcore.stores.django import DjangoStore

    store = DjangoStore()
    user_id, token = str(uuid.uuid4()), str(uuid.uuid4())
    email = f"multi.{user_id[:8]}@example.com"
    store.create_user({"id": user_id, "email": email, "email_verified": None, "name": "Multi"})
    expires = datetime.now(timezone.utc) + timedelta(days=30)
    store.create_session({"session_token": token, "user_id": user_id, "expires": expires})
    return token, email


def _session(base: str, token: str) -> httpx.Response:
    return httpx.get(f"{base}/api/auth/session", cookies={COOKIE: token}, timeout=10)


def test_every_process_reads_the_session(servers: list[str]) -> None:
    token, email = _signed_in_user()
    for base in servers:
        res = _session(base, token)
        assert res.status_code == 200
        assert res.json()["user"]["email"] == email


def test_sign_out_on_one_process_signs_out_on_all(servers: list[str]) -> None:
    from authcore.stores.django import DjangoStore

    token, _ = _signed_in_user()
    first, *others = servers
    with httpx.Client(base_url=first, timeout=10) as browser:
        browser.cookies.set(COOKIE, token)
        csrf = browser.get("/api/auth/csrf").json()["csrfToken"]
        res = browser.post("/api/auth/signout", data={"csrfToken": csrf})
        assert res.status_code == 302
    assert DjangoStore().get_session_and_user(token) is None  # the row is gone
    for base in others:
        res = _session(base, token)
        assert res.status_code == 200
        assert res.json() is None
        cleared = [c for c in res.headers.get_list("set-cookie") if c.startswith(COOKIE + "=")]
        assert cleared and ("Max-Age=0" in cleared[0] or "1970" in cleared[0])
