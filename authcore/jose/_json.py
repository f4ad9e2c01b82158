"""JSON as JOSE needs it: strict on the way in, ``JSON.stringify`` bytes on the way out."""

from __future__ import annotations

import json
import re
from typing import Any, NoReturn

__all__ = ["dumps", "loads_object"]

# A surrogate code point in a Python str is always unpaired (a valid pair decodes to
# one code point). JSON.stringify escapes those as \udxxx since ES2019.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # RFC 7515 §4 / RFC 7516 §4 allow "reject" or "last wins"; we reject so that no
    # two parsers can read different values from one token (RFC 7516).
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise ValueError("duplicate member name")
    return obj


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


# Built once: `json.loads(..., object_pairs_hook=...)` builds a decoder per call (~1.5 µs).
_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_constant=_no_constant)


def loads_object(data: bytes | str) -> dict[str, Any]:
    """Parse a JSON object from UTF-8; ``ValueError`` on anything else.

    Rejects duplicate names, ``NaN``/``Infinity`` and non-UTF-8 bytes (``json.loads``
    would otherwise sniff UTF-16/32 from raw bytes).
    """
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        obj = _DECODER.decode(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    if not isinstance(obj, dict):
        raise ValueError("JSON value is not an object")
    return obj


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def dumps(obj: Any) -> bytes:
    """Serialise like ``JSON.stringify``: compact, non-ASCII kept as UTF-8.

    Control characters are escaped the same way by both (``\\n`` or lowercase
    ``\\u00XX``), U+2028/U+2029 are left raw by both. ``NaN`` and infinities raise
    ``ValueError`` instead of becoming ``null``.
    """
    text = _ENCODER.encode(obj)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        text = _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
        return text.encode("utf-8")
