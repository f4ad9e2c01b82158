"""GET `/session` without the flow machinery: the same answer as `dispatch` gives through
`init` and `session.read`, in one straight function (issue #17).

Taken only when it is provably the same answer: a GET of `<base_path>/session` with no
`callbackUrl` in the query, under the JWT strategy, with the default `jwt.encode` /
`jwt.decode`, and no `jwt`, `session` or `redirect` callback nor `session` event (those may
be async, so they need a driver). Anything else, and any request the normal path would
refuse (bad URL, oversized headers, untrusted host), returns None: the caller runs the
normal path, which answers it. Each step below mirrors, in order, `actions._common.init`
(CSRF cookie, callback-URL cookie) and the JWT branch of `actions.session.read`;
`tests/core/test_fast_session.py` compares both paths response for response.
"""

from __future__ import annotations

from functools import lru_cache

from .. import jwt
from .._cookies import Cookie, CookieDef, ParsedCookies, SessionStore
from .._csrf import resolve_csrf
from .._http import Request, Response
from .._options import Options
from .._redirect import default_redirect, is_plausible_url
from ..errors import AuthError, JWTSessionError
from ._common import cookie_fits
from ._context import BadRequest, parse_request, resolve_origin
from ._response import NO_CACHE, dumps
from .session import iso_expires, kept_issue, session_user

__all__ = ["fast_eligible", "fast_session"]

_NULL = b"null"
_HEAD = (("Content-Type", "application/json"), *NO_CACHE)


@lru_cache(maxsize=64)
def _callback_cookie(cookie_def: CookieDef, value: str) -> tuple[Cookie, str]:
    """The callback-URL cookie and its `Set-Cookie` value: the same few (one per origin) on
    every request of a browser that sends none. The cookie is never mutated."""
    cookie = cookie_def.make(value)
    return cookie, cookie.serialize()


def fast_eligible(options: Options) -> bool:
    """Whether this config leaves GET `/session` free of user code (callbacks, events,
    custom JWT functions) and of the store: then no step of it can need a driver."""
    callbacks = options.callbacks
    return (
        options.session_strategy == "jwt"
        and options.jwt_encode is None
        and options.jwt_decode is None
        and callbacks.jwt is None
        and callbacks.session is None
        and callbacks.redirect is None
        and options.events.session is None
    )


def _cookie(cookies: ParsedCookies, name: str) -> str | None:
    """`Context.cookie`: None when absent or duplicated."""
    if name in cookies.duplicates:
        return None
    return cookies.values.get(name)


def fast_session(request: Request, options: Options) -> Response | None:
    """The response to GET `/session`, or None when the normal path must answer."""
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

    # `read`, JWT strategy, no callbacks.
    store = SessionStore(defs.session_token, cookies, options.limits, options.logger)
    encoded = _NULL
    if store.invalid:
        options.logger.error(
            JWTSessionError("Session cookie is malformed, duplicated or too large")
        )
        out += [c.serialize() for c in store.clean()]
    elif store.value:
        salt = defs.session_token.name
        try:
            payload = jwt.decode_with(
                options.secrets,
                salt,
                store.value,
                now=now,
                max_length=options.limits.max_token_chars,
            )
            if not isinstance(payload, dict) or not payload:
                raise ValueError("Invalid JWT")
            kept = kept_issue(options, now, payload)
            body = {
                "user": session_user(payload),
                "expires": iso_expires(now if kept is None else kept, options.session_max_age),
            }
            body_bytes = dumps(body)
            session_cookies: list[Cookie] = []
            if kept is None:
                new_token = jwt.encode_with(
                    options.secrets[0], salt, payload, max_age=options.jwt_max_age, now=now
                )
                store.check_fits(new_token, payload)
                session_cookies = store.chunk(new_token, expires=now + options.session_max_age)
        except Exception as exc:
            options.logger.error(JWTSessionError("Could not read the session", cause=exc))
            out += [c.serialize() for c in store.clean()]
        else:
            encoded = body_bytes
            out += [c.serialize() for c in session_cookies]
    # `json_response(None, cookies=..., headers=NO_CACHE, encoded=...)`, its headers in order.
    return Response(200, [*_HEAD, *[("Set-Cookie", c) for c in out]], encoded)
