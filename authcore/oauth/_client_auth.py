"""Client authentication at the token endpoint: a shared secret in a header or in the form
(RFC 6749 §2.3.1), a signed assertion (RFC 7523 §2.2 and §3, OpenID Connect Core §9), or
nothing but the client id for a public client.

Assertions are built per request from the clock the core passes in: short-lived (60 s), a
fresh `jti`, `iss` = `sub` = the client id. The audience is `[issuer, token endpoint]`, as
`@auth/core@0.41.3` `packages/core/src/lib/actions/callback/oauth/callback.ts` sends it for
`private_key_jwt`; without an issuer it is the token endpoint alone (RFC 7523 §3 point 3).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from .._http import encode_uri_component
from ..jose import base64url
from ..jose.jws import sign_compact

__all__ = [
    "ASSERTION_LIFETIME",
    "ASSERTION_TYPE",
    "CLIENT_AUTH_METHODS",
    "PrivateKey",
    "apply_client_auth",
    "basic_auth_header",
    "key_algorithm",
    "load_private_key",
    "sign_jwt",
]

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_LIFETIME = 60
CLIENT_AUTH_METHODS = (
    "client_secret_basic",
    "client_secret_post",
    "client_secret_jwt",
    "private_key_jwt",
    "none",
)

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
_EC_ALGS = {256: "ES256", 384: "ES384", 521: "ES512"}


def _form_encode(value: str) -> str:
    # RFC 6749 §2.3.1: form-encode before Basic, as oauth4webapi does (%20 -> "+")
    return encode_uri_component(value).replace("%20", "+")


def basic_auth_header(client_id: str, client_secret: str) -> str:
    raw = f"{_form_encode(client_id)}:{_form_encode(client_secret)}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


def load_private_key(value: Any) -> PrivateKey:
    """A private key from a `cryptography` key object or PEM text (PKCS#8, as Apple's `.p8`
    files and `openssl genpkey` write it). `ValueError` for anything else."""
    if isinstance(value, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        return value
    if isinstance(value, ed25519.Ed25519PrivateKey):
        return value
    if isinstance(value, str):
        value = value.encode()
    if not isinstance(value, bytes):
        raise ValueError("a private key must be PEM text or a cryptography private key")
    try:
        key = serialization.load_pem_private_key(value, password=None)
    except (ValueError, TypeError):
        raise ValueError("the private key is not an unencrypted PEM private key") from None
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)) and not isinstance(
        key, ed25519.Ed25519PrivateKey
    ):
        raise ValueError("the private key must be RSA, EC (P-256/384/521) or Ed25519")
    return key


def key_algorithm(key: PrivateKey) -> str:
    """The JWS algorithm a key signs with by default."""
    if isinstance(key, rsa.RSAPrivateKey):
        return "RS256"
    if isinstance(key, ec.EllipticCurvePrivateKey):
        alg = _EC_ALGS.get(key.key_size)
        if alg is None:
            raise ValueError("EC keys must be on P-256, P-384 or P-521")
        return alg
    return "EdDSA"


def _hs256(claims: Mapping[str, Any], secret: str) -> str:
    """HMAC SHA-256 JWS (RFC 7518 §3.2) for `client_secret_jwt`: the verifier holds the same
    secret, so no published key can be confused with it."""
    header = base64url.encode(b'{"alg":"HS256","typ":"JWT"}')
    body = base64url.encode(json.dumps(dict(claims), separators=(",", ":")).encode())
    data = f"{header}.{body}".encode("ascii")
    mac = hmac.new(secret.encode(), data, hashlib.sha256).digest()
    return f"{data.decode('ascii')}.{base64url.encode(mac)}"


def sign_jwt(
    claims: Mapping[str, Any], key: PrivateKey, *, alg: str | None = None, kid: str | None = None
) -> str:
    """A compact JWS over `claims` signed with an asymmetric private key."""
    header: dict[str, Any] = {"alg": alg or key_algorithm(key), "typ": "JWT"}
    if kid is not None:
        header["kid"] = kid
    return sign_compact(header, json.dumps(dict(claims), separators=(",", ":")).encode(), key)


def _assertion_claims(client_id: str, audience: list[str], now: float) -> dict[str, Any]:
    iat = int(now)
    return {
        "iss": client_id,
        "sub": client_id,
        "aud": audience[0] if len(audience) == 1 else audience,
        "jti": base64url.encode(secrets.token_bytes(24)),
        "iat": iat,
        "exp": iat + ASSERTION_LIFETIME,
    }


def apply_client_auth(
    *,
    method: str,
    client_id: str,
    client_secret: str | None,
    private_key: PrivateKey | None,
    key_id: str | None,
    assertion_alg: str | None,
    form: dict[str, str],
    headers: dict[str, str],
    token_endpoint: str,
    issuer: str | None,
    now: float,
) -> None:
    """Add the credentials of `method` to a token request's form and headers."""
    if method == "client_secret_basic":
        headers["authorization"] = basic_auth_header(client_id, client_secret or "")
        return
    form["client_id"] = client_id
    if method == "client_secret_post":
        form["client_secret"] = client_secret or ""
        return
    if method == "none":
        return
    audience = [issuer, token_endpoint] if issuer else [token_endpoint]
    claims = _assertion_claims(client_id, audience, now)
    if method == "client_secret_jwt":
        assertion = _hs256(claims, client_secret or "")
    elif method == "private_key_jwt":
        if private_key is None:
            raise ValueError("private_key_jwt needs a client private key")
        assertion = sign_jwt(claims, private_key, alg=assertion_alg, kid=key_id)
    else:
        raise ValueError(f"unsupported client authentication method {method!r}")
    form["client_assertion_type"] = ASSERTION_TYPE
    form["client_assertion"] = assertion
