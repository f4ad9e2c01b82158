"""Headless Chromium (Debian's `chromium`) driven by Playwright; never `playwright install`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.chromium import launch

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="module")  # not session: Playwright's sync API keeps an event loop
def browser() -> Iterator[Any]:  # running in this thread until it stops, which breaks asyncio.run
    with launch() as b:
        yield b


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
