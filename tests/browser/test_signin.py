"""Sign in with (mock) Instagram in a real browser, on the demo and on every example app:
click "Sign in with Instagram", click "Allow" on the IdP's consent page, land on the
protected page signed in, save a screenshot, sign out."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from authcore._demo import make_demo

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
NAME = "Mock Business"  # the mock Instagram's default account
EXAMPLES = {
    "fastapi": ["examples/fastapi_app.py"],
    "flask": ["examples/flask_app.py"],
    "django": ["examples/django_app/app.py"],
    "django-asgi": ["examples/django_app/app.py", "--asgi"],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(origin: str, proc: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
            pytest.fail(f"the app exited with {proc.returncode}:\n{out}")
        try:
            httpx.get(origin + "/", verify=False, timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    pytest.fail(f"{origin} did not come up")


@pytest.fixture
def example(request: pytest.FixtureRequest) -> Iterator[str]:
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AUTH_")  # the mock Instagram, whatever the developer's shell has
    }
    proc = subprocess.Popen(
        [sys.executable, *EXAMPLES[request.param], "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    origin = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(origin, proc)
        yield origin
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def sign_in_and_out(browser: Any, origin: str, shot: Path, *, https: bool = False) -> None:
    context = browser.new_context(ignore_https_errors=https)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(origin + "/protected")
        assert page.url.startswith(origin + "/api/auth/signin"), page.url
        page.get_by_role("button", name="Sign in with Instagram").click()
        page.wait_for_url("http://127.0.0.1:*/instagram/oauth/authorize*")
        page.get_by_role("button", name="Allow").click()
        page.wait_for_url(origin + "/protected**")  # Instagram appends "#_", which sticks
        assert page.locator("#user").inner_text() == NAME
        page.screenshot(path=str(shot), full_page=True)

        session = context.request.get(origin + "/api/auth/session").json()
        assert session["user"]["name"] == NAME

        page.locator("#signout").click()
        page.wait_for_url(origin + "/api/auth/signout**")
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(origin + "/")
        assert "not signed in" in page.content().lower()
        assert context.request.get(origin + "/api/auth/session").json() is None
        page.goto(origin + "/protected")
        assert page.url.startswith(origin + "/api/auth/signin"), page.url
    finally:
        context.close()


def test_demo(browser: Any, screenshots: Path, tmp_path: Path) -> None:
    demo = make_demo(port=0, env={}, cert_dir=tmp_path)
    demo.serve_in_thread()
    try:
        sign_in_and_out(browser, demo.origin, screenshots / "demo.png")
    finally:
        demo.close()


def test_demo_https(browser: Any, screenshots: Path, tmp_path: Path) -> None:
    demo = make_demo(port=0, https=True, env={}, cert_dir=tmp_path)
    assert demo.origin.startswith("https://localhost:")
    demo.serve_in_thread()
    try:
        sign_in_and_out(browser, demo.origin, screenshots / "demo-https.png", https=True)
    finally:
        demo.close()


@pytest.mark.parametrize("example", list(EXAMPLES), indirect=True)
def test_example_app(browser: Any, screenshots: Path, example: str, request: Any) -> None:
    name = request.node.callspec.params["example"]
    sign_in_and_out(browser, example, screenshots / f"{name}.png")
