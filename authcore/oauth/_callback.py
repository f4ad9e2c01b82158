"""The redirection endpoint: `GET /callback/<id>` (Auth.js
`src/lib/actions/callback/oauth/callback.ts`), checks first.

Order matters and follows RFC 9700: the state is bound to this browser and this provider
before anything else is looked at; `iss` (RFC 9207) is compared before the `error` parameter
so a mix-up cannot smuggle an error page either; no token is used before the nonce check of
the ID token passed (§4.5.3).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._cookies import Cookie, ParsedCookies
from .._flow import Flow, call
from .._text import printable
from ..errors import (
    AuthError,
    CallbackRouteError,
    InvalidCheck,
    OAuthCallbackError,
    OAuthProfileParseError,
    OAuthProviderError,
)
from ._checks import checks_for, same, unseal
from ._context import CallbackContext
from ._discovery import provider_metadata
from ._env import CheckEnv
from ._id_token import validate_id_token
from ._token import exchange_code

if TYPE_CHECKING:
    from ..providers.oauth import OAuthProvider, OIDCProvider

__all__ = ["CallbackOutcome", "finish_callback"]

_MAX_PARAM = 4096


@dataclass
class CallbackOutcome:
    user: dict[str, Any]  # {"id", "name", "email", "image"} (+ extras); "id" = providerAccountId
    # token fields + provider, type, providerAccountId (Auth.js
    # `src/lib/actions/callback/oauth/callback.ts`)
    account: dict[str, Any]
    profile: dict[str, Any]  # the raw provider profile
    cookies: list[Cookie]  # clears of the consumed check cookies


def finish_callback(
    provider: OAuthProvider,
    env: CheckEnv,
    *,
    params: Mapping[str, str],
    cookies: ParsedCookies,
) -> Flow[CallbackOutcome]:
    pid = provider.id
    checks = checks_for(env)
    clears = [checks[c].cookie.clear() for c in ("state", "pkce", "nonce") if c in provider.checks]
    for key, value in params.items():
        if len(value) > _MAX_PARAM:
            raise CallbackRouteError(f"{pid} callback: parameter {key!r} too large", provider=pid)

    # 1. state, bound to this browser and this provider (RFC 9700 §4.7; GHSA-x445-f3h2-j279)
    if "state" in provider.checks:
        expected = unseal(env, checks["state"], cookies, pid)
        got = params.get("state")
        if not got:
            raise InvalidCheck(f"{pid} callback: no state parameter", check="state")
        if not same(got, expected):
            raise InvalidCheck(f"{pid} callback: state does not match the cookie", check="state")

    metadata = yield from provider_metadata(provider, env)

    # 2. RFC 9207 issuer identification, when the provider says who it is
    iss = params.get("iss")
    if metadata.issuer is not None:
        if iss is not None and not same(iss, metadata.issuer):
            raise InvalidCheck(f"{pid} callback: iss is not the provider's issuer", check="iss")
        if iss is None and metadata.authorization_response_iss_parameter_supported:
            raise InvalidCheck(
                f"{pid} callback: the provider promised iss and sent none", check="iss"
            )

    # 3. the provider's own error (RFC 6749 §4.1.2.1)
    error = params.get("error")
    if error is not None:
        # Provider text is attacker-controllable: no control characters in logs (CWE-117).
        description = params.get("error_description")
        raise OAuthCallbackError(
            f"{pid} returned an error: {printable(error, 100)}"
            + (f" ({printable(description)})" if description else ""),
            provider=pid,
            error=printable(error, 100),
            error_reason=printable(params.get("error_reason", ""), 100) or None,
        )
    if "access_token" in params or "id_token" in params:
        raise CallbackRouteError(
            f"{pid} callback: implicit or hybrid responses are not accepted", provider=pid
        )
    code = params.get("code", "")
    # Instagram appends `#_` (docs/providers/instagram.md#the-redirect-back)
    if code.endswith("#_"):
        code = code[:-2]
    if not code:
        raise CallbackRouteError(f"{pid} callback: no code parameter", provider=pid)

    verifier = unseal(env, checks["pkce"], cookies, pid) if "pkce" in provider.checks else None
    nonce = unseal(env, checks["nonce"], cookies, pid) if "nonce" in provider.checks else None

    ctx = CallbackContext(provider=provider, env=env, metadata=metadata)
    token_endpoint = provider.token.url or metadata.token_endpoint
    if token_endpoint is None:
        raise CallbackRouteError(f"{pid}: no token endpoint", provider=pid)
    tokens = yield from exchange_code(ctx, token_endpoint, code=code, code_verifier=verifier)

    claims: dict[str, Any] | None = None
    if provider.type == "oidc":
        oidc: OIDCProvider = provider  # type: ignore[assignment]
        claims = yield from validate_id_token(
            tokens["id_token"],
            env,
            provider_id=pid,
            client_id=provider.client_id or "",
            metadata=metadata,
            expected_nonce=nonce,
            preferred_alg=oidc.id_token_signed_response_alg,
            clock_tolerance=oidc.clock_tolerance,
            jwks_ttl=provider.discovery_ttl,
            max_iat_skew=oidc.max_iat_skew,
            issuer_for=oidc.id_token_issuer,
            hmac_key=oidc.id_token_hmac_key(),
        )
    tokens = yield from provider.after_token(ctx, tokens)

    if claims is not None and getattr(provider, "id_token", True):
        profile = claims
    else:
        if provider.userinfo_request is not None:  # Auth.js `userinfo.request`
            profile = yield from ctx.userinfo_hook(provider.userinfo_request, tokens)
        else:
            profile = yield from provider.fetch_profile(ctx, tokens)
        if claims is not None and profile.get("sub") != claims.get("sub"):
            # OIDC Core §5.3.2: a userinfo answer about someone else is discarded
            raise OAuthProviderError(
                f"{pid} userinfo: sub differs from the ID token's",
                provider=pid,
                endpoint="userinfo",
                reason="sub_mismatch",
            )

    profile = provider.callback_profile(profile, params)
    user = yield from _map_profile(provider, profile, tokens)
    account_base = provider.map_account(tokens) if provider.account is not None else dict(tokens)
    account = {
        **account_base,
        "provider": pid,
        "type": provider.type,
        "providerAccountId": user["id"],
    }
    return CallbackOutcome(user=user, account=account, profile=profile, cookies=clears)


def _map_profile(
    provider: OAuthProvider, profile: dict[str, Any], tokens: dict[str, Any]
) -> Flow[dict[str, Any]]:
    mapper = provider.profile or provider.default_profile
    try:
        user = yield from call(mapper, profile, tokens)
    except AuthError:
        raise
    except Exception as exc:
        raise OAuthProfileParseError(
            f"{provider.id}: the profile callback failed ({type(exc).__name__})",
            provider=provider.id,
            cause=exc,
        ) from None
    if not isinstance(user, Mapping):
        raise OAuthProfileParseError(
            f"{provider.id}: the profile callback returned no mapping", provider=provider.id
        )
    user = dict(user)
    ident = user.get("id")
    if ident is None or ident == "" or isinstance(ident, bool):
        raise OAuthProfileParseError(
            f"{provider.id}: the profile has no id (the provider sent no stable identifier)",
            provider=provider.id,
        )
    user["id"] = str(ident)
    email = user.get("email")
    user["email"] = email.lower() if isinstance(email, str) else None
    user.setdefault("name", None)
    user.setdefault("image", None)
    return user
