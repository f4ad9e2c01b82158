"""Fixtures of the attack suite: both log sinks (the HTTP client is `http`, tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.support.security import Logs


@pytest.fixture(params=["stdlib", "custom"])
def logs(request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture) -> Logs:
    """Run the test once logging to the `authcore` stdlib logger (debug on) and once to a
    user `logger`: a secret must reach neither."""
    return Logs(str(request.param), caplog)
