"""The one error every JOSE and session-token failure raises.

RFC 7516 §11.5 (and RFC 7516): a caller, and so an attacker, must not be
able to tell a bad tag from bad padding, a wrong key or an expired claim. So the
public message is always the same; the machine-readable ``code`` exists for logs
and tests only and never carries token bytes (joserfc CVE-2025-65015 logged whole
oversized tokens).
"""

from __future__ import annotations

from typing import Literal

__all__ = ["InvalidToken", "InvalidTokenCode"]

InvalidTokenCode = Literal[
    "empty",
    "too_large",
    "malformed",
    "unsupported_header",
    "no_matching_key",
    "bad_tag",
    "bad_signature",
    "bad_payload",
    "bad_claims",
    "expired",
    "not_yet_valid",
]


class InvalidToken(Exception):
    """A token was rejected. ``str()`` is identical for every cause; see ``code``."""

    code: InvalidTokenCode

    def __init__(self, code: InvalidTokenCode = "malformed") -> None:
        super().__init__("invalid token")
        self.code = code

    def __repr__(self) -> str:
        return f"InvalidToken(code={self.code!r})"
