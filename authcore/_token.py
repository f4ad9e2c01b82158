"""Helpers for apps: `get_token` (SPEC §4.5) and `get_session` (fail-closed).

`get_session` answers None on ANY error (security.md §0.5): a broken config or a bad
cookie must never look like a signed-in user.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from ._config import AuthConfig, Options, normalise
from ._cookies import SessionStore
from ._http import Request, Response, decode_uri_component, parse_cookie_header
from ._options import Limits, default_cookies
from .errors import MissingSecret

__all__ = ["get_session", "get_session_async", "get_token"]

_LIMITS = Limits()


def _bearer(request: Request) -> str | None:
    header = request.header("authorization")
    if header is None or not header.startswith("Bearer "):
        return None
    # decodeURIComponent throws on bad escapes; Auth.js then returns null (SPEC §0, e707770f).
    return decode_uri_component(header[len("Bearer ") :].strip()) or None


def get_token(
    request: Request,
    *,
    secret: str | list[str],
    secure_cookie: bool | None = None,
    cookie_name: str | None = None,
    salt: str | None = None,
    raw: bool = False,
    now: float | None = None,
) -> Any:
    """The decoded session token of a request (cookie, chunked or not, else
    `Authorization: Bearer`), the raw string with `raw=True`, or None."""
    if not secret:
        raise MissingSecret("Must pass `secret` if not set to JWT getToken()")
    if secure_cookie is None:
        secure_cookie = urlsplit(request.url).scheme.lower() == "https"
    cookie_def = default_cookies(secure_cookie).session_token
    if cookie_name is not None:
        cookie_def = type(cookie_def)(cookie_name, secure=cookie_def.secure)
    header = request.cookie_header
    token: str | None = None
    if len(header) <= _LIMITS.max_cookie_header_bytes:
        jar = parse_cookie_header(header, max_cookies=_LIMITS.max_cookies)
        store = SessionStore(cookie_def, jar, _LIMITS)
        if store.invalid:
            return None
        token = store.value or None
    if token is None:
        token = _bearer(request)
    if token is None or len(token) > _LIMITS.max_token_chars:
        return None
    if raw:
        return token
    from . import jwt

    try:
        return jwt.decode(
            token=token,
            secret=secret,
            salt=salt if salt is not None else cookie_def.name,
            now=now,
            max_length=_LIMITS.max_token_chars,
        )
    except Exception:
        return None


def _session_request(request: Request, options: Options) -> Request:
    parts = urlsplit(request.url)
    headers = [(k, v) for k, v in request.headers if k not in ("content-type", "content-length")]
    return Request("GET", f"{parts.scheme}://{parts.netloc}{options.base_path}/session", headers)


def _session_of(response: Response) -> dict[str, Any] | None:
    if response.status != 200:
        return None
    body = json.loads(response.body)
    return body if isinstance(body, dict) else None


def get_session(request: Request, config: AuthConfig | Mapping[str, Any]) -> dict[str, Any] | None:
    """The session of a request (what `GET /session` answers) or None, never an error."""
    from ._core import run_sync

    try:
        options = normalise(config)
        return _session_of(run_sync(_session_request(request, options), options))
    except Exception:
        return None


async def get_session_async(
    request: Request, config: AuthConfig | Mapping[str, Any]
) -> dict[str, Any] | None:
    from ._core import run_async

    try:
        options = normalise(config)
        return _session_of(await run_async(_session_request(request, options), options))
    except Exception:
        return None
