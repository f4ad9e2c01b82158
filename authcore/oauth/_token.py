"""The token request (RFC 6749 §4.1.3) with client authentication (§2.3.1), and the checks
on its response (§5.1), after the provider's conformance hook had its say."""

from __future__ import annotations

import base64
import math
from typing import TYPE_CHECKING, Any

import httpx

from .._flow import Flow
from .._http import encode_uri_component
from ..errors import OAuthProviderError
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
    "grant_request",
    "parse_expires_in",
    "token_request",
]


def _form_encode(value: str) -> str:
    # oauth4webapi: encodeURIComponent, then %20 -> "+" (Auth.js
    # `src/lib/actions/callback/oauth/callback.ts`)
    return encode_uri_component(value).replace("%20", "+")


def basic_auth_header(client_id: str, client_secret: str) -> str:
    raw = f"{_form_encode(client_id)}:{_form_encode(client_secret)}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


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


def grant_request(
    provider: OAuthProvider, metadata: Metadata, token_endpoint: str, grant: dict[str, str]
) -> httpx.Request:
    """A token-endpoint POST (RFC 6749 §4.1.3, §6) for any grant, with the provider's
    params and its client authentication (§2.3.1)."""
    form: dict[str, str] = dict(provider.token.params)
    form.update(grant)
    headers = {
        "accept": "application/json",
        "content-type": "application/x-www-form-urlencoded;charset=UTF-8",
    }
    method = client_auth_method(provider, metadata)
    if method == "client_secret_basic":
        headers["authorization"] = basic_auth_header(
            provider.client_id or "", provider.client_secret or ""
        )
    elif method == "client_secret_post":
        form["client_id"] = provider.client_id or ""
        form["client_secret"] = provider.client_secret or ""
    else:  # "none": a public client names itself
        form["client_id"] = provider.client_id or ""
    return httpx.Request("POST", token_endpoint, headers=headers, data=form)


def token_request(
    ctx: CallbackContext, token_endpoint: str, *, code: str, code_verifier: str | None
) -> httpx.Request:
    grant = {"redirect_uri": ctx.redirect_uri, "code": code, "grant_type": "authorization_code"}
    if code_verifier is not None:
        grant["code_verifier"] = code_verifier
    return grant_request(ctx.provider, ctx.metadata, token_endpoint, grant)


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
