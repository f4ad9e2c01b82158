"""Keeps secrets out of httpx's and httpcore's log records.

httpx logs every request URL at INFO and httpcore every response header at DEBUG. Instagram
puts the access token (and, in the long-lived exchange, the app secret) in the query string,
so an app that merely calls `logging.basicConfig(level=logging.INFO)` would log them. A filter
on those loggers rewrites each record before any handler sees it: the values of query
parameters that can hold a credential, userinfo in URLs, and the values of cookie and
authorization headers become `[redacted]`. Other parameters (and other loggers) are untouched,
so the lines stay useful and the app's own httpx calls are only changed where they leak too.
"""

from __future__ import annotations

import logging
import re
import threading

__all__ = ["REDACTED", "RedactingFilter", "install", "redact_text"]

REDACTED = "[redacted]"

# A query parameter whose name contains one of these holds (or may hold) a credential:
# access_token, refresh_token, id_token, client_secret, code, code_verifier, fb_exchange_token,
# input_token, client_assertion, password, api_key, state, nonce, signature...
_SENSITIVE_PARTS = (
    "token",
    "secret",
    "code",
    "verifier",
    "assertion",
    "password",
    "passwd",
    "key",
    "state",
    "nonce",
    "signature",
    "sig",
    "auth",
    "session",
    "cookie",
    "ticket",
)
_SENSITIVE_HEADERS = ("cookie", "set-cookie", "authorization", "proxy-authorization")

# `name=value` pairs of a query string inside free text (a URL in a message).
_QUERY_PAIR = re.compile(r"([?&;])([^=&#\s\"'<>]+)=([^&#\s\"'<>]*)")
_USERINFO = re.compile(r"(\b[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s\"'<>]+@")
# httpcore's header lists: (b'Set-Cookie', b'...') with either quote style.
_HEADER = re.compile(
    r"\((b?)(['\"])(" + "|".join(_SENSITIVE_HEADERS) + r")\2,\s*b?(?:'(?:[^'\\]|\\.)*'"
    r"|\"(?:[^\"\\]|\\.)*\")\)",
    re.IGNORECASE,
)
_LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)


def _sensitive(name: str) -> bool:
    lowered = name.lower()
    return any(part in lowered for part in _SENSITIVE_PARTS)


def _pair(match: re.Match[str]) -> str:
    sep, name, value = match.group(1), match.group(2), match.group(3)
    if value and _sensitive(name):
        value = REDACTED
    return f"{sep}{name}={value}"


def redact_text(text: str) -> str:
    """`text` with credential-bearing query values, URL userinfo and cookie/authorization
    header values replaced by `[redacted]`."""
    if "=" in text:
        text = _QUERY_PAIR.sub(_pair, text)
    if "@" in text:
        text = _USERINFO.sub(lambda m: f"{m.group(1)}{REDACTED}@", text)
    if "(" in text:
        text = _HEADER.sub(
            lambda m: (
                f"({m.group(1)}{m.group(2)}{m.group(3)}{m.group(2)}, {m.group(1)}'{REDACTED}')"
            ),
            text,
        )
    return text


class RedactingFilter(logging.Filter):
    """Replaces a record's message by its redacted rendering; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record: let logging report it as it would
            return True
        record.msg = redact_text(message)
        record.args = None
        return True


_FILTER = RedactingFilter()
_lock = threading.Lock()
_installed = threading.Event()


def install() -> None:
    """Attach the filter to httpx's and httpcore's loggers (idempotent, cheap after the first
    call). Called before each request authcore sends."""
    if _installed.is_set():
        return
    with _lock:
        for name in _LOGGERS:
            logger = logging.getLogger(name)
            if _FILTER not in logger.filters:
                logger.addFilter(_FILTER)
        _installed.set()
