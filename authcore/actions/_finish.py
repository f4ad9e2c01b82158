"""How every sign-in ends, whichever callback got the user (credentials, OAuth, email link;
Auth.js `src/lib/actions/callback/index.ts`): the `sign_in` callback, then the session issued
(a JWT through the `jwt` callback, or the database session's token), `events.sign_in`, and
the redirect (`pages.new_user` for a user just created)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from .._cookies import Cookie
from .._flow import Flow, call
from .._http import Response
from ..errors import AccessDenied, AuthError, JWTSessionError
from ._common import encode_session, fire, run_redirect
from ._context import Context
from ._response import redirect

if TYPE_CHECKING:
    from ..stores._types import AdapterSession

__all__ = ["default_token", "issue_session", "sign_in_allowed"]


def default_token(user: Mapping[str, Any]) -> dict[str, Any]:
    token: dict[str, Any] = {}
    if "name" in user:
        token["name"] = user["name"]
    if "email" in user:
        token["email"] = user["email"]
    if "image" in user:
        token["picture"] = user["image"]
    token["sub"] = user["id"]
    return token


def sign_in_allowed(
    ctx: Context,
    user: dict[str, Any],
    account: dict[str, Any],
    profile: dict[str, Any] | None,
    credentials: Mapping[str, Any] | None = None,
    *,
    email: Mapping[str, Any] | None = None,
) -> Flow[str | None]:
    """The `sign_in` callback: None to go on, or the URL it redirects to instead. It also
    gets `credentials` (the credentials callback's form) or `email` (`{"verificationRequest":
    True}` when an email link is about to be sent) when given."""
    options = ctx.options
    if options.callbacks.sign_in is None:
        return None
    extra: dict[str, Any] = {}
    if credentials is not None:
        extra["credentials"] = credentials
    if email is not None:
        extra["email"] = email
    try:
        allowed = yield from call(
            options.callbacks.sign_in, user=user, account=account, profile=profile, **extra
        )
    except AuthError:
        raise
    except Exception as exc:
        raise AccessDenied("The sign_in callback raised", cause=exc) from exc
    if not allowed:
        raise AccessDenied("The sign_in callback refused the sign-in")
    if isinstance(allowed, str):
        return (yield from run_redirect(ctx, allowed))
    return None


def issue_session(
    ctx: Context,
    out: list[Cookie],
    *,
    user: dict[str, Any],
    account: dict[str, Any],
    profile: dict[str, Any] | None,
    is_new_user: bool | None,
    db_session: AdapterSession | None,
) -> Flow[Response]:
    """The session cookie (a JWT, or the database session's token), `events.sign_in`, and
    the redirect: `pages.new_user` for a user just created, else the callback URL."""
    options = ctx.options
    store = ctx.session_store()
    if db_session is not None:
        expires = db_session["expires"].timestamp()
        out += store.chunk(db_session["session_token"], expires=expires)
    else:
        token: Any = default_token(user)
        if options.callbacks.jwt is not None:
            token = yield from call(
                options.callbacks.jwt,
                token=token,
                user=user,
                account=account,
                profile=profile,
                trigger="signUp" if is_new_user else "signIn",
                is_new_user=is_new_user,
                session=None,
            )
        if token is None:
            options.logger.error(
                JWTSessionError(
                    "The jwt callback returned None at sign-in, so no session was created "
                    "(return the token to sign the user in)"
                )
            )
            out += store.clean()
        else:
            if not isinstance(token, Mapping):
                raise TypeError("the jwt callback must return a dict or None")
            value = yield from encode_session(ctx, token)
            store.check_fits(value, token)
            out += store.chunk(value, expires=ctx.now + options.session_max_age)
    yield from fire(
        ctx,
        options.events.sign_in,
        user=user,
        account=account,
        profile=profile,
        is_new_user=is_new_user,
    )
    new_user_page = options.pages.new_user
    if is_new_user and new_user_page:
        sep = "&" if "?" in new_user_page else "?"
        query = urlencode({"callbackUrl": ctx.callback_url})
        return redirect(f"{ctx.origin}{new_user_page}{sep}{query}", cookies=out)
    return redirect(ctx.callback_url, cookies=out)
