"""Escaping and validation for values that end up in page HTML or CSS.

Every value from config or a request goes through one of these before it is written out:
`esc` for text and double-quoted attributes, `safe_url` for href/src/action, `safe_color`
for anything spliced into CSS (where HTML escaping does not help: `<style>` is raw text).
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

__all__ = ["contrast_text", "esc", "host_of", "safe_code", "safe_color", "safe_nonce", "safe_url"]


def esc(value: object) -> str:
    """Escape for HTML text and double- or single-quoted attribute values."""
    return html.escape(value if isinstance(value, str) else str(value), quote=True)


# Browsers strip leading/trailing C0 controls and spaces and delete every tab/CR/LF anywhere
# in a URL before parsing it (WHATWG URL), so "java\tscript:" is a javascript: URL. Do the
# same before looking at the scheme.
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_MAX_URL = 8192


def safe_url(value: object) -> str | None:
    """The URL if it is http(s) or relative, else None (javascript:, data:, vbscript:, ...)."""
    if not isinstance(value, str):
        return None
    url = _TAB_NEWLINE.sub("", value.strip("".join(map(chr, range(0x21)))))
    if not url or len(url) > _MAX_URL or _CONTROL.search(url):
        return None
    m = _SCHEME.match(url)
    if m is not None and m.group(0)[:-1].lower() not in ("http", "https"):
        return None
    return url


def host_of(origin: object) -> str | None:
    """`host[:port]` of an absolute http(s) URL (for the link text), else None."""
    url = safe_url(origin)
    if url is None:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https"):
        return None
    host = parts.netloc.rpartition("@")[2]
    return host or None


# A strict subset of CSS colours: hex, rgb()/hsl() with plain numbers, or a bare keyword.
# No quotes, semicolons, braces, angle brackets, backslashes or newlines can get through,
# so a value cannot leave its declaration nor the <style> element.
_COLOR = re.compile(
    r"#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})"
    r"|(?:rgba?|hsla?)\([0-9.,%/ a-z-]{1,64}\)"
    r"|[a-zA-Z]{3,32}"
)
# Units allowed inside rgb()/hsl(): only these letter runs, nothing like `url` or `expression`.
_COLOR_WORDS = re.compile(r"[a-z]+")
_COLOR_UNITS = frozenset({"deg", "rad", "grad", "turn", "none"})


def safe_color(value: object) -> str | None:
    """The colour if it matches the strict CSS colour grammar above, else None."""
    if not isinstance(value, str):
        return None
    color = value.strip()
    if not _COLOR.fullmatch(color):
        return None
    if "(" in color:
        inner = color[color.index("(") + 1 : -1]
        if any(w not in _COLOR_UNITS for w in _COLOR_WORDS.findall(inner)):
            return None
    return color


_HEX = re.compile(r"#([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")


def _luminance(color: str) -> float | None:
    m = _HEX.fullmatch(color)
    if m is None:
        return None
    digits = m.group(1)
    if len(digits) in (3, 4):
        digits = "".join(c * 2 for c in digits[:3])
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_text(background: str) -> str | None:
    """Black or white, whichever reads better on a hex background (WCAG contrast ratio);
    None when the colour is not hex (the caller keeps its default)."""
    lum = _luminance(background)
    if lum is None:
        return None
    on_black = (lum + 0.05) / 0.05
    on_white = 1.05 / (lum + 0.05)
    return "#000" if on_black >= on_white else "#fff"


_CODE = re.compile(r"[A-Za-z]{1,64}")


def safe_code(value: object) -> str | None:
    """An error code fit to display: ASCII letters only, at most 64."""
    if isinstance(value, str) and _CODE.fullmatch(value):
        return value
    return None


_NONCE = re.compile(r"[A-Za-z0-9+/_=-]{1,256}")


def safe_nonce(value: object) -> str | None:
    if isinstance(value, str) and _NONCE.fullmatch(value):
        return value
    return None
