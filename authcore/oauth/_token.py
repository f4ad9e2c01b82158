"""The token request (RFC 6749 §4.1.3) with client authentication (`_client_auth`), and the
checks on its response (§5.1), after the provider's conformance hook had its say."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import httpx

from .._flow import Flow
from ..errors import OAuthProviderError
from ._client_auth import apply_client_auth, basic_auth_header
from ._context import CallbackContext
from ._discovery import Metadata

if TYPE_CHECKING:
    from ..providers.oauth import OAuthProvider

__all__ = [
    "basic_auth_header",
    "check_token_response",
    "client_auth_method",
    "conform",
    "exchange_code",
    "grant_form",
    "grant_request",
    "parse_expires_in",
    "token_request",
]


def client_auth_method(provider: OAuthProvider, metadata: Metadata) -> str:
    """The configured method, else the first of Basic and post the server's metadata lists
    (RFC 8414 §2: Basic when the metadata lists none), else `none` for a public client."""
    if provider.token_endpoint_auth_method is not None:
        return provider.token_endpoint_auth_method
    supported = metadata.token_endpoint_auth_methods_supported
    if not supported:
        return "client_secret_basic"
    for method in ("client_secret_basic", "client_secret_post"):
        if method in supported:
            return method
    if "none" in supported and not provider.client_secret:
        return "none"
    return "client_secret_basic"


def grant_form(
    provider: OAuthProvider,
    metadata: Metadata,
    token_endpoint: str,
    grant: dict[str, str],
    *,
    now: float,
) -> tuple[dict[str, str], dict[str, str]]:
    """The form and headers of a token-endpoint POST (RFC 6749 §4.1.3, §6) for any grant:
    the provider's params, the grant, and the provider's client authentication."""
    form: dict[str, str] = dict(provider.token.params)
    form.update(grant)
    headers = {
        "accept": "application/json",
        "content-type": "application/x-www-form-urlencoded;charset=UTF-8",
    }
    try:
        apply_client_auth(
            method=client_auth_method(provider, metadata),
            client_id=provider.client_id or "",
            client_secret=provider.client_secret_at(now),
            private_key=provider.client_assertion_key(),
            key_id=provider.client_key_id,
            assertion_alg=provider.client_assertion_alg,
            form=form,
            headers=headers,
            token_endpoint=token_endpoint,
            issuer=metadata.issuer,
            now=now,
        )
    except ValueError as exc:  # a key that validate() accepted cannot fail here; be safe
        raise OAuthProviderError(
            f"{provider.id} token endpoint: client authentication failed ({exc})",
            provider=provider.id,
            endpoint="token",
            reason="client_auth",
        ) from None
    return form, headers


def grant_request(
    provider: OAuthProvider,
    metadata: Metadata,
    token_endpoint: str,
    grant: dict[str, str],
    *,
    now: float,
) -> httpx.Request:
    form, headers = grant_form(provider, metadata, token_endpoint, grant, now=now)
    return httpx.Request("POST", token_endpoint, headers=headers, data=form)


def token_request(
    ctx: CallbackContext, token_endpoint: str, *, code: str, code_verifier: str | None
) -> httpx.Request:
    """The code exchange, then the provider's `token_request` hook (a provider whose token
    call is not RFC 6749's rewrites it there)."""
    grant = {"redirect_uri": ctx.redirect_uri, "code": code, "grant_type": "authorization_code"}
    if code_verifier is not None:
        grant["code_verifier"] = code_verifier
    provider = ctx.provider
    form, headers = grant_form(provider, ctx.metadata, token_endpoint, grant, now=ctx.env.now())
    return provider.token_request(ctx, token_endpoint, form, headers)


def parse_expires_in(value: Any) -> int | None:
    """`expires_in` as whole seconds, read like oauth4webapi reads it: a number, or a string
    that is one (`"3600"`, `"3600.0"`, `" 3600"`); None when it is not a finite number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and abs(value) < 2**53:
        return math.floor(value)
    return None


def check_token_response(
    provider: OAuthProvider, body: dict[str, Any], *, now: float, require_id_token: bool = True
) -> dict[str, Any]:
    """RFC 6749 §5.1 as oauth4webapi enforces it; the conform hook ran before."""

    def fail(message: str) -> OAuthProviderError:
        return OAuthProviderError(
            f"{provider.id} token endpoint: {message}",
            provider=provider.id,
            endpoint="token",
            reason="bad_token_response",
        )

    tokens = dict(body)
    access_token = tokens.get("access_token")
    if not isinstance(access_token, str) or not access_token:
        raise fail("the response has no access_token")
    token_type = tokens.get("token_type")
    if not isinstance(token_type, str) or token_type.lower() not in ("bearer", "dpop"):
        raise fail(
            "token_type is missing or not 'bearer' (a provider quirk is fixed with a conform hook)"
        )
    # oauth4webapi keeps token_type lower-cased (`Bearer` from Google becomes `bearer`)
    tokens["token_type"] = token_type.lower()
    expires_in = tokens.get("expires_in")
    if expires_in is not None:
        seconds = parse_expires_in(expires_in)
        if seconds is None:
            raise fail("expires_in is not a number")
        if seconds < 0:
            raise fail("expires_in is negative")
        tokens["expires_in"] = seconds
        # as Auth.js stores it: expires_at = floor(now) + expires_in (callback.ts)
        tokens["expires_at"] = math.floor(now) + seconds
    for key in ("refresh_token", "scope", "id_token"):
        value = tokens.get(key)
        if value is not None and not isinstance(value, str):
            raise fail(f"{key} is not a string")
    if require_id_token and provider.type == "oidc" and not tokens.get("id_token"):
        raise fail("an OpenID Connect provider sent no id_token")
    return tokens


def conform(provider: OAuthProvider, body: dict[str, Any], endpoint: str) -> dict[str, Any]:
    """The provider's conform hook; whatever it raises or returns wrong is a clean error."""
    try:
        conformed = provider.conform_token(body)
    except OAuthProviderError:
        raise
    except Exception as exc:  # a user conform hook failed: still a clean error
        raise OAuthProviderError(
            f"{provider.id} {endpoint} endpoint: the conform hook failed ({type(exc).__name__})",
            provider=provider.id,
            endpoint=endpoint,
            reason="conform_failed",
            cause=exc,
        ) from None
    if not isinstance(conformed, dict):
        raise OAuthProviderError(
            f"{provider.id} {endpoint} endpoint: the conform hook returned no dict",
            provider=provider.id,
            endpoint=endpoint,
            reason="conform_failed",
        )
    return conformed


def exchange_code(
    ctx: CallbackContext, token_endpoint: str, *, code: str, code_verifier: str | None
) -> Flow[dict[str, Any]]:
    request = token_request(ctx, token_endpoint, code=code, code_verifier=code_verifier)
    body = yield from ctx.fetch_json(request, endpoint="token")
    conformed = conform(ctx.provider, body, "token")
    return check_token_response(ctx.provider, conformed, now=ctx.env.now())
