"""Steps several actions share: session token encode/decode, events, `redirect`, and
Auth.js's `init` (CSRF token and callback URL, Auth.js `src/lib/init.ts`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import jwt  # loaded by `import authcore` anyway; a call-time import costs per read
from .._cookies import Cookie
from .._csrf import resolve_csrf
from .._flow import Flow, call
from .._http import encode_uri_component
from .._options import Options
from .._redirect import default_redirect, has_unsafe_chars, is_plausible_url
from ..errors import EventError, InvalidCallbackUrl
from ._context import Context

__all__ = [
    "cookie_fits",
    "decode_session",
    "encode_session",
    "fire",
    "fire_with",
    "init",
    "run_redirect",
]


def encode_session(ctx: Context, token: Mapping[str, Any]) -> Flow[str]:
    options = ctx.options
    salt = ctx.cookie_defs.session_token.name
    if options.jwt_encode is not None:
        value = yield from call(
            options.jwt_encode,
            token=dict(token),
            secret=list(options.secrets),
            salt=salt,
            max_age=options.jwt_max_age,
        )
        if not isinstance(value, str):
            raise TypeError("jwt.encode must return a string")
        return value
    return jwt.encode_with(
        options.secrets[0], salt, token, max_age=options.jwt_max_age, now=ctx.now
    )


def decode_session(ctx: Context, value: str) -> Flow[dict[str, Any]]:
    """The session token's payload; raises on anything invalid (Auth.js `src/jwt.ts`)."""
    options = ctx.options
    salt = ctx.cookie_defs.session_token.name
    if options.jwt_decode is not None:
        payload = yield from call(
            options.jwt_decode, token=value, secret=list(options.secrets), salt=salt
        )
    else:
        payload = jwt.decode_with(
            options.secrets, salt, value, now=ctx.now, max_length=options.limits.max_token_chars
        )
    if not isinstance(payload, dict) or not payload:
        raise ValueError("Invalid JWT")
    return payload


def fire(ctx: Context, event: Any, **kwargs: Any) -> Flow[None]:
    """Run an event handler; its failure is logged as `EventError` and swallowed."""
    return fire_with(ctx.options, event, **kwargs)


def fire_with(options: Options, event: Any, **kwargs: Any) -> Flow[None]:
    """`fire` for a caller that holds the options rather than a `Context`."""
    if event is None:
        return
    try:
        yield from call(event, **kwargs)
    except Exception as exc:
        options.logger.error(EventError("An event handler raised", cause=exc))


def run_redirect(ctx: Context, url: str) -> Flow[str]:
    """The `redirect` callback: the hardened default, or the user's (whose answer must be a
    string without control characters, as it becomes a `Location` header)."""
    options = ctx.options
    max_chars = options.limits.max_callback_url_chars
    user = options.callbacks.redirect
    if user is None:
        return default_redirect(url, ctx.origin, max_chars=max_chars)
    result = yield from call(user, url=url, base_url=ctx.origin)
    if not isinstance(result, str) or not result or has_unsafe_chars(result.strip()):
        raise InvalidCallbackUrl("The redirect callback returned an unusable URL")
    return result.strip()


def init(ctx: Context) -> Flow[None]:
    options = ctx.options
    parsed = ctx.parsed
    defs = ctx.cookie_defs
    if options.skip_csrf_check:
        ctx.csrf_verified = True
    else:
        state = resolve_csrf(
            cookie=ctx.cookie(defs.csrf_token.name),
            secrets=options.secrets,
            is_post=ctx.is_post,
            body_token=parsed.body.get("csrfToken"),
        )
        ctx.csrf_token = state.token
        ctx.csrf_verified = state.verified
        if state.cookie_value is not None:
            ctx.cookies.append(defs.csrf_token.make(state.cookie_value))

    max_chars = options.limits.max_callback_url_chars
    current = ctx.cookie(defs.callback_url.name)
    candidate = parsed.body.get("callbackUrl")
    if not isinstance(candidate, str):
        candidate = parsed.query.get("callbackUrl")
    if candidate is not None:
        if options.callbacks.redirect is not None and not is_plausible_url(
            candidate, max_chars=max_chars
        ):
            candidate = ctx.origin
        callback_url = yield from run_redirect(ctx, candidate)
    elif current is not None and is_plausible_url(current, max_chars=max_chars):
        callback_url = yield from run_redirect(ctx, current)
    else:
        # No candidate, or a cookie that is not a URL: ignored (docs/differences.md row 2), then
        # replaced.
        callback_url = ctx.origin
    ctx.callback_url = callback_url
    if callback_url != current:
        cookie = defs.callback_url.make(callback_url)
        if _fits(ctx, cookie, replacing=current):
            ctx.cookies.append(cookie)
        else:
            options.logger.warn("callback-url-not-stored")


# Room for the CSRF cookie this same response may add to the browser's Cookie header.
_CSRF_ROOM = 256


def _fits(ctx: Context, cookie: Cookie, *, replacing: str | None) -> bool:
    return cookie_fits(
        ctx.request.cookie_header,
        ctx.options.limits.max_cookie_header_bytes,
        cookie,
        replacing=replacing,
    )


def cookie_fits(cookie_header: str, cap: int, cookie: Cookie, *, replacing: str | None) -> bool:
    """Whether the browser's next Cookie header, with `cookie` in place of the value it now
    sends (`replacing`), stays under the cap: a long `callbackUrl` next to a large session
    must not lock the browser out of every auth route."""
    name = cookie.name
    size = len(cookie_header) + _CSRF_ROOM
    if size + len(name) + 3 + 12 * len(cookie.value) <= cap:
        return True  # fits even if every character were escaped: no need to encode
    if replacing is not None:
        size -= len(name) + 3 + len(encode_uri_component(replacing))
    size += len(name) + 3 + len(encode_uri_component(cookie.value))
    return size <= cap
