"""Headless Chromium (Debian's `chromium`) driven by Playwright; never `playwright install`.
The `browser` fixtures of tests/browser and tests/interop open it through `launch()`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

__all__ = ["ARGS", "CHROMIUM", "launch"]

CHROMIUM = os.environ.get("AUTHCORE_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@contextmanager
def launch() -> Iterator[Any]:
    """A running Chromium (Playwright's sync API: use it from a module-scoped fixture, since
    the sync API keeps an event loop running in this thread until it stops)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium "
            "(apt-get install -y chromium; scripts/test does it) to run the browser tests",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()
