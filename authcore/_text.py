"""Making outside text safe to put in a log line (CWE-117)."""

from __future__ import annotations

import re

__all__ = ["printable"]

# C0 and C1 controls, DEL, and the Unicode line/paragraph separators: anything a log viewer
# could take as the start of a new entry.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str, limit: int = 200) -> str:
    """`text` cut to `limit` characters with every control character escaped (`\\x0a`)."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", text[:limit])
