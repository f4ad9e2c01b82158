"""Client assertions at the mock's token endpoint (RFC 7523 §3, OpenID Connect Core §9):
`client_secret_jwt` (HS256 with the client secret) and `private_key_jwt` (RS256, ES256,
EdDSA with the client's registered public key).

Verified here with `cryptography` directly, not with `authcore.jose`, so the client side and
this side check each other."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from ._models import MockClient

if TYPE_CHECKING:
    from ._server import MockIdP

__all__ = ["ASSERTION_TYPE", "MAX_LIFETIME", "verify_assertion", "verify_signed_secret"]

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
MAX_LIFETIME = 300  # seconds between iat and exp the mock accepts


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature_ok(client: MockClient, alg: str, data: bytes, sig: bytes) -> bool:
    if alg == "HS256":
        if not client.client_secret:
            return False
        mac = hmac.new(client.client_secret.encode(), data, hashlib.sha256).digest()
        return hmac.compare_digest(mac, sig)
    key = client.public_key
    try:
        if alg == "RS256" and isinstance(key, rsa.RSAPublicKey):
            key.verify(sig, data, padding.PKCS1v15(), hashes.SHA256())
        elif alg == "ES256" and isinstance(key, ec.EllipticCurvePublicKey) and len(sig) == 64:
            r, s = int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")
            der = encode_dss_signature(r, s)
            key.verify(der, data, ec.ECDSA(hashes.SHA256()))
        elif alg == "EdDSA" and isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(sig, data)
        else:
            return False
    except InvalidSignature:
        return False
    return True


def verify_assertion(
    idp: MockIdP, client: MockClient, assertion: str, *, token_url: str
) -> str | None:
    """None when the assertion authenticates `client`, else what is wrong with it."""
    parts = assertion.split(".")
    if len(parts) != 3:
        return "client_assertion is not a compact JWS"
    try:
        header = json.loads(_b64(parts[0]))
        claims = json.loads(_b64(parts[1]))
        sig = _b64(parts[2])
    except (ValueError, binascii.Error):
        return "client_assertion is not valid base64url JSON"
    if not isinstance(header, dict) or not isinstance(claims, dict):
        return "client_assertion is not valid base64url JSON"
    alg = header.get("alg")
    method = "client_secret_jwt" if alg == "HS256" else "private_key_jwt"
    if client.auth_method not in (None, method):
        return f"this client is registered for {client.auth_method}"
    data = f"{parts[0]}.{parts[1]}".encode("ascii")
    if not isinstance(alg, str) or not _signature_ok(client, alg, data, sig):
        return "client_assertion signature is invalid"
    if claims.get("iss") != client.client_id or claims.get("sub") != client.client_id:
        return "client_assertion iss and sub must be the client_id"
    aud = claims.get("aud")
    audiences = aud if isinstance(aud, list) else [aud]
    if token_url not in audiences and idp.issuer not in audiences:
        return "client_assertion aud is neither the token endpoint nor the issuer"
    exp, iat, jti = claims.get("exp"), claims.get("iat", 0), claims.get("jti")
    now = idp.now()
    if not isinstance(exp, int) or not isinstance(iat, int) or exp <= now:
        return "client_assertion is expired or has no exp"
    if exp - iat > MAX_LIFETIME:
        return "client_assertion lives too long"
    if not isinstance(jti, str) or not jti:
        return "client_assertion has no jti"
    if not idp._store.use_assertion(jti):
        return "client_assertion replayed (jti already used)"
    return None


def verify_signed_secret(
    idp: MockIdP, client: MockClient, secret: str, audience: str | None = None
) -> bool:
    """Apple's client secret: an ES256 JWT by the client's key, `sub` the client id, `aud`
    the issuer (`audience`, by default the OpenID flavour's), unexpired."""
    parts = secret.split(".")
    if len(parts) != 3:
        return False
    try:
        header = json.loads(_b64(parts[0]))
        claims = json.loads(_b64(parts[1]))
        sig = _b64(parts[2])
    except (ValueError, binascii.Error):
        return False
    if not isinstance(header, dict) or not isinstance(claims, dict) or header.get("alg") != "ES256":
        return False
    data = f"{parts[0]}.{parts[1]}".encode("ascii")
    exp = claims.get("exp")
    return (
        _signature_ok(client, "ES256", data, sig)
        and claims.get("sub") == client.client_id
        and claims.get("aud") == (audience or idp.issuer)
        and isinstance(exp, int)
        and exp > idp.now()
    )
