"""Core tests share the interop suite's session-scoped Node worker (`authjs`)."""

from tests.interop.conftest import authjs

__all__ = ["authjs"]
