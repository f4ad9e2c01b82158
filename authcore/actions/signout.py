"""POST `/signout` (Auth.js `packages/core/src/lib/actions/signout.ts`): CSRF required;
clears every session chunk. Under the database strategy the session row is deleted first."""

from __future__ import annotations

from .._flow import Flow
from .._http import Response
from ..errors import MissingCSRF, SignOutError
from ._common import decode_session, fire
from ._context import Context
from ._response import redirect
from ._store_calls import store_call

__all__ = ["signout"]


def signout(ctx: Context) -> Flow[Response]:
    if not ctx.csrf_verified:
        raise MissingCSRF("CSRF token was missing during an action signout")
    options = ctx.options
    store = ctx.session_store()
    if not store.present:
        return redirect(ctx.callback_url, cookies=ctx.cookies)
    if store.value and options.session_strategy == "database":
        try:
            deleted = yield from store_call(ctx, "delete_session", store.value)
        except Exception as exc:  # not fatal: the cookies are cleared anyway
            options.logger.error(SignOutError("Could not delete the session", cause=exc))
        else:
            yield from fire(ctx, options.events.sign_out, session=deleted, token=None)
    elif store.value:
        try:
            token = yield from decode_session(ctx, store.value)
        except Exception as exc:  # not fatal: the cookies are cleared anyway
            options.logger.error(SignOutError("Could not decode the session", cause=exc))
        else:
            yield from fire(ctx, options.events.sign_out, token=token)
    return redirect(ctx.callback_url, cookies=[*ctx.cookies, *store.clean()])
