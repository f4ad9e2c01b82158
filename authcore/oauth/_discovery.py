"""OpenID Connect discovery (OIDC Discovery 1.0 §4) and JWKS fetching, both cached.

The metadata's `issuer` must equal the configured issuer exactly (§4.3): a provider that
serves another issuer's metadata would otherwise send us to its endpoints. Caches are per
issuer / per JWKS URL with a TTL read from the injected clock; a JWKS is refetched once when
an ID token names a `kid` it does not hold (key rotation), at most once per cooldown.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import httpx

from .._flow import Flow
from .._options import Limits
from ..errors import OAuthProviderError
from ..jose.jwk import JWKSet
from ._fetch import fetch_json

if TYPE_CHECKING:
    from ..providers.oauth import OAuthProvider


class FetchEnv(Protocol):
    """What discovery needs of its caller: a clock and the limits (a `CheckEnv` has both)."""

    @property
    def now(self) -> Callable[[], float]: ...

    @property
    def limits(self) -> Limits: ...


__all__ = [
    "JWKS_REFETCH_COOLDOWN",
    "FetchEnv",
    "Metadata",
    "clear_caches",
    "discover",
    "get_jwks",
    "provider_metadata",
]


@dataclass(frozen=True)
class Metadata:
    """The authorization-server facts the flow uses."""

    issuer: str | None
    authorization_endpoint: str | None
    token_endpoint: str | None
    userinfo_endpoint: str | None
    jwks_uri: str | None
    id_token_signing_alg_values_supported: tuple[str, ...] = ()
    authorization_response_iss_parameter_supported: bool = False
    token_endpoint_auth_methods_supported: tuple[str, ...] = ()


_lock = threading.Lock()
_metadata_cache: dict[str, tuple[float, Metadata]] = {}
_jwks_cache: dict[str, tuple[float, float, JWKSet]] = {}  # uri -> (fetched at, expires, set)

# A `kid` missing from a JWKS fetched less than this many seconds ago does not refetch it: a
# stream of ID tokens naming unknown keys cannot turn every callback into a JWKS request
# (the `cooldownDuration` of panva/jose's remote JWK sets, which Auth.js's stack uses).
JWKS_REFETCH_COOLDOWN = 30.0


def clear_caches() -> None:
    with _lock:
        _metadata_cache.clear()
        _jwks_cache.clear()


def _str(doc: dict[str, Any], key: str) -> str | None:
    value = doc.get(key)
    return value if isinstance(value, str) and value else None


def discover(
    issuer: str,
    env: FetchEnv,
    *,
    provider_id: str,
    ttl: float,
    accept: Callable[[str], bool] | None = None,
) -> Flow[Metadata]:
    """`accept`: the provider's say on a metadata issuer that is not the configured one
    (Microsoft's multi-tenant endpoints publish `.../{tenantid}/v2.0`); by default the two
    must be equal."""
    now = env.now()
    with _lock:
        hit = _metadata_cache.get(issuer)
    if hit is not None and hit[0] > now:
        return hit[1]
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    request = httpx.Request("GET", url, headers={"accept": "application/json"})
    doc = yield from fetch_json(request, env.limits, provider_id=provider_id, endpoint="discovery")
    doc_issuer = doc.get("issuer")
    if doc_issuer != issuer and not (
        accept is not None and isinstance(doc_issuer, str) and accept(doc_issuer)
    ):
        raise OAuthProviderError(
            f"{provider_id} discovery: the metadata issuer does not equal the configured "
            f"issuer {issuer!r} exactly",
            provider=provider_id,
            endpoint="discovery",
            reason="issuer_mismatch",
        )
    algs = doc.get("id_token_signing_alg_values_supported")
    methods = doc.get("token_endpoint_auth_methods_supported")
    meta = Metadata(
        issuer=doc_issuer,
        authorization_endpoint=_str(doc, "authorization_endpoint"),
        token_endpoint=_str(doc, "token_endpoint"),
        userinfo_endpoint=_str(doc, "userinfo_endpoint"),
        jwks_uri=_str(doc, "jwks_uri"),
        id_token_signing_alg_values_supported=tuple(a for a in algs if isinstance(a, str))
        if isinstance(algs, list)
        else (),
        authorization_response_iss_parameter_supported=doc.get(
            "authorization_response_iss_parameter_supported"
        )
        is True,
        token_endpoint_auth_methods_supported=tuple(m for m in methods if isinstance(m, str))
        if isinstance(methods, list)
        else (),
    )
    for name in ("authorization_endpoint", "token_endpoint"):
        value = getattr(meta, name)
        if value is None or not value.startswith(("https://", "http://")):
            raise OAuthProviderError(
                f"{provider_id} discovery: the metadata has no valid {name}",
                provider=provider_id,
                endpoint="discovery",
                reason="bad_metadata",
            )
    with _lock:
        _metadata_cache[issuer] = (now + ttl, meta)
    return meta


def get_jwks(
    jwks_uri: str, env: FetchEnv, *, provider_id: str, ttl: float, refresh: bool = False
) -> Flow[JWKSet]:
    """The cached JWK Set, fetched when absent or expired. `refresh=True` (an unknown `kid`)
    refetches unless the cached set is younger than `JWKS_REFETCH_COOLDOWN`."""
    now = env.now()
    with _lock:
        hit = _jwks_cache.get(jwks_uri)
    if hit is not None:
        fetched_at, expires, cached = hit
        fresh = expires > now
        if fresh and (not refresh or now - fetched_at < JWKS_REFETCH_COOLDOWN):
            return cached
    request = httpx.Request("GET", jwks_uri, headers={"accept": "application/json"})
    doc = yield from fetch_json(request, env.limits, provider_id=provider_id, endpoint="jwks")
    try:
        jwks = JWKSet.from_dict(doc)
    except ValueError:
        raise OAuthProviderError(
            f"{provider_id} jwks endpoint: not a JWK Set",
            provider=provider_id,
            endpoint="jwks",
            reason="bad_jwks",
        ) from None
    with _lock:
        _jwks_cache[jwks_uri] = (now, now + ttl, jwks)
    return jwks


def provider_metadata(provider: OAuthProvider, env: FetchEnv) -> Flow[Metadata]:
    """Discovery for an OIDC provider or one missing an endpoint; otherwise the configured
    endpoints as metadata."""
    if provider.type == "oidc" or (
        provider.issuer is not None
        and (provider.token.url is None or provider.authorization.url is None)
    ):
        assert provider.issuer is not None
        meta: Metadata = yield from discover(
            provider.issuer,
            env,
            provider_id=provider.id,
            ttl=provider.discovery_ttl,
            accept=provider.accepts_metadata_issuer,
        )
        return meta
    return Metadata(
        issuer=provider.issuer,
        authorization_endpoint=provider.authorization.url,
        token_endpoint=provider.token.url,
        userinfo_endpoint=provider.userinfo.url,
        jwks_uri=None,
    )
