"""The actions, dispatched on method and action name (Auth.js `src/lib/index.ts`)."""

from __future__ import annotations

from .._flow import Flow
from .._http import Response
from ..errors import InvalidProvider, MissingCSRF, UnknownAction
from ._common import init
from ._context import Context
from ._response import NO_CACHE, json_response
from ._routing import PAGE_ACTIONS
from .session import session

# Sign-in, callback, sign-out and the pages load on first use: a service that only reads
# sessions never pays for them at import (bench: `import authcore` < 60 ms).

__all__ = ["dispatch"]


def _providers(ctx: Context) -> Response:
    # Like Auth.js: no Set-Cookie on this listing (Auth.js `src/lib/index.ts`; docs/differences.md
    # row 12 kept).
    base = ctx.base_url
    body = {
        p.id: {
            "id": p.id,
            "name": p.name,
            "type": p.type,
            "signinUrl": f"{base}/signin/{p.id}",
            "callbackUrl": f"{base}/callback/{p.id}",
        }
        for p in ctx.options.providers
    }
    return json_response(body)


def _csrf(ctx: Context) -> Response:
    if ctx.options.skip_csrf_check:
        clear = ctx.cookie_defs.csrf_token.clear()
        return Response(status=404, headers=[("Set-Cookie", clear.serialize())])
    return json_response({"csrfToken": ctx.csrf_token}, headers=NO_CACHE, cookies=ctx.cookies)


def _callback(ctx: Context) -> Flow[Response]:
    if ctx.provider is not None and ctx.provider.type == "webauthn":
        from .webauthn import webauthn_callback

        return (yield from webauthn_callback(ctx))
    if ctx.provider is not None and ctx.provider.type == "email":
        from .email import email_callback

        return (yield from email_callback(ctx, ctx.provider))
    from .callback import callback

    return (yield from callback(ctx))


def dispatch(ctx: Context) -> Flow[Response]:
    parsed = ctx.parsed
    action = parsed.action
    if parsed.provider_id is not None:
        provider = ctx.options.provider_map.get(parsed.provider_id)
        if provider is None:
            raise InvalidProvider("Unknown provider", provider_length=len(parsed.provider_id))
        ctx.provider = provider
    if action == "providers" and parsed.method == "GET":
        return _providers(ctx)

    yield from init(ctx)

    if parsed.method == "GET":
        if action == "session":
            return (yield from session(ctx, update=False))
        if action == "csrf":
            return _csrf(ctx)
        if action in PAGE_ACTIONS and (action != "signin" or ctx.provider is None):
            from .pages import get_error, get_signin, get_signout, get_verify_request

            page = {
                "signin": get_signin,
                "signout": get_signout,
                "verify-request": get_verify_request,
                "error": get_error,
            }[action]
            return page(ctx)
        if action == "callback":
            return (yield from _callback(ctx))
        if action == "webauthn-options" and ctx.provider is not None:
            from .webauthn import webauthn_options

            return (yield from webauthn_options(ctx))
        raise UnknownAction("Unsupported action")
    if action == "signin":
        if ctx.provider is not None and ctx.provider.type == "email":
            from .email import send_token

            return (yield from send_token(ctx, ctx.provider))
        from .signin import signin

        return (yield from signin(ctx))
    if action == "signout":
        from .signout import signout

        return (yield from signout(ctx))
    if action == "session":
        if not ctx.csrf_verified:
            raise MissingCSRF("CSRF token was missing during an action session")
        return (yield from session(ctx, update=True))
    if action == "callback":
        return (yield from _callback(ctx))
    raise UnknownAction("Cannot handle action")
