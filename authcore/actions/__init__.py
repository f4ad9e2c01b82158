"""The actions, dispatched on method and action name (SPEC §1.3)."""

from __future__ import annotations

from .._flow import Flow
from .._http import Response
from ..errors import InvalidProvider, MissingCSRF, UnknownAction
from ._common import init
from ._context import Context
from ._response import NO_CACHE, json_response
from .callback import callback
from .pages import error_page, signin_page, signout_page, verify_request_page
from .session import session
from .signin import signin
from .signout import signout

__all__ = ["dispatch"]


def _providers(ctx: Context) -> Response:
    # Like Auth.js: no Set-Cookie on this listing (SPEC §1.3, §14.12 kept).
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
        if action == "signin" and ctx.provider is None:
            return signin_page(ctx)
        if action == "signout":
            return signout_page(ctx)
        if action == "verify-request":
            return verify_request_page(ctx)
        if action == "error":
            return error_page(ctx)
        if action == "callback":
            return (yield from callback(ctx))
        raise UnknownAction("Unsupported action")
    if action == "signin":
        return (yield from signin(ctx))
    if action == "signout":
        return (yield from signout(ctx))
    if action == "session":
        if not ctx.csrf_verified:
            raise MissingCSRF("CSRF token was missing during an action session")
        return (yield from session(ctx, update=True))
    if action == "callback":
        return (yield from callback(ctx))
    raise UnknownAction("Cannot handle action")
