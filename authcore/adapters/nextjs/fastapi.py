"""FastAPI (and Starlette) dependencies that read a Next.js app's session; no routes mounted.

nextauth = NextAuthSession(secret=os.environ["AUTH_SECRET"])

@app.get("/me")
async def me(session: Session = Depends(nextauth.require_session)) -> dict[str, Any]:
    return session.to_dict()

@app.post("/items", dependencies=[Depends(nextauth.require_csrf)])
async def create(session: Session = Depends(nextauth.require_session)) -> ...: ...
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import HTTPException
from starlette.requests import HTTPConnection

from ... import _http
from ...nextjs import NextAuthReader, ReadResult, Session
from .._common import header_pairs
from . import CSRF_HEADER, UNAUTHORIZED_HEADERS

__all__ = ["NextAuthSession", "Session", "to_request", "unauthorized"]


def to_request(conn: HTTPConnection) -> _http.Request:
    """Only what reading needs: method and headers. No body, and the path rather than a URL
    rebuilt from the Host header: nothing here depends on the host."""
    method = str(conn.scope.get("method", "GET"))
    return _http.Request(
        method, str(conn.scope.get("path", "/")), header_pairs(conn.scope["headers"])
    )


def unauthorized() -> HTTPException:
    """The 401 to raise when a route needs a session (``WWW-Authenticate`` included)."""
    return HTTPException(401, "Unauthorized", headers=dict(UNAUTHORIZED_HEADERS))


class NextAuthSession:
    """A dependency: ``Depends(nextauth)`` gives ``Session | None``.

    Takes the `authcore.nextjs.NextAuthReader` options (``secret``, ``generation``,
    ``cookie_name``, ``secure``, ``salt``, ``bearer``, ...) or a ready ``reader``. The result
    is cached on the request, so several dependencies read the cookie once.
    """

    def __init__(
        self,
        secret: str | Sequence[str] | None = None,
        *,
        reader: NextAuthReader | None = None,
        csrf_header: str = CSRF_HEADER,
        **options: Any,
    ) -> None:
        self.reader = reader if reader is not None else NextAuthReader(secret, **options)
        self.csrf_header = csrf_header
        self._key = f"authcore.nextjs.{id(self)}"

    def inspect(self, conn: HTTPConnection) -> ReadResult:
        state = conn.scope.setdefault("state", {})
        cached = state.get(self._key)
        if isinstance(cached, ReadResult):
            return cached
        result = self.reader.inspect(to_request(conn))
        state[self._key] = result
        return result

    async def __call__(self, conn: HTTPConnection) -> Session | None:
        return self.inspect(conn).session

    async def require_session(self, conn: HTTPConnection) -> Session:
        """Like ``__call__`` but raises 401 when there is no session."""
        session = self.inspect(conn).session
        if session is None:
            raise unauthorized()
        return session

    async def token(self, conn: HTTPConnection) -> dict[str, Any] | None:
        """The raw claims, like Auth.js ``getToken``."""
        return self.inspect(conn).token

    async def require_csrf(self, conn: HTTPConnection) -> None:
        """403 for an unsafe method whose CSRF header does not match the app's CSRF cookie."""
        if self.reader.csrf_required(to_request(conn), self.csrf_header):
            raise HTTPException(403, "MissingCSRF")
