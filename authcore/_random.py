"""Random identifiers, without `uuid` (its import and object cost show on the hot path)."""

from __future__ import annotations

import os

__all__ = ["uuid4"]


def uuid4() -> str:
    """A random RFC 9562 version-4 UUID in its text form, like `crypto.randomUUID()`."""
    b = bytearray(os.urandom(16))
    b[6] = (b[6] & 0x0F) | 0x40  # version 4
    b[8] = (b[8] & 0x3F) | 0x80  # variant 10xx
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
