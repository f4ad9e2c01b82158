"""Fixtures of the attack suite: both log sinks, a pooled httpx client for the mock IdP."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from authcore.oauth import clear_caches
from tests.support.security import Logs


@pytest.fixture(params=["stdlib", "custom"])
def logs(request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture) -> Logs:
    """Run the test once logging to the `authcore` stdlib logger (debug on) and once to a
    user `logger`: a secret must reach neither."""
    return Logs(str(request.param), caplog)


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    clear_caches()
    with httpx.Client() as c:
        yield c
