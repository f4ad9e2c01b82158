"""The HTTP client the catalog tests send the browser's IdP requests with."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from authcore.oauth import clear_caches


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    clear_caches()  # discovery and JWKS caches: each test points providers at a fresh issuer
    with httpx.Client() as client:
        yield client
