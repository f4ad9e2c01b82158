"""The guide's apps read their settings from the environment, as a deployed app would:
here AUTH_MOCK_IDP_URL points them at the `mock_idp` fixture."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from authcore.testing import MockIdP

SECRET = "guide-tests-secret-0123456789abcdef"


@pytest.fixture
def app_env(mock_idp: MockIdP, monkeypatch: pytest.MonkeyPatch) -> Iterator[MockIdP]:
    monkeypatch.setenv("AUTH_SECRET", SECRET)
    monkeypatch.setenv("AUTH_MOCK_IDP_URL", mock_idp.url)
    for name in ("AUTH_URL", "AUTH_INSTAGRAM_ID", "AUTH_INSTAGRAM_SECRET", "AUTH_TRUST_HOST"):
        monkeypatch.delenv(name, raising=False)
    yield mock_idp


class Clock:
    """The app's and the mock's clock, moved together."""

    def __init__(self, mock_idp: MockIdP) -> None:
        self.offset = 0.0
        mock_idp.now = self

    def __call__(self) -> float:
        return time.time() + self.offset


@pytest.fixture
def clock(app_env: MockIdP) -> Callable[[], float]:
    return Clock(app_env)
