"""Where the database servers are. `scripts/test` exports the URLs (starting throwaway
servers when none listen); run by hand, the standard local ports are assumed. Under the test
command a missing URL fails the test: a store test must never quietly not run."""

from __future__ import annotations

import os

import pytest

__all__ = ["service_url"]

_DEFAULTS = {
    "POSTGRES": "postgresql://postgres@127.0.0.1:5432/test",
    "MYSQL": "mysql://root@127.0.0.1:3306/test",
    "REDIS": "redis://127.0.0.1:6379/0",
}


def service_url(kind: str) -> str:
    name = f"AUTHCORE_TEST_{kind}_URL"
    url = os.environ.get(name)
    if url:
        return url
    if os.environ.get("AUTHCORE_TEST_SERVICES"):
        pytest.fail(f"{name} is not set, but scripts/test should have exported it")
    return _DEFAULTS[kind]
