"""Passkeys: `GET /webauthn-options/<id>` (Auth.js `@auth/core@0.41.3`
`packages/core/src/lib/actions/webauthn-options.ts`) and `POST /callback/<id>` with
`action` and `data` (`lib/actions/callback/index.ts`, webauthn branch,
`lib/utils/webauthn-utils.ts` and the webauthn branch of `handle-login.ts`).

Nothing is stored before the response is verified. Deviations (docs/differences.md#passkeys):
the callback needs the CSRF token the sign-in form carries; an email is normalised like the
email provider's; the registering user of the options must still be the signed-in one; a
credential id already registered is refused; a store write that fails half-way is undone.
"""

from __future__ import annotations

from typing import Any

from .._email_token import InvalidEmail, normalize_email
from .._flow import Flow
from .._http import Response
from .._random import uuid4
from .._webauthn import (
    Challenge,
    RelyingParty,
    authentication_options,
    new_challenge,
    registration_options,
    relying_party,
    seal_challenge,
    unseal_challenge,
    user_handle,
    verify_user_handle,
)
from ..errors import (
    AccountNotLinked,
    AdapterError,
    InvalidProvider,
    MissingCSRF,
    WebAuthnVerificationError,
)
from ..providers.passkey import WebAuthnProvider
from ._common import fire
from ._context import Context
from ._finish import issue_session, sign_in_allowed
from ._login import LoginResult, new_session, signed_in_user
from ._response import NO_CACHE, json_response, redirect
from ._store_calls import store_call

__all__ = ["webauthn_callback", "webauthn_options"]


def _provider(ctx: Context) -> WebAuthnProvider:
    provider = ctx.provider
    if not isinstance(provider, WebAuthnProvider):
        raise InvalidProvider("Provider must be WebAuthn")
    return provider


def _rp(ctx: Context, provider: WebAuthnProvider) -> RelyingParty:
    return relying_party(provider.relying_party, ctx.origin)


def _bad(error: str) -> Response:
    return json_response({"error": error}, status=400, headers=NO_CACHE)


def _infer(action: str | None, logged_in: bool, user: Any, exists: bool) -> str | None:
    """Auth.js `inferWebAuthnOptions`."""
    if action == "authenticate":
        return "authenticate"
    if action == "register":
        return "register" if user and logged_in == exists else None
    if not logged_in:
        if user:
            return "authenticate" if exists else "register"
        return "authenticate"
    return None


def _authenticators(ctx: Context, user_id: str) -> Flow[list[dict[str, Any]]]:
    found = yield from store_call(ctx, "list_authenticators_by_user_id", user_id)
    if not isinstance(found, list):
        raise AdapterError("list_authenticators_by_user_id must return a list")
    return [dict(a) for a in found]


def webauthn_options(ctx: Context) -> Flow[Response]:
    provider = _provider(ctx)
    action = ctx.parsed.query.get("action")
    if action not in ("register", "authenticate", None):
        return _bad("Invalid action")
    current, _ = yield from signed_in_user(ctx, ctx.session_store().value)
    user: dict[str, Any] | None
    if current is not None:
        user, exists = current, True
    else:
        raw_email = ctx.parsed.query.get("email")
        user, exists = None, False
        if raw_email:
            try:
                email = normalize_email(raw_email)
            except InvalidEmail:
                return _bad("Invalid email")
            stored = yield from store_call(ctx, "get_user_by_email", email)
            user, exists = (dict(stored), True) if stored else ({"email": email}, False)
    decision = _infer(action, current is not None, user, exists)
    rp = _rp(ctx, provider)
    challenge = new_challenge()
    if decision == "authenticate":
        user_id = user.get("id") if user and exists else None
        allowed = (yield from _authenticators(ctx, user_id)) if user_id else None
        options = authentication_options(provider, rp, challenge, allowed)
        sealed = Challenge(challenge, "authenticate", None, user_id)
    elif decision == "register" and user is not None and isinstance(user.get("email"), str):
        user_id = user.get("id") if exists else None
        existing = (yield from _authenticators(ctx, user_id)) if user_id else []
        handle = user_handle(ctx.options.secrets[0], user_id)
        options = registration_options(provider, rp, user, handle, challenge, existing)
        register_data = {"email": user["email"]}
        if user_id:  # only the keys: the cookie stays small whatever the user's profile holds
            register_data["id"] = user_id
        sealed = Challenge(challenge, "register", register_data, None)
    else:
        return _bad("Invalid request")
    cookie = seal_challenge(
        ctx.cookie_defs.webauthn_challenge,
        ctx.options.secrets,
        ctx.now,
        provider_id=provider.id,
        challenge=sealed,
    )
    return json_response(
        {"action": sealed.ceremony, "options": options},
        headers=NO_CACHE,
        cookies=[*ctx.cookies, cookie],
    )


