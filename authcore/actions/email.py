"""Email (magic link) sign-in: `POST /signin/<id>` sends the link
(`@auth/core@0.41.3` `packages/core/src/lib/actions/signin/send-token.ts`) and
`/callback/<id>?token&email&callbackUrl` uses it (`lib/actions/callback/index.ts`, email
branch, and `handle-login.ts`).

Deviations (docs/differences.md#email-sign-in): the token is stored before the mail is sent,
and removed again if sending fails, so a failure leaves nothing behind; an address that
cannot be mailed safely is `EmailSignin`, not `Configuration`; a send limit per address; an
optional confirm page whose POST uses the link.
"""

from __future__ import annotations

from typing import Any

from .._email_token import InvalidEmail, form_encode, hash_token, new_token, normalize_email
from .._flow import Flow, call
from .._http import Response
from .._random import uuid4
from ..errors import (
    AuthError,
    EmailSignInError,
    InvalidProvider,
    MissingCSRF,
    Verification,
)
from ..providers._base import Provider
from ..providers._email import EmailProvider, VerificationRequest
from ._common import fire
from ._context import Context
from ._finish import issue_session, sign_in_allowed
from ._login import LoginResult, new_session, signed_in_user
from ._response import html, redirect
from ._store_calls import store_call, utc

__all__ = ["email_callback", "send_token"]


def _secret(ctx: Context, provider: EmailProvider) -> str | tuple[str, ...]:
    return provider.secret if provider.secret is not None else ctx.options.secrets


def _identifier(provider: EmailProvider, raw: Any) -> str:
    try:
        if provider.normalize_identifier is not None:
            if not isinstance(raw, str) or not raw:
                raise InvalidEmail("Missing email from request body")
            email = provider.normalize_identifier(raw)
            # The user's normaliser still may not hand the mailer a header injection.
            if not isinstance(email, str) or not email or any(c in email for c in "\r\n\0"):
                raise InvalidEmail("normalize_identifier returned an unusable address")
            return email
        return normalize_email(raw)
    except ValueError as exc:  # InvalidEmail, or a user normaliser refusing
        raise EmailSignInError(str(exc), provider=provider.id) from None


def _deliver(ctx: Context, provider: EmailProvider, params: VerificationRequest) -> Flow[None]:
    try:
        if provider.send_verification_request is not None:
            yield from call(provider.send_verification_request, params)
        else:
            yield from provider.deliver(params)
    except AuthError:
        raise
    except Exception as exc:  # the transport's message may quote the link: only its type
        raise EmailSignInError(
            f"Sending the sign-in email failed ({type(exc).__name__})", provider=provider.id
        ) from None


def _email_provider(provider: Provider) -> EmailProvider:
    if not isinstance(provider, EmailProvider):
        raise InvalidProvider(f"Provider {provider.id!r} has type 'email' but is no EmailProvider")
    return provider


def send_token(ctx: Context, any_provider: Provider) -> Flow[Response]:
    provider = _email_provider(any_provider)
    if not ctx.csrf_verified:
        raise MissingCSRF("CSRF token was missing during an action signin")
    email = _identifier(provider, ctx.parsed.body.get("email"))
    base = ctx.base_url
    done = redirect(
        f"{base}/verify-request?{form_encode([('provider', provider.id), ('type', 'email')])}",
        cookies=ctx.cookies,
    )
    user = yield from store_call(ctx, "get_user_by_email", email)
    user = user or {"id": uuid4(), "email": email, "email_verified": None}
    account = {"providerAccountId": email, "userId": user["id"], "type": "email"}
    account["provider"] = provider.id
    target = yield from sign_in_allowed(
        ctx, user, account, None, email={"verificationRequest": True}
    )
    if target is not None:
        return redirect(target, cookies=ctx.cookies)
    if provider.send_limit is not None:
        within = yield from call(provider.send_limit, email, ctx.request, ctx.now)
        if not within:
            # The same answer as a sent mail: the page does not tell who is throttled.
            ctx.options.logger.warn("email_send_limited")
            return done
    if provider.generate_verification_token is not None:
        token = yield from call(provider.generate_verification_token)
        if not isinstance(token, str) or not token:
            raise TypeError("generate_verification_token must return a non-empty string")
    else:
        token = new_token()
    expires = utc(ctx, provider.max_age)
    query = form_encode([("callbackUrl", ctx.callback_url), ("token", token), ("email", email)])
    params = VerificationRequest(
        identifier=email,
        token=token,
        expires=expires,
        url=f"{base}/callback/{provider.id}?{query}",
        provider=provider,
        theme=ctx.options.theme,
        request=ctx.request,
    )
    hashed = hash_token(token, _secret(ctx, provider))
    record = {"identifier": email, "token": hashed, "expires": expires}
    yield from store_call(ctx, "create_verification_token", record)
    try:
        yield from _deliver(ctx, provider, params)
    except AuthError:  # EmailSignin, or an AuthError a user's sender raised: no dead token
        yield from store_call(ctx, "use_verification_token", email, hashed)
        raise
    return done


