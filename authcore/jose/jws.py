"""JWS compact serialisation (RFC 7515 §7.1).

Used for OpenID Connect ID tokens and the mock identity provider. `verify_compact`
checks asymmetric signatures against a JWK Set; ``none`` and every ``HS*`` algorithm
are refused there: an ID token signed with a shared secret would be checked against a
*published* key (RFC 8725 §2.1 and §3.1), and the caller's allow-list must name the
algorithms it expects. `verify_compact_hmac` is the separate, explicit door for a
token signed with a secret the caller holds (LINE's client-secret ID tokens). ES* signatures are
the raw ``R || S`` of RFC 7518 §3.4, not DER.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Collection, Mapping
from typing import Any, Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from . import base64url
from ._json import loads_object
from .errors import InvalidToken
from .jwk import ALG_KEY_TYPES, JWKSet, PublicKey

__all__ = [
    "DEFAULT_MAX_LENGTH",
    "HMAC_ALGORITHMS",
    "SUPPORTED_ALGORITHMS",
    "sign_compact",
    "verify_compact",
    "verify_compact_hmac",
]

DEFAULT_MAX_LENGTH = 16384
MAX_HEADER_LENGTH = 2048
SUPPORTED_ALGORITHMS: Final = frozenset(ALG_KEY_TYPES)
HMAC_ALGORITHMS: Final = frozenset({"HS256", "HS384", "HS512"})

PrivateKeyType = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey

_HASHES: Final[dict[str, type[hashes.HashAlgorithm]]] = {
    "256": hashes.SHA256,
    "384": hashes.SHA384,
    "512": hashes.SHA512,
}
_EC_SIZES: Final = {"ES256": 32, "ES384": 48, "ES512": 66}
_HMAC_HASHES: Final = {"HS256": "sha256", "HS384": "sha384", "HS512": "sha512"}


def _hash(alg: str) -> hashes.HashAlgorithm:
    return _HASHES[alg[-3:]]()


def _pss(alg: str) -> padding.PSS:
    # RFC 7518 §3.5: the salt is as long as the hash output.
    digest = _hash(alg)
    return padding.PSS(mgf=padding.MGF1(digest), salt_length=digest.digest_size)


def _verify(public: PublicKey, alg: str, signature: bytes, data: bytes) -> bool:
    key = public.key
    try:
        if isinstance(key, rsa.RSAPublicKey):
            if len(signature) != (key.key_size + 7) // 8:
                return False
            pad = _pss(alg) if alg.startswith("PS") else padding.PKCS1v15()
            key.verify(signature, data, pad, _hash(alg))
        elif isinstance(key, ec.EllipticCurvePublicKey):
            size = _EC_SIZES[alg]
            if len(signature) != 2 * size:
                return False
            r = int.from_bytes(signature[:size], "big")
            s = int.from_bytes(signature[size:], "big")
            key.verify(encode_dss_signature(r, s), data, ec.ECDSA(_hash(alg)))
        else:
            key.verify(signature, data)
    except InvalidSignature:
        return False
    return True


def verify_compact(
    token: str,
    jwks: JWKSet,
    *,
    algorithms: Collection[str],
    max_length: int = DEFAULT_MAX_LENGTH,
) -> tuple[dict[str, Any], bytes]:
    """Verify a compact JWS against ``jwks``; return ``(header, payload bytes)``.

    ``algorithms`` is the caller's allow-list (``ValueError`` if it names anything
    unsupported, such as ``none`` or ``HS256``). Without a ``kid`` exactly one key
    may match, as in oauth4webapi.
    """
    unknown = set(algorithms) - SUPPORTED_ALGORITHMS
    if unknown:
        raise ValueError(f"unsupported JWS algorithms: {sorted(unknown)}")
    header, payload, signature, data = _parse(token, max_length, algorithms)
    alg, kid = header["alg"], header.get("kid")
    candidates = jwks.select(alg, kid)
    if not candidates or (kid is None and len(candidates) > 1):
        raise InvalidToken("no_matching_key")
    for public in candidates:
        if _verify(public, alg, signature, data):
            return header, payload
    raise InvalidToken("bad_signature")


def verify_compact_hmac(
    token: str,
    key: bytes,
    *,
    algorithms: Collection[str],
    max_length: int = DEFAULT_MAX_LENGTH,
) -> tuple[dict[str, Any], bytes]:
    """Verify a compact JWS signed with a *shared secret* (``HS256``/``HS384``/``HS512``).

    Separate from `verify_compact` on purpose: the key is the caller's secret (an OAuth
    client secret), never a member of a published JWK Set, so the key confusion of RFC 8725
    §2.1 cannot happen; a caller opts in by calling this function. An empty key is refused.
    """
    unknown = set(algorithms) - set(_HMAC_HASHES)
    if unknown or not algorithms:
        raise ValueError(f"unsupported HMAC JWS algorithms: {sorted(unknown)}")
    if not key:
        raise ValueError("an HMAC key must not be empty")
    header, payload, signature, data = _parse(token, max_length, algorithms)
    expected = hmac.new(key, data, _HMAC_HASHES[header["alg"]]).digest()
    if not hmac.compare_digest(signature, expected):
        raise InvalidToken("bad_signature")
    return header, payload


def _parse(
    token: str, max_length: int, algorithms: Collection[str]
) -> tuple[dict[str, Any], bytes, bytes, bytes]:
    """Header (its `alg` in ``algorithms``), payload, signature and signing input."""
    if not isinstance(token, str) or not token:
        raise InvalidToken("empty")
    if len(token) > max_length:
        raise InvalidToken("too_large")
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidToken("malformed")
    header_segment, payload_segment, signature_segment = parts
    if len(header_segment) > MAX_HEADER_LENGTH:
        raise InvalidToken("too_large")
    try:
        header = loads_object(base64url.decode(header_segment))
        payload = base64url.decode(payload_segment)
        signature = base64url.decode(signature_segment)
    except ValueError:
        raise InvalidToken("malformed") from None
    alg, kid = header.get("alg"), header.get("kid")
    # "crit" names extensions (e.g. RFC 7797 unencoded payloads) we do not implement.
    if not isinstance(alg, str) or alg not in algorithms or "crit" in header:
        raise InvalidToken("unsupported_header")
    if kid is not None and not isinstance(kid, str):
        raise InvalidToken("unsupported_header")
    data = f"{header_segment}.{payload_segment}".encode("ascii")
    return header, payload, signature, data


def sign_compact(header: Mapping[str, Any], payload: bytes, key: PrivateKeyType) -> str:
    """Sign ``payload``; ``header["alg"]`` must suit ``key`` (tests and the mock IdP)."""
    alg = header.get("alg")
    wanted = ALG_KEY_TYPES.get(alg) if isinstance(alg, str) else None
    if alg is None or wanted is None:
        raise ValueError(f"unsupported JWS algorithm: {alg!r}")
    header_segment = base64url.encode(json.dumps(dict(header), separators=(",", ":")).encode())
    data = f"{header_segment}.{base64url.encode(payload)}".encode("ascii")
    if isinstance(key, rsa.RSAPrivateKey) and wanted[0] == "RSA":
        pad = _pss(alg) if alg.startswith("PS") else padding.PKCS1v15()
        signature = key.sign(data, pad, _hash(alg))
    elif isinstance(key, ec.EllipticCurvePrivateKey) and wanted[0] == "EC":
        size = _EC_SIZES[alg]
        if key.key_size != {32: 256, 48: 384, 66: 521}[size]:
            raise ValueError(f"{alg} needs a different curve")
        r, s = decode_dss_signature(key.sign(data, ec.ECDSA(_hash(alg))))
        signature = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    elif isinstance(key, ed25519.Ed25519PrivateKey) and wanted[0] == "OKP":
        signature = key.sign(data)
    else:
        raise ValueError(f"{alg} cannot be used with {type(key).__name__}")
    return f"{data.decode('ascii')}.{base64url.encode(signature)}"