def _login(
    ctx: Context, user: dict[str, Any], account: dict[str, Any], *, registering: bool
) -> Flow[tuple[LoginResult, bool]]:
    """`handleLoginOrRegister`, webauthn branch; (result, user was created)."""
    options = ctx.options
    current, session = yield from signed_in_user(ctx, ctx.session_store().value)
    key = {"provider": account["provider"], "provider_account_id": account["providerAccountId"]}
    owner = yield from store_call(ctx, "get_user_by_account", key)
    if owner is not None:
        if current is not None:
            if current["id"] == owner["id"]:
                return LoginResult(current, session, False), False
            raise AccountNotLinked(
                "The account is already associated with another user", provider=key["provider"]
            )
        return LoginResult(owner, (yield from new_session(ctx, owner["id"])), False), False
    record = {
        "type": "webauthn",
        "provider": key["provider"],
        "provider_account_id": key["provider_account_id"],
    }
    registered_id = user.get("id")
    if current is not None:
        if registering and registered_id != current["id"]:
            raise AccountNotLinked(
                "The passkey was started for another user than the signed-in one",
                provider=key["provider"],
            )
        yield from store_call(ctx, "link_account", {**record, "user_id": current["id"]})
        yield from fire(
            ctx, options.events.link_account, user=current, account=record, profile=None
        )
        return LoginResult(current, session, False), False
    if registered_id is not None:  # options made for a signed-in user who has signed out
        raise AccountNotLinked(
            "The passkey was started for a user who is no longer signed in",
            provider=key["provider"],
        )
    email = user.get("email")
    if isinstance(email, str) and (yield from store_call(ctx, "get_user_by_email", email)):
        raise AccountNotLinked(
            "Another account already exists with the same e-mail address",
            provider=key["provider"],
        )
    new_user: dict[str, Any] = {"id": uuid4(), "email": email, "email_verified": None}
    created = yield from store_call(ctx, "create_user", new_user)
    try:
        yield from store_call(ctx, "link_account", {**record, "user_id": created["id"]})
    except AdapterError:
        yield from _undo_user(ctx, created["id"])
        raise
    yield from fire(ctx, options.events.create_user, user=created)
    yield from fire(ctx, options.events.link_account, user=created, account=record, profile=None)
    return LoginResult(created, (yield from new_session(ctx, created["id"])), True), True


def _undo_user(ctx: Context, user_id: str) -> Flow[None]:
    if callable(getattr(ctx.options.adapter, "delete_user", None)):
        try:
            yield from store_call(ctx, "delete_user", user_id)
        except AdapterError:
            ctx.options.logger.warn("webauthn_cleanup_failed")


def _register(
    ctx: Context, provider: WebAuthnProvider, data: dict[str, Any], challenge: Challenge
) -> Flow[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]:
    from .._webauthn_verify import verify_registration

    if challenge.register_data is None or not isinstance(challenge.register_data.get("email"), str):
        raise WebAuthnVerificationError("Missing user registration data in WebAuthn challenge")
    registered = verify_registration(
        data,
        challenge=challenge.value,
        rp=_rp(ctx, provider),
        require_user_verification=provider.require_user_verification,
    )
    if (yield from store_call(ctx, "get_authenticator", registered.credential_id)) is not None:
        raise WebAuthnVerificationError("This passkey is already registered")
    account = {
        "providerAccountId": registered.credential_id,
        "provider": provider.id,
        "type": "webauthn",
    }
    authenticator = {
        "credential_id": registered.credential_id,
        "provider_account_id": registered.credential_id,
        "counter": registered.counter,
        "credential_public_key": registered.credential_public_key,
        "credential_backed_up": registered.credential_backed_up,
        "credential_device_type": registered.credential_device_type,
        "transports": registered.transports,
    }
    return dict(challenge.register_data), account, authenticator


