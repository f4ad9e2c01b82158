"""`get_token`: the one-shot read, like Auth.js `getToken`, for both token generations."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import unquote

from .._cookies import CookieDef, SessionStore, parse_cookie_header
from .._http import Request
from ._reader import NextAuthReader
from ._session import Generation, ReadResult, SecureMode

__all__ = ["get_token"]


def get_token(
    request: Request,
    *,
    secret: str | Sequence[str] | None = None,
    generation: Generation = "auto",
    cookie_name: str | None = None,
    secure: SecureMode = "auto",
    salt: str | None = None,
    raw: bool = False,
    now: Callable[[], float] | None = None,
) -> dict[str, Any] | str | None:
    """One-shot form of ``NextAuthReader(...).read_token(request)``, like Auth.js ``getToken``.

    With ``raw=True`` the (reassembled) token string is returned once it has decrypted.
    Build a `NextAuthReader` once instead when reading on every request.
    """
    reader = NextAuthReader(
        secret, generation=generation, cookie_name=cookie_name, secure=secure, salt=salt, now=now
    )
    result = reader.inspect(request)
    if result.session is None:
        return None
    if raw:
        return _raw_value(reader, request, result)
    return dict(result.session.token)


def _raw_value(reader: NextAuthReader, request: Request, result: ReadResult) -> str | None:
    if result.cookie_name is None:
        auth = request.header_all("authorization")
        return unquote(auth[0].strip().partition(" ")[2].strip()) if auth else None
    cookies = parse_cookie_header(request.cookie_header, max_cookies=reader.limits.max_cookies)
    return SessionStore(CookieDef(result.cookie_name), cookies, reader.limits).value
