"""Callback-URL handling: the default `redirect` callback (Auth.js `src/lib/init.ts`, hardened per
CVE-2022-24858 and the URL parser differences of docs/security.md#what-authcore-defends-and-how).

Only same-origin targets survive: a path starting with a single "/" (no backslash, control
character or whitespace anywhere) becomes `<origin><path>`; an absolute URL must be http(s)
with "//", no userinfo and the same scheme, host and effective port as the origin.
Everything else, and anything over the size cap, falls back to the origin.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

__all__ = ["default_redirect", "has_unsafe_chars", "is_plausible_url", "same_origin"]

_DEFAULT_PORTS = {"http": 80, "https": 443}


# A backslash, any whitespace (str.isspace: Unicode spaces and separators included), C0, DEL.
_UNSAFE = re.compile(r"[\\\s\x00-\x1f\x7f]")


def has_unsafe_chars(value: str) -> bool:
    return _UNSAFE.search(value) is not None


def _origin_of(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an absolute http(s) URL without userinfo, else None."""
    scheme, sep, rest = url.partition(":")
    scheme = scheme.lower()
    if not sep or scheme not in _DEFAULT_PORTS or not rest.startswith("//"):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if "@" in parts.netloc or not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), port if port is not None else _DEFAULT_PORTS[scheme]


def same_origin(url: str, origin: str) -> bool:
    a = _origin_of(url)
    return a is not None and a == _origin_of(origin)


def default_redirect(url: object, base_url: str, *, max_chars: int = 2048) -> str:
    if isinstance(url, str):
        return _default_redirect(url, base_url, max_chars)
    return base_url


@lru_cache(maxsize=256)  # pure, and the same callback-url cookie arrives on every request
def _default_redirect(url: str, base_url: str, max_chars: int) -> str:
    if not url or len(url) > max_chars or has_unsafe_chars(url):
        return base_url
    if url.startswith("/"):
        return base_url if url.startswith("//") else base_url + url
    return url if same_origin(url, base_url) else base_url


def is_plausible_url(value: str, *, max_chars: int) -> bool:
    """A value worth handing to a user `redirect` callback: a clean absolute http(s) URL or
    a path. Other values (e.g. a planted `javascript:` cookie) are ignored (docs/differences.md row
    2)."""
    if not value or len(value) > max_chars or has_unsafe_chars(value):
        return False
    if value.startswith("/"):
        # "//host" is another site to a browser: never offered, so that even a naive
        # `return url` callback stays on the origin.
        return not value.startswith("//")
    return _origin_of(value) is not None