def _authenticate(
    ctx: Context, provider: WebAuthnProvider, data: dict[str, Any], challenge: Challenge
) -> Flow[tuple[dict[str, Any], dict[str, Any]]]:
    from .._webauthn import credential_key
    from .._webauthn_verify import assertion_user_handle, verify_assertion

    try:
        credential_id = credential_key(data["id"])
    except ValueError:
        raise WebAuthnVerificationError("Invalid WebAuthn Authentication response: id") from None
    handle = assertion_user_handle(data)
    stored = yield from store_call(ctx, "get_authenticator", credential_id)
    if stored is None:
        raise WebAuthnVerificationError("WebAuthn authenticator not found in the store")
    authenticator = dict(stored)
    if challenge.user_id is not None and authenticator.get("user_id") != challenge.user_id:
        raise WebAuthnVerificationError("The passkey is not one of the identified user's")
    counter = verify_assertion(
        data,
        challenge=challenge.value,
        rp=_rp(ctx, provider),
        authenticator=authenticator,
        require_user_verification=provider.require_user_verification,
    )
    account = yield from store_call(
        ctx, "get_account", authenticator["provider_account_id"], provider.id
    )
    if account is None:
        raise WebAuthnVerificationError("WebAuthn account not found in the store")
    user = yield from store_call(ctx, "get_user", account["user_id"])
    if user is None:
        raise WebAuthnVerificationError("WebAuthn user not found in the store")
    verify_user_handle(ctx.options.secrets, handle, user["id"])
    yield from store_call(ctx, "update_authenticator_counter", credential_id, counter)
    return dict(user), {
        "providerAccountId": authenticator["provider_account_id"],
        "provider": provider.id,
        "type": "webauthn",
    }


def webauthn_callback(ctx: Context) -> Flow[Response]:
    provider = _provider(ctx)
    if not ctx.is_post:
        raise InvalidProvider("WebAuthn callbacks are POST only")
    if not ctx.csrf_verified:
        raise MissingCSRF("CSRF token was missing during a WebAuthn callback")
    body = ctx.parsed.body
    action = body.get("action")
    if action not in ("authenticate", "register"):
        raise WebAuthnVerificationError("Invalid action parameter")
    from .._webauthn_verify import parse_response

    data = parse_response(
        body.get("data"), "Registration" if action == "register" else "Authentication"
    )
    out = list(ctx.cookies)
    cookie_def = ctx.cookie_defs.webauthn_challenge
    challenge = unseal_challenge(
        cookie_def,
        ctx.parsed.cookies,
        ctx.options.secrets,
        ctx.now,
        provider_id=provider.id,
        ceremony=action,
        max_chars=ctx.options.limits.max_check_cookie_chars,
    )
    out.append(cookie_def.clear())
    authenticator: dict[str, Any] | None = None
    if action == "register":
        user, account, authenticator = yield from _register(ctx, provider, data, challenge)
    else:
        user, account = yield from _authenticate(ctx, provider, data, challenge)
    target = yield from sign_in_allowed(ctx, user, account, None)
    if target is not None:
        return redirect(target, cookies=out)
    result, created = yield from _login(ctx, user, account, registering=action == "register")
    if authenticator is not None:
        record = {**authenticator, "user_id": result.user["id"]}
        try:
            yield from store_call(ctx, "create_authenticator", record)
        except AdapterError:
            key = {"provider": provider.id, "provider_account_id": account["providerAccountId"]}
            if callable(getattr(ctx.options.adapter, "unlink_account", None)):
                yield from store_call(ctx, "unlink_account", key)
            if created:
                yield from _undo_user(ctx, result.user["id"])
            raise
    account = {**account, "userId": result.user["id"]}
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
