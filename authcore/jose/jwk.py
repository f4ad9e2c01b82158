"""JSON Web Keys (RFC 7517, RFC 7518 §6, RFC 8037) and thumbprints (RFC 7638).

Two jobs: the Auth.js ``kid`` (the thumbprint of the derived ``oct`` key) and the
public keys an identity provider publishes for ID-token signatures. A ``JWKSet``
never yields ``oct`` keys: an HMAC "verified" with a published key is the classic
algorithm-confusion forgery. Private members of a published key are ignored.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from . import base64url

__all__ = [
    "ALG_KEY_TYPES",
    "JWKSet",
    "PublicKey",
    "PublicKeyType",
    "import_public_key",
    "oct_thumbprint",
    "thumbprint",
]

PublicKeyType = rsa.RSAPublicKey | ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey

# RFC 7638 §3.2: the required members of each key type, the only ones hashed.
_REQUIRED: Final = {
    "RSA": ("e", "kty", "n"),
    "EC": ("crv", "kty", "x", "y"),
    "OKP": ("crv", "kty", "x"),
    "oct": ("k", "kty"),
}

# Signature algorithm -> (kty, crv) of a key that may verify it.
ALG_KEY_TYPES: Final[Mapping[str, tuple[str, str | None]]] = {
    **{f"{p}{n}": ("RSA", None) for p in ("RS", "PS") for n in ("256", "384", "512")},
    "ES256": ("EC", "P-256"),
    "ES384": ("EC", "P-384"),
    "ES512": ("EC", "P-521"),
    "EdDSA": ("OKP", "Ed25519"),
    "Ed25519": ("OKP", "Ed25519"),
}

_CURVES: Final = {
    "P-256": (ec.SECP256R1, 32),
    "P-384": (ec.SECP384R1, 48),
    "P-521": (ec.SECP521R1, 66),
}
MIN_RSA_BITS = 2048  # RFC 7518 §3.3
MAX_KEYS = 100


def thumbprint(jwk: Mapping[str, Any], hash_name: str = "sha256") -> str:
    """RFC 7638 thumbprint: hash of the required members as sorted, compact JSON."""
    required = _REQUIRED.get(jwk.get("kty"))  # type: ignore[arg-type]
    if required is None:
        raise ValueError("unsupported kty")
    members = {name: jwk[name] for name in required}
    if not all(isinstance(value, str) for value in members.values()):
        raise ValueError("JWK members must be strings")
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True)
    return base64url.encode(hashlib.new(hash_name, canonical.encode()).digest())


def oct_thumbprint(key: bytes) -> str:
    """Thumbprint of a symmetric key as Auth.js computes its ``kid``.

    The digest size follows the key size (``sha${bits}``): SHA-256 for 32 bytes,
    SHA-512 for 64 bytes.
    """
    if len(key) not in (32, 48, 64):
        raise ValueError("oct thumbprints are defined here for 32, 48 or 64-byte keys")
    return thumbprint({"kty": "oct", "k": base64url.encode(key)}, f"sha{len(key) * 8}")


@dataclass(frozen=True)
class PublicKey:
    """A verification key with the JWK metadata that selection looks at."""

    key: PublicKeyType
    kty: str
    crv: str | None = None
    kid: str | None = None
    alg: str | None = None
    use: str | None = None
    key_ops: tuple[str, ...] | None = None

    def can_verify(self, alg: str) -> bool:
        """Whether this key may check a signature made with ``alg`` (RFC 7517 §4)."""
        wanted = ALG_KEY_TYPES.get(alg)
        return (
            wanted is not None
            and wanted == (self.kty, self.crv)
            and self.alg in (None, alg)
            and self.use in (None, "sig")
            and (self.key_ops is None or "verify" in self.key_ops)
        )


def _b64_member(jwk: Mapping[str, Any], name: str) -> bytes:
    value = jwk.get(name)
    if not isinstance(value, str) or not value:
        raise ValueError(f"JWK member {name!r} missing")
    return base64url.decode(value)


def _optional_str(jwk: Mapping[str, Any], name: str) -> str | None:
    value = jwk.get(name)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"JWK member {name!r} must be a string")
    return value


def _load(jwk: Mapping[str, Any], kty: Any, crv: str | None) -> PublicKeyType:
    if kty == "RSA":
        n = int.from_bytes(_b64_member(jwk, "n"), "big")
        e = int.from_bytes(_b64_member(jwk, "e"), "big")
        if n.bit_length() < MIN_RSA_BITS:
            raise ValueError("RSA key too small")
        return rsa.RSAPublicNumbers(e, n).public_key()
    if kty == "EC" and crv in _CURVES:
        curve, size = _CURVES[crv]
        x, y = _b64_member(jwk, "x"), _b64_member(jwk, "y")
        if len(x) != size or len(y) != size:
            raise ValueError("EC coordinates have the wrong length")
        # from_encoded_point checks that the point is on the curve.
        return ec.EllipticCurvePublicKey.from_encoded_point(curve(), b"\x04" + x + y)
    if kty == "OKP" and crv == "Ed25519":
        return ed25519.Ed25519PublicKey.from_public_bytes(_b64_member(jwk, "x"))
    raise ValueError("unsupported key type")


def import_public_key(jwk: Mapping[str, Any]) -> PublicKey:
    """Import an RSA, EC (P-256/384/521) or Ed25519 public JWK; ``ValueError`` otherwise."""
    kty = jwk.get("kty")
    crv = _optional_str(jwk, "crv")
    key_ops = jwk.get("key_ops")
    if key_ops is not None and not (
        isinstance(key_ops, list) and all(isinstance(op, str) for op in key_ops)
    ):
        raise ValueError("JWK member 'key_ops' must be a list of strings")
    return PublicKey(
        key=_load(jwk, kty, crv),
        kty=str(kty),
        crv=crv,
        kid=_optional_str(jwk, "kid"),
        alg=_optional_str(jwk, "alg"),
        use=_optional_str(jwk, "use"),
        key_ops=None if key_ops is None else tuple(key_ops),
    )


class JWKSet:
    """The verification keys of one issuer, selected by ``kid`` and algorithm."""

    __slots__ = ("keys",)

    def __init__(self, keys: Iterable[PublicKey]) -> None:
        self.keys: tuple[PublicKey, ...] = tuple(keys)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> JWKSet:
        """Build from a JWKS document; keys we cannot or must not use are skipped."""
        entries = data.get("keys")
        if not isinstance(entries, list):
            raise ValueError("a JWK Set needs a 'keys' list")
        keys = []
        for entry in entries[:MAX_KEYS]:
            if not isinstance(entry, Mapping):
                continue
            try:
                keys.append(import_public_key(entry))
            except ValueError:
                continue  # oct, encryption-only curves, malformed: never used
        return cls(keys)

    def select(self, alg: str, kid: str | None) -> list[PublicKey]:
        """Keys able to verify ``alg``; with a ``kid``, only keys carrying that ``kid``."""
        return [k for k in self.keys if k.can_verify(alg) and (kid is None or k.kid == kid)]
