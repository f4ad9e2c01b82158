from __future__ import annotations

from collections.abc import Iterator

import pytest

from authcore.testing import MockIdP


@pytest.fixture(scope="module")
def idp() -> Iterator[MockIdP]:
    with MockIdP() as server:
        yield server
