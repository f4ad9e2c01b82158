"""Refreshing an access token with a refresh token (RFC 6749 §6), sync and async.

The request and the checks are the sign-in's: the provider's token endpoint (discovered when
it has only an issuer), its client authentication, its conform hook, and the token-response
checks. Auth.js leaves this to the app (its "refresh token rotation" guide); here it is one
call inside the `jwt` callback (docs/providers/refresh.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._flow import Flow, drive_async, drive_sync
from .._options import Limits
from ..errors import OAuthProviderError
from ._context import identify
from ._discovery import provider_metadata
from ._fetch import fetch_json
from ._token import check_token_response, conform, grant_request

if TYPE_CHECKING:
    import httpx

    from ..providers.oauth import OAuthProvider

__all__ = ["async_refresh_access_token", "refresh_access_token", "refresh_flow"]


@dataclass(frozen=True, slots=True)
class _Env:
    now: Callable[[], float]
    limits: Limits


def refresh_flow(
    provider: OAuthProvider,
    refresh_token: str,
    *,
    scope: str | None = None,
    limits: Limits | None = None,
    now: Callable[[], float] = time.time,
) -> Flow[dict[str, Any]]:
    """What the sync and the async helper both send and check."""
    pid = provider.id
    if not isinstance(refresh_token, str) or not refresh_token:
        raise OAuthProviderError(
            f"{pid} token refresh: no refresh token (the provider issued none, or it was "
            "not kept from the sign-in's account)",
            provider=pid,
            endpoint="token refresh",
            reason="no_refresh_token",
        )
    env = _Env(now, limits or Limits())
    metadata = yield from provider_metadata(provider, env)
    endpoint = provider.token.url or metadata.token_endpoint
    if endpoint is None:
        raise OAuthProviderError(
            f"{pid}: no token endpoint", provider=pid, endpoint="token refresh", reason="config"
        )
    grant = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    if scope is not None:
        grant["scope"] = scope
    request = identify(grant_request(provider, metadata, endpoint, grant, now=now()))
    body = yield from fetch_json(request, env.limits, provider_id=pid, endpoint="token refresh")
    tokens = check_token_response(
        provider, conform(provider, body, "token refresh"), now=now(), require_id_token=False
    )
    # An ID token from a refresh would need its own validation (OIDC Core §12.2); it is not
    # returned rather than returned unchecked.
    tokens.pop("id_token", None)
    # §6: the server may rotate the refresh token; when it does not, the old one stays valid.
    tokens.setdefault("refresh_token", refresh_token)
    return tokens


def refresh_access_token(
    provider: OAuthProvider,
    refresh_token: str,
    *,
    client: httpx.Client,
    scope: str | None = None,
    limits: Limits | None = None,
    now: Callable[[], float] = time.time,
) -> dict[str, Any]:
    """`grant_type=refresh_token` at the provider's token endpoint. Returns the checked
    token response (`access_token`, lower-case `token_type`, `expires_in`/`expires_at`,
    `refresh_token`: the new one, or the one given when the server did not rotate it).
    Raises `OAuthProviderError`: `retryable` is True for outages and rate limits;
    otherwise (e.g. `invalid_grant`) the user must sign in again."""
    return drive_sync(
        refresh_flow(provider, refresh_token, scope=scope, limits=limits, now=now), client
    )


async def async_refresh_access_token(
    provider: OAuthProvider,
    refresh_token: str,
    *,
    client: httpx.AsyncClient,
    scope: str | None = None,
    limits: Limits | None = None,
    now: Callable[[], float] = time.time,
) -> dict[str, Any]:
    """`refresh_access_token` for async code."""
    return await drive_async(
        refresh_flow(provider, refresh_token, scope=scope, limits=limits, now=now), client
    )
