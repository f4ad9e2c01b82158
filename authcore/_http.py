"""HTTP values exchanged with `Auth()` and the URI escaping rules of JavaScript (Auth.js
`src/index.ts`).

Cookies (their wire format included) live in `authcore._cookies`.

Framework adapters translate to and from these two small types; nothing in the core
imports a framework.
"""

from __future__ import annotations

import json
import re
import string
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, quote, unquote

__all__ = [
    "Request",
    "Response",
    "decode_uri_component",
    "encode_uri_component",
    "http_date",
    "parse_form",
]

HeadersInput = Mapping[str, str] | Iterable[tuple[str, str]] | None

# encodeURIComponent leaves these unescaped (ECMA-262 uriUnreserved + "!~*'()").
_URI_COMPONENT_SAFE = "-_.!~*'()"
_URI_COMPONENT_SAFE_BYTES = (string.ascii_letters + string.digits + _URI_COMPONENT_SAFE).encode()
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# Every other ASCII character, mapped to its escape.
_ASCII_ESCAPES = {
    chr(i): f"%{i:02X}" for i in range(128) if chr(i).encode() not in _URI_COMPONENT_SAFE_BYTES
}
_ASCII_UNSAFE = re.compile("[" + re.escape("".join(_ASCII_ESCAPES)) + "]")


def _escape(match: re.Match[str]) -> str:
    return _ASCII_ESCAPES[match.group()]


def encode_uri_component(value: str) -> str:
    """JavaScript's `encodeURIComponent`. Cookie values are ASCII but for rare callback URLs:
    JWEs and hex tokens need no escaping at all, the rest escapes its few unsafe characters
    with one regex pass (`quote` and a `str.translate` to 3-character strings walk every
    character in Python)."""
    if value.isascii():
        if not value.encode("ascii").translate(None, _URI_COMPONENT_SAFE_BYTES):
            return value
        return _ASCII_UNSAFE.sub(_escape, value)
    return quote(value, safe=_URI_COMPONENT_SAFE)


@lru_cache(maxsize=8)
def http_date(seconds: int) -> str:
    """`Date.prototype.toUTCString()` / RFC 9110 IMF-fixdate, e.g. `Tue, 29 Dec 2026 09:40:30 GMT`.
    Cached: a response writes the same second several times."""
    t = time.gmtime(seconds)
    return (
        f"{_DAYS[t.tm_wday]}, {t.tm_mday:02d} {_MONTHS[t.tm_mon - 1]} {t.tm_year:04d} "
        f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} GMT"
    )


def _normalise_headers(headers: HeadersInput) -> list[tuple[str, str]]:
    if headers is None:
        return []
    items = headers.items() if isinstance(headers, Mapping) else headers
    return [(str(k).lower(), str(v)) for k, v in items]


class Request:
    """An incoming HTTP request: method, absolute URL, headers, body bytes, and `client`, the
    address of the peer that sent it (what the server saw: a proxy's, behind one; config
    `trusted_proxy_hops` says how far `X-Forwarded-For` is believed). None when unknown."""

    __slots__ = ("body", "client", "headers", "method", "url")

    def __init__(
        self,
        method: str,
        url: str,
        headers: HeadersInput = None,
        body: bytes = b"",
        client: str | None = None,
    ) -> None:
        self.method = method.upper()
        self.url = url
        self.headers: list[tuple[str, str]] = _normalise_headers(headers)
        self.body = body
        self.client = client

    def header(self, name: str) -> str | None:
        """First value of a header (names are case-insensitive)."""
        name = name.lower()
        for k, v in self.headers:
            if k == name:
                return v
        return None

    def header_all(self, name: str) -> list[str]:
        name = name.lower()
        return [v for k, v in self.headers if k == name]

    @property
    def cookie_header(self) -> str:
        """All `Cookie` headers joined, as HTTP/2 may split them (RFC 9113 §8.2.3)."""
        return "; ".join(self.header_all("cookie"))

    def __repr__(self) -> str:  # never print headers: they carry cookies
        return f"<Request {self.method} {self.url}>"


@dataclass
class Response:
    """An outgoing HTTP response. Several `Set-Cookie` headers may appear in `headers`."""

    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return None

    @property
    def set_cookies(self) -> list[str]:
        return [v for k, v in self.headers if k.lower() == "set-cookie"]

    @property
    def location(self) -> str | None:
        return self.header("location")

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def __repr__(self) -> str:
        return f"<Response {self.status}>"


_BAD_ESCAPE = re.compile(r"%(?![0-9a-fA-F]{2})")


def decode_uri_component(value: str) -> str | None:
    """JavaScript's `decodeURIComponent`, None where it throws (a malformed escape such as
    "%zz" or a lone "%", or escapes that are not UTF-8)."""
    if "%" not in value:
        return value
    if _BAD_ESCAPE.search(value) is not None:
        return None
    try:
        return unquote(value, errors="strict")
    except UnicodeDecodeError:
        return None


def parse_form(body: bytes) -> dict[str, str]:
    """Flat form parsing, last duplicate wins (Auth.js `src/index.ts`). Raises ValueError on
    non-UTF-8."""
    text = body.decode("utf-8")
    return dict(parse_qsl(text, keep_blank_values=True, errors="strict"))
