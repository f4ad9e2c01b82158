"""Small response builders shared by the actions (Auth.js `src/lib/utils/web.ts`)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from .._cookies import Cookie
from .._http import Response

__all__ = [
    "NO_CACHE",
    "PAGE_HEADERS",
    "dumps",
    "header_url",
    "html",
    "json_response",
    "redirect",
]

NO_CACHE = (
    ("Cache-Control", "private, no-cache, no-store"),
    ("Expires", "0"),
    ("Pragma", "no-cache"),
)

PAGE_HEADERS = (
    ("Content-Type", "text/html; charset=utf-8"),
    ("Cache-Control", "no-store"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
    (
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; img-src http: https: data:; "
        "frame-ancestors 'none'; base-uri 'none'",
    ),
)


# Built once: `json.dumps` with any non-default option builds an encoder per call.
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def dumps(body: Any) -> bytes:
    """`JSON.stringify`-like: compact, UTF-8, no NaN; raises TypeError on foreign objects."""
    return _ENCODER.encode(body).encode()


def _cookie_headers(cookies: Iterable[Cookie]) -> list[tuple[str, str]]:
    return [("Set-Cookie", c.serialize()) for c in cookies]


def json_response(
    body: Any,
    *,
    status: int = 200,
    cookies: Iterable[Cookie] = (),
    headers: Iterable[tuple[str, str]] = (),
    encoded: bytes | None = None,
) -> Response:
    return Response(
        status=status,
        headers=[("Content-Type", "application/json"), *headers, *_cookie_headers(cookies)],
        body=encoded if encoded is not None else dumps(body),
    )


# Kept as they are in a Location: RFC 3986 reserved characters, `%` (existing escapes) and
# the unreserved ones `quote` always keeps. Everything else (non-ASCII, spaces, controls,
# quotes, `<>\^`{|}`) is percent-encoded as UTF-8, as a browser's URL parser would.
_LOCATION_SAFE = "!#$%&'()*+,/:;=?@[]~"


def header_url(url: str) -> str:
    """`url` as an ASCII header value: identical in every server and framework (Starlette
    refuses non-Latin-1 values, Django MIME-encodes them, WSGI servers differ)."""
    if url.isascii() and url.isprintable() and " " not in url:
        return url
    return quote(url, safe=_LOCATION_SAFE)


def redirect(location: str, *, cookies: Iterable[Cookie] = ()) -> Response:
    return Response(
        status=302, headers=[("Location", header_url(location)), *_cookie_headers(cookies)]
    )


def html(
    body: str, *, status: int = 200, cookies: Iterable[Cookie] = (), csp: str | None = None
) -> Response:
    """An HTML page; `csp` replaces the default Content-Security-Policy."""
    headers = list(PAGE_HEADERS)
    if csp is not None:
        headers = [(k, csp if k == "Content-Security-Policy" else v) for k, v in headers]
    return Response(
        status=status,
        headers=[*headers, *_cookie_headers(cookies)],
        body=body.encode("utf-8"),
    )
