"""GET `/session` without `Context`, `dispatch` and the `init` flow: the same answer as
`dispatch` gives through `init` and `session.read`, in one straight function (issues #17,
#13).

Taken only when it is provably the same answer: a GET of `<base_path>/session` with no
`callbackUrl` in the query, with no `redirect` callback, and either under the JWT strategy
with the default `jwt.encode` / `jwt.decode` and no `jwt` or `session` callback nor `session`
event (`session.no_user_code`), or under the database strategy with no `session` callback
nor `session` event (`session.database_no_user_code`). Anything else, and any request the
normal path would refuse (bad URL, oversized headers, untrusted host), returns None: the
caller runs the normal path, which answers it. The `init` steps (CSRF cookie, callback-URL
cookie) below mirror `actions._common.init` in order; the session read is the function
`session.read` runs for such a config: `session.read_plain` (JWT, answered here) or
`session.read_database` (returned as a flow: the store may be async, so the caller drives
it, and answers an unexpected exception as the normal path does).
`tests/core/test_fast_session.py` compares both paths response for response.
"""

from __future__ import annotations

from functools import lru_cache

from .._cookies import Cookie, CookieDef, ParsedCookies, SessionStore
from .._csrf import resolve_csrf
from .._flow import Flow
from .._http import Request, Response
from .._options import Options
from .._redirect import default_redirect, is_plausible_url
from ..errors import AuthError
from ._common import cookie_fits
from ._context import BadRequest, parse_request, resolve_origin
from ._response import NO_CACHE
from .session import SessionAnswer, database_no_user_code, no_user_code, read_database, read_plain

__all__ = ["fast_eligible", "fast_session"]

_HEAD = (("Content-Type", "application/json"), *NO_CACHE)


@lru_cache(maxsize=64)
def _callback_cookie(cookie_def: CookieDef, value: str) -> tuple[Cookie, str]:
    """The callback-URL cookie and its `Set-Cookie` value: the same few (one per origin) on
    every request of a browser that sends none. The cookie is never mutated."""
    cookie = cookie_def.make(value)
    return cookie, cookie.serialize()


def fast_eligible(options: Options) -> bool:
    """Whether this config leaves GET `/session` free of user code (callbacks, events,
    custom JWT functions): then only an async store can need a driver."""
    return options.callbacks.redirect is None and (
        no_user_code(options) or database_no_user_code(options)
    )


def _cookie(cookies: ParsedCookies, name: str) -> str | None:
    """`Context.cookie`: None when absent or duplicated."""
    if name in cookies.duplicates:
        return None
    return cookies.values.get(name)


def fast_session(request: Request, options: Options) -> Response | Flow[Response] | None:
    """The response to GET `/session` (JWT strategy) or the flow that makes it (database
    strategy), or None when the normal path must answer."""
    if request.method != "GET" or not fast_eligible(options):
        return None
    try:
        parsed = parse_request(request, options)
    except BadRequest:
        return None
    if (
        parsed.action != "session"
        or parsed.provider_id is not None
        or "callbackUrl" in parsed.query
    ):
        return None
    try:
        origin = resolve_origin(request, parsed, options)
    except AuthError:
        return None
    secure = (
        options.use_secure_cookies
        if options.use_secure_cookies is not None
        else origin.startswith("https:")
    )
    defs = options.cookies(secure)
    now = options.clock()
    cookies = parsed.cookies

    # `init`: the CSRF cookie (a GET never verifies), then the callback-URL cookie. Nothing
    # here is expected to raise; if it did, the normal path answers (its error response).
    out: list[str] = []  # Set-Cookie values, in the normal path's order
    try:
        if not options.skip_csrf_check:
            state = resolve_csrf(
                cookie=_cookie(cookies, defs.csrf_token.name),
                secrets=options.secrets,
                is_post=False,
                body_token=None,
            )
            if state.cookie_value is not None:
                out.append(defs.csrf_token.make(state.cookie_value).serialize())
        max_chars = options.limits.max_callback_url_chars
        current = _cookie(cookies, defs.callback_url.name)
        if current is not None and is_plausible_url(current, max_chars=max_chars):
            callback_url = default_redirect(current, origin, max_chars=max_chars)
        else:
            callback_url = origin
        stored = True
        if callback_url != current:
            cookie, header = _callback_cookie(defs.callback_url, callback_url)
            cap = options.limits.max_cookie_header_bytes
            stored = cookie_fits(request.cookie_header, cap, cookie, replacing=current)
            if stored:
                out.append(header)
    except Exception:
        return None
    if not stored:
        options.logger.warn("callback-url-not-stored")  # never raises

    # `read`, no user code: the same function `session.read` runs.
    store = SessionStore(defs.session_token, cookies, options.limits, options.logger)
    if options.session_strategy == "database":
        return _answer_after(out, read_database(options, store, now))
    return _answer(out, read_plain(options, store, defs.session_token.name, now))


def _answer(out: list[str], answer: SessionAnswer) -> Response:
    """`json_response(None, cookies=..., headers=NO_CACHE, encoded=...)`, its headers in
    order: the `init` cookies (`out`, serialized) before the session's."""
    out += [c.serialize() for c in answer.cookies]
    return Response(200, [*_HEAD, *[("Set-Cookie", c) for c in out]], answer.encoded)


def _answer_after(out: list[str], read: Flow[SessionAnswer]) -> Flow[Response]:
    return _answer(out, (yield from read))
