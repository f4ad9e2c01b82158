"""ID token validation, OIDC Core 1.0 §3.1.3.7.

Unlike Auth.js (which skips the signature of a token received from the token endpoint,
Auth.js `src/lib/actions/callback/oauth/callback.ts`) the signature is checked against the
provider's JWKS: the port trusts fewer network paths. Algorithms come from an allow-list of
asymmetric ones (`none` and `HS*` are refused by `authcore.jose.jws`, so an HMAC keyed with the
public key can never verify); a `kid` missing from the cached JWKS triggers one refetch (key
rotation), rate-limited by `JWKS_REFETCH_COOLDOWN`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from .._flow import Flow
from ..errors import InvalidCheck, OAuthProviderError
from ..jose import InvalidToken
from ..jose._json import loads_object
from ..jose.jws import HMAC_ALGORITHMS, SUPPORTED_ALGORITHMS, verify_compact, verify_compact_hmac
from ._checks import same
from ._discovery import Metadata, get_jwks
from ._env import CheckEnv

__all__ = ["IdTokenError", "validate_id_token", "validate_signed_userinfo"]


class IdTokenError(OAuthProviderError):
    """The ID token failed validation (signature or claims): the provider, or someone in
    its place, misbehaved."""


def _allowed_algorithms(preferred: str | None, metadata: Metadata) -> list[str]:
    if preferred:
        return [preferred]
    advertised = [
        a for a in metadata.id_token_signing_alg_values_supported if a in SUPPORTED_ALGORITHMS
    ]
    return advertised or ["RS256"]


def validate_id_token(
    token: str,
    env: CheckEnv,
    *,
    provider_id: str,
    client_id: str,
    metadata: Metadata,
    expected_nonce: str | None,
    preferred_alg: str | None,
    clock_tolerance: float,
    jwks_ttl: float,
    max_iat_skew: float | None = None,
    issuer_for: Callable[[str, dict[str, Any]], str] | None = None,
    hmac_key: bytes | None = None,
) -> Flow[dict[str, Any]]:
    """`issuer_for(metadata_issuer, claims)`: the issuer this token must name, when the
    metadata's is a template (Microsoft's `{tenantid}`); by default the metadata's.
    `hmac_key`: the provider opted in to `HS*` ID tokens signed with this shared secret
    (LINE), checked instead of the JWKS and only for the provider's configured `HS*` alg."""

    def fail(message: str, **details: Any) -> IdTokenError:
        return IdTokenError(
            f"{provider_id} ID token: {message}",
            provider=provider_id,
            endpoint="token",
            reason="id_token",
            **details,
        )

    if not isinstance(token, str) or len(token) > env.limits.max_token_chars:
        raise fail("missing or too large")
    if hmac_key is not None and preferred_alg is not None and preferred_alg in HMAC_ALGORITHMS:
        try:
            _, payload = verify_compact_hmac(token, hmac_key, algorithms=[preferred_alg])
        except InvalidToken as exc:
            raise fail(f"rejected ({exc.code})", code=exc.code) from None
    else:
        payload = yield from _verified_payload(
            token,
            env,
            provider_id=provider_id,
            metadata=metadata,
            algorithms=_allowed_algorithms(preferred_alg, metadata),
            jwks_ttl=jwks_ttl,
            fail=fail,
        )
    try:  # strict: no duplicate claims, no NaN/Infinity (RFC 7516)
        claims = loads_object(payload)
    except ValueError:
        raise fail("the payload is not a JSON object") from None

    if metadata.issuer is None or not isinstance(claims.get("iss"), str):
        raise fail("no issuer")
    expected_iss = metadata.issuer if issuer_for is None else issuer_for(metadata.issuer, claims)
    if not same(claims["iss"], expected_iss):
        raise fail("iss does not equal the provider's issuer", claim="iss")
    aud = claims.get("aud")
    audiences: Sequence[Any] = (
        [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else []
    )
    if client_id not in audiences:
        raise fail("aud does not contain client_id", claim="aud")
    azp = claims.get("azp")
    if len(audiences) > 1 and azp is None:
        raise fail("several audiences and no azp", claim="azp")
    if azp is not None and azp != client_id:
        raise fail("azp is not client_id", claim="azp")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise fail("no sub", claim="sub")
    now = env.now()
    exp, iat = claims.get("exp"), claims.get("iat")
    if not _is_number(exp):
        raise fail("no exp", claim="exp")
    if not _is_number(iat):
        raise fail("no iat", claim="iat")
    assert exp is not None and iat is not None
    if float(exp) + clock_tolerance <= now:
        raise fail("expired", claim="exp")
    # A future `iat` only says the provider's clock runs ahead of ours: Auth.js (oauth4webapi)
    # accepts it, and refusing it failed every sign-in on a server whose clock lags. Only an
    # absurd skew (`max_iat_skew`, None to turn it off) is refused.
    if max_iat_skew is not None and float(iat) - max_iat_skew > now:
        raise fail("issued too far in the future", claim="iat")
    nbf = claims.get("nbf")
    if nbf is not None and (not _is_number(nbf) or float(nbf) - clock_tolerance > now):
        raise fail("not yet valid", claim="nbf")
    nonce = claims.get("nonce")
    if expected_nonce is not None:
        if not isinstance(nonce, str) or not same(nonce, expected_nonce):
            raise InvalidCheck(
                f"{provider_id} ID token: nonce mismatch", check="nonce", provider=provider_id
            )
    elif nonce is not None:
        raise fail("carries a nonce that was never sent", claim="nonce")
    return claims


def _verified_payload(
    token: str,
    env: CheckEnv,
    *,
    provider_id: str,
    metadata: Metadata,
    algorithms: list[str],
    jwks_ttl: float,
    fail: Callable[..., OAuthProviderError],
) -> Flow[bytes]:
    """The payload of a JWS signed by one of the provider's published keys."""
    if metadata.jwks_uri is None:
        raise fail("the provider publishes no jwks_uri")
    jwks = yield from get_jwks(metadata.jwks_uri, env, provider_id=provider_id, ttl=jwks_ttl)
    try:
        try:
            _, payload = verify_compact(token, jwks, algorithms=algorithms)
        except InvalidToken as exc:
            if exc.code != "no_matching_key":
                raise
            jwks = yield from get_jwks(
                metadata.jwks_uri, env, provider_id=provider_id, ttl=jwks_ttl, refresh=True
            )
            _, payload = verify_compact(token, jwks, algorithms=algorithms)
    except InvalidToken as exc:
        raise fail(f"rejected ({exc.code})", code=exc.code) from None
    return payload


def validate_signed_userinfo(
    token: str,
    env: CheckEnv,
    *,
    provider_id: str,
    client_id: str,
    metadata: Metadata,
    alg: str,
    jwks_ttl: float,
) -> Flow[dict[str, Any]]:
    """A userinfo answer served as a signed JWT (OIDC Core §5.3.2, `application/jwt`):
    signed by the provider's keys with `alg`; `iss` and `aud`, when present, must name the
    provider and this client (as oauth4webapi's `processUserInfoResponse`, which Auth.js
    calls without checking the signature)."""

    def fail(message: str, **details: Any) -> OAuthProviderError:
        return OAuthProviderError(
            f"{provider_id} signed userinfo: {message}",
            provider=provider_id,
            endpoint="userinfo",
            reason="signed_userinfo",
            **details,
        )

    if len(token) > env.limits.max_token_chars:
        raise fail("too large")
    payload = yield from _verified_payload(
        token,
        env,
        provider_id=provider_id,
        metadata=metadata,
        algorithms=[alg],
        jwks_ttl=jwks_ttl,
        fail=fail,
    )
    try:
        claims = loads_object(payload)
    except ValueError:
        raise fail("the payload is not a JSON object") from None
    iss = claims.get("iss")
    if iss is not None and (metadata.issuer is None or not same(str(iss), metadata.issuer)):
        raise fail("iss is not the provider's issuer", claim="iss")
    aud = claims.get("aud")
    audiences = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else [None]
    if aud is not None and client_id not in audiences:
        raise fail("aud does not name this client", claim="aud")
    return claims


def _is_number(value: Any) -> bool:
    # Finite and in range: `1e400` parses to inf (an ID token valid forever), and a huge int
    # would overflow `float()` below.
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -(2**63) <= value < 2**63
    return isinstance(value, float) and math.isfinite(value)
