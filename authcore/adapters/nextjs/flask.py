"""Flask helpers that read a Next.js app's session; no routes mounted.

NextAuth(app, secret=os.environ["AUTH_SECRET"])    # or app.config["AUTHCORE_NEXTAUTH"] = {...}

@app.post("/items")
@nextauth_required
@nextauth_csrf_protect
def create():
    session = get_nextauth_session()   # a Session, never None here
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

from flask import Flask, Response, current_app, g, request

from ... import _http
from ...nextjs import NextAuthReader, ReadResult, Session
from . import (
    CSRF_HEADER,
    UNAUTHORIZED_HEADERS,
    csrf_failed_json,
    from_settings,
    unauthorized_json,
)

__all__ = [
    "NextAuth",
    "Session",
    "get_nextauth_result",
    "get_nextauth_session",
    "get_nextauth_token",
    "nextauth_csrf_protect",
    "nextauth_required",
    "unauthorized",
    "verify_nextauth_csrf",
]

F = TypeVar("F", bound=Callable[..., Any])
_EXT = "authcore.nextjs"
_CACHE = "_authcore_nextauth_result"


class NextAuth:
    """The extension: holds one reader per app (options as `NextAuthReader`'s).

    Without it, the first use builds the reader from ``app.config["AUTHCORE_NEXTAUTH"]``.
    """

    def __init__(
        self,
        app: Flask | None = None,
        secret: str | Sequence[str] | None = None,
        *,
        reader: NextAuthReader | None = None,
        csrf_header: str = CSRF_HEADER,
        **options: Any,
    ) -> None:
        self.reader = reader if reader is not None else NextAuthReader(secret, **options)
        self.csrf_header = csrf_header
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        app.extensions[_EXT] = self


def _ext() -> NextAuth:
    ext = current_app.extensions.get(_EXT)
    if not isinstance(ext, NextAuth):
        options = current_app.config.get("AUTHCORE_NEXTAUTH")
        reader, csrf_header = from_settings(options, source="AUTHCORE_NEXTAUTH")
        ext = NextAuth(reader=reader, csrf_header=csrf_header)
        ext.init_app(current_app)
    return ext


def _to_request() -> _http.Request:
    # request.path, not request.url: building the URL validates Host (TRUSTED_HOSTS) and
    # nothing here depends on the host.
    return _http.Request(request.method, request.path, list(request.headers.items()))


def get_nextauth_result() -> ReadResult:
    """The read for this request (cached on ``flask.g``), with ``reason`` when no session."""
    cached = g.get(_CACHE)
    if isinstance(cached, ReadResult):
        return cached
    result = _ext().reader.inspect(_to_request())
    setattr(g, _CACHE, result)
    return result


def get_nextauth_session() -> Session | None:
    return get_nextauth_result().session


def get_nextauth_token() -> dict[str, Any] | None:
    return get_nextauth_result().token


def verify_nextauth_csrf() -> bool:
    """The CSRF header matches the app's CSRF cookie (any method)."""
    ext = _ext()
    return ext.reader.verify_csrf(_to_request(), ext.csrf_header)


def unauthorized() -> Response:
    """A JSON 401 with ``WWW-Authenticate``."""
    return Response(
        unauthorized_json(), 401, list(UNAUTHORIZED_HEADERS), mimetype="application/json"
    )


def _forbidden() -> Response:
    return Response(csrf_failed_json(), 403, mimetype="application/json")


def _guard(check: Callable[[], Response | None], view: F) -> F:
    if inspect.iscoroutinefunction(view):

        @functools.wraps(view)
        async def guarded_async(*args: Any, **kwargs: Any) -> Any:
            denied = check()
            return denied if denied is not None else await view(*args, **kwargs)

        return cast(F, guarded_async)

    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        denied = check()
        return denied if denied is not None else view(*args, **kwargs)

    return cast(F, guarded)


def _session_check() -> Response | None:
    return unauthorized() if get_nextauth_session() is None else None


def _csrf_check() -> Response | None:
    ext = _ext()
    return _forbidden() if ext.reader.csrf_required(_to_request(), ext.csrf_header) else None


def nextauth_required(view: F) -> F:
    """401 unless the request carries a Next.js session (sync or async view)."""
    return _guard(_session_check, view)


def nextauth_csrf_protect(view: F) -> F:
    """403 for unsafe methods unless the CSRF header matches the app's CSRF cookie."""
    return _guard(_csrf_check, view)
