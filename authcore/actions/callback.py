"""`/callback/<id>`: credentials (Auth.js `src/lib/actions/callback/index.ts`) and the OAuth
completion (Auth.js `src/lib/actions/callback/oauth/callback.ts`, after the provider round trip done
by `authcore.oauth.finish_callback`).

Both end in the same place: `sign_in` callback, `jwt` callback, session cookie, event,
302 to the callback URL. Deliberate fix (docs/differences.md row 5): an OAuth session's `sub` is the
provider account id (`user["id"]`), not a fresh UUID per sign-in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from .._cookies import Cookie
from .._flow import Flow, call
from .._http import Response
from .._random import uuid4
from ..errors import (
    AccessDenied,
    AuthError,
    CallbackRouteError,
    CredentialsSignin,
    InvalidProvider,
    JWTSessionError,
    MissingCSRF,
)
from ..providers.credentials import Credentials
from ._common import encode_session, fire, run_redirect
from ._context import Context
from ._login import handle_login_or_register
from ._response import redirect
from ._store_calls import store_call

if TYPE_CHECKING:
    from ..stores._types import AdapterSession

__all__ = ["callback", "complete_sign_in"]


def _default_token(user: Mapping[str, Any]) -> dict[str, Any]:
    token: dict[str, Any] = {}
    if "name" in user:
        token["name"] = user["name"]
    if "email" in user:
        token["email"] = user["email"]
    if "image" in user:
        token["picture"] = user["image"]
    token["sub"] = user["id"]
    return token


def _sign_in_allowed(
    ctx: Context,
    user: dict[str, Any],
    account: dict[str, Any],
    profile: dict[str, Any] | None,
    credentials: Mapping[str, Any] | None,
) -> Flow[str | None]:
    """The `sign_in` callback: None to go on, or the URL it redirects to instead."""
    options = ctx.options
    if options.callbacks.sign_in is None:
        return None
    extra: dict[str, Any] = {} if credentials is None else {"credentials": credentials}
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


def _issue_session(
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
        token: Any = _default_token(user)
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


def complete_sign_in(
    ctx: Context,
    *,
    user: dict[str, Any],
    account: dict[str, Any],
    profile: dict[str, Any] | None,
    cookies: list[Cookie],
    credentials: Mapping[str, Any] | None = None,
    is_new_user: bool | None = None,
) -> Flow[Response]:
    """Sign-in without a store: the provider's user is the session's user."""
    out = [*ctx.cookies, *cookies]
    target = yield from _sign_in_allowed(ctx, user, account, profile, credentials)
    if target is not None:
        return redirect(target, cookies=out)
    return (
        yield from _issue_session(
            ctx,
            out,
            user=user,
            account=account,
            profile=profile,
            is_new_user=is_new_user,
            db_session=None,
        )
    )


def _complete_with_store(
    ctx: Context,
    *,
    user: dict[str, Any],
    account: dict[str, Any],
    profile: dict[str, Any],
    cookies: list[Cookie],
) -> Flow[Response]:
    """Sign-in with a store (Auth.js `lib/actions/callback/index.ts`, OAuth branch): the
    `sign_in` callback sees the stored user when the account is known, and the session is
    the stored user's (`sub` = the stored user id under the JWT strategy)."""
    out = [*ctx.cookies, *cookies]
    key = {"provider": account["provider"], "provider_account_id": user["id"]}
    known = yield from store_call(ctx, "get_user_by_account", key)
    target = yield from _sign_in_allowed(ctx, known or user, account, profile, None)
    if target is not None:
        return redirect(target, cookies=out)
    result = yield from handle_login_or_register(
        ctx, ctx.session_store().value, user, account, profile
    )
    return (
        yield from _issue_session(
            ctx,
            out,
            user=result.user,
            account=account,
            profile=profile,
            is_new_user=result.is_new_user,
            db_session=result.session,
        )
    )


def _credentials(ctx: Context, provider: Credentials) -> Flow[Response]:
    if not ctx.csrf_verified:
        raise MissingCSRF("CSRF token was missing during an action callback")
    body = dict(ctx.parsed.body)
    assert provider.authorize is not None  # checked at config time
    try:
        user = yield from call(provider.authorize, body, ctx.request)
    except AuthError:
        raise
    except Exception as exc:
        raise CallbackRouteError("authorize raised", cause=exc, provider=provider.id) from exc
    if not user:
        raise CredentialsSignin("authorize returned no user")
    if not isinstance(user, Mapping):
        raise CallbackRouteError("authorize must return a dict or None", provider=provider.id)
    user = dict(user)
    raw_id = user.get("id")
    user["id"] = str(raw_id) if raw_id is not None and raw_id != "" else uuid4()
    account = {"providerAccountId": user["id"], "type": "credentials", "provider": provider.id}
    return (
        yield from complete_sign_in(
            ctx,
            user=user,
            account=account,
            profile=None,
            cookies=[],
            credentials=body,
            is_new_user=False,
        )
    )


def _oauth(ctx: Context) -> Flow[Response]:
    from ..oauth import finish_callback
    from ..oauth._proxy import forward_target

    provider = ctx.provider
    assert provider is not None  # callback() checked it
    # Like Auth.js: a `form_post` provider's answer is the form body, any other's the query.
    form_post = getattr(provider, "response_mode", None) == "form_post"
    if form_post and not ctx.is_post:
        raise CallbackRouteError(
            f"{provider.id} answers with response_mode=form_post: the callback must be a POST",
            provider=provider.id,
        )
    params = (
        {k: v for k, v in ctx.parsed.body.items() if isinstance(v, str)}
        if form_post
        else ctx.parsed.query
    )
    env = ctx.check_env()
    target = forward_target(provider, env, params)  # type: ignore[arg-type]
    if target is not None:  # this deployment is the redirect proxy: hand the callback back
        ctx.options.logger.debug("redirect proxy: forwarding the callback")
        return redirect(target, cookies=ctx.cookies)
    outcome = yield from finish_callback(
        provider,  # type: ignore[arg-type]
        env,
        params=params,
        cookies=ctx.parsed.cookies,
    )
    user = dict(outcome.user)
    user["id"] = str(user.get("id") or outcome.account.get("providerAccountId") or uuid4())
    complete = _complete_with_store if ctx.options.adapter is not None else complete_sign_in
    return (
        yield from complete(
            ctx,
            user=user,
            account=dict(outcome.account),
            profile=dict(outcome.profile),
            cookies=list(outcome.cookies),
        )
    )


def callback(ctx: Context) -> Flow[Response]:
    provider = ctx.provider
    if provider is None:
        raise InvalidProvider("Callback without a provider id")
    if isinstance(provider, Credentials) or provider.type == "credentials":
        if not ctx.is_post or not isinstance(provider, Credentials):
            raise InvalidProvider("Credentials callbacks are POST only")
        return (yield from _credentials(ctx, provider))
    if provider.type in ("oauth", "oidc"):
        try:
            return (yield from _oauth(ctx))
        except AuthError:
            raise
        except Exception as exc:
            raise CallbackRouteError(
                "OAuth callback failed", cause=exc, provider=provider.id
            ) from exc
    raise InvalidProvider(f"Provider type {provider.type!r} has no callback")