def _confirm_page(ctx: Context, provider: EmailProvider, token: str, email: str) -> Response:
    from ..pages import Theme, email_confirm_page

    body = email_confirm_page(
        action_url=f"{ctx.base_url}/callback/{provider.id}",
        csrf_token=ctx.csrf_token,
        callback_url=ctx.callback_url,
        token=token,
        email=email,
        theme=Theme(**ctx.options.theme),  # type: ignore[arg-type]  # validated in _config
    )
    return html(body, cookies=ctx.cookies)


def _email_login(ctx: Context, user: dict[str, Any], cookie_value: str) -> Flow[LoginResult]:
    """`handleLoginOrRegister`, email branch: mark the stored user verified, or create them;
    a database session signed in as someone else is ended first."""
    options = ctx.options
    current, session = yield from signed_in_user(ctx, cookie_value)
    now = utc(ctx)
    existing = yield from store_call(ctx, "get_user_by_email", user["email"])
    if existing is not None:
        if session is not None and current is not None and current["id"] != existing["id"]:
            yield from store_call(ctx, "delete_session", session["session_token"])
        updated = yield from store_call(
            ctx, "update_user", {"id": existing["id"], "email_verified": now}
        )
        yield from fire(ctx, options.events.update_user, user=updated)
        found, is_new = updated, False
    else:
        record = {k: v for k, v in user.items() if k != "id"}
        record.update(id=uuid4(), email_verified=now)
        found = yield from store_call(ctx, "create_user", record)
        yield from fire(ctx, options.events.create_user, user=found)
        is_new = True
    db_session = yield from new_session(ctx, found["id"])
    return LoginResult(found, db_session, is_new)


def email_callback(ctx: Context, any_provider: Provider) -> Flow[Response]:
    provider = _email_provider(any_provider)
    source = ctx.parsed.body if ctx.is_post else ctx.parsed.query
    token = source.get("token")
    email = source.get("email")
    if not isinstance(token, str) or not token or not isinstance(email, str) or not email:
        raise Verification("The sign-in link has no token or no email")
    if provider.confirm:
        if not ctx.is_post:
            return _confirm_page(ctx, provider, token, email)
        if not ctx.csrf_verified:
            raise MissingCSRF("CSRF token was missing during an email confirmation")
    hashed = hash_token(token, _secret(ctx, provider))
    invite = yield from store_call(ctx, "use_verification_token", email, hashed)
    if invite is None or invite["expires"] < utc(ctx) or invite.get("identifier") != email:
        raise Verification("The sign-in link is no longer valid")
    identifier = invite["identifier"]
    stored = yield from store_call(ctx, "get_user_by_email", identifier)
    user = dict(stored) if stored else {"id": uuid4(), "email": identifier, "email_verified": None}
    account = {
        "providerAccountId": identifier,
        "userId": user["id"],
        "type": "email",
        "provider": provider.id,
    }
    out = list(ctx.cookies)
    target = yield from sign_in_allowed(ctx, user, account, None)
    if target is not None:
        return redirect(target, cookies=out)
    result = yield from _email_login(ctx, user, ctx.session_store().value)
    return (
        yield from issue_session(
            ctx,
            out,
            user=result.user,
            account=account,
            profile=None,
            is_new_user=result.is_new_user,
            db_session=result.session,
        )
    )
