"""pytest fixtures for apps tested against authcore's mock identity provider.

Registered through the `pytest11` entry point, so installing authcore makes `mock_idp`
available everywhere. One server per test session (key generation and thread start-up are
paid once); every test gets it reset.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._server import MockIdP

__all__ = ["mock_idp", "mock_idp_server"]


@pytest.fixture(scope="session")
def mock_idp_server() -> Iterator[MockIdP]:
    """The session-wide server behind `mock_idp`. Prefer `mock_idp`, which resets it."""
    with MockIdP() as idp:
        yield idp


@pytest.fixture
def mock_idp(mock_idp_server: MockIdP) -> Iterator[MockIdP]:
    """A running `MockIdP` with faults off, default users and no recorded requests.

    Fails the test if the mock itself hit an unexpected error while serving it."""
    mock_idp_server.reset()
    yield mock_idp_server
    errors = mock_idp_server.server_errors
    mock_idp_server.reset()
    if errors:
        pytest.fail(f"authcore mock IdP raised internally: {errors}", pytrace=False)
