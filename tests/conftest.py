"""Fixtures every test folder may use."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from authcore.oauth import clear_caches


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    """A plain HTTP client for what a browser would send to the mock identity provider.
    The discovery and JWKS caches start empty: each test's providers may point at a fresh
    issuer."""
    clear_caches()
    with httpx.Client() as client:
        yield client
