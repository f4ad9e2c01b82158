"""Just enough JWS (RFC 7515) to sign the mock's ID tokens: RS256, ES256, EdDSA.

Private on purpose: the verifying side lives in `authcore.jose`, and signing here is written
independently so the two check each other."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

__all__ = ["SigningKeys", "b64url", "dumps"]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def dumps(obj: Any) -> bytes:
    """Compact JSON; Python ints are written digit for digit (no float on the way)."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _uint(n: int, size: int | None = None) -> str:
    length = size if size is not None else max(1, (n.bit_length() + 7) // 8)
    return b64url(n.to_bytes(length, "big"))


def _thumbprint(required: dict[str, str]) -> str:
    """RFC 7638 JWK thumbprint: SHA-256 of the required members, sorted, no spaces."""
    canonical = json.dumps(required, separators=(",", ":"), sort_keys=True).encode()
    return b64url(hashlib.sha256(canonical).digest())


class SigningKeys:
    """One fresh key per algorithm, generated per server."""

    def __init__(self) -> None:
        self.rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.ec = ec.generate_private_key(ec.SECP256R1())
        self.ed = ed25519.Ed25519PrivateKey.generate()
        self._spare: list[dict[str, str]] = []
        self._publish()

    def _publish(self) -> None:
        self._jwks = [self._rsa_jwk(), self._ec_jwk(), self._ed_jwk()]
        self.kids = {jwk["alg"]: jwk["kid"] for jwk in self._jwks}

    def jwks(self) -> dict[str, Any]:
        return {"keys": [dict(k) for k in (*self._jwks, *self._spare)]}

    def rotate(self) -> None:
        """A new RS256 signing key; the old one leaves the JWKS (key rotation at the OP)."""
        self.rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._publish()

    def drop_spare_keys(self) -> None:
        self._spare.clear()

    def add_spare_rsa_key(self) -> None:
        """Publish a second RS256 key that signs nothing (a JWKS with several RSA keys)."""
        spare = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        nums = spare.public_key().public_numbers()
        req = {"e": _uint(nums.e), "kty": "RSA", "n": _uint(nums.n)}
        self._spare.append({**req, "kid": _thumbprint(req), "use": "sig", "alg": "RS256"})

    def rsa_public_pem(self) -> bytes:
        return self.rsa.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def sign(
        self,
        claims: dict[str, Any],
        alg: str,
        header: dict[str, Any] | None = None,
        *,
        hmac_key: bytes | None = None,
    ) -> str:
        """Compact JWS. `header` entries override the defaults (alg, kid, typ); a value of
        None removes the entry. `hmac_key` signs HS256 with that shared secret (LINE's
        client secret) instead of the key-confusion fault's public PEM."""
        hdr: dict[str, Any] = {"alg": alg, "kid": self.kids.get(alg), "typ": "JWT"}
        hdr.update(header or {})
        hdr = {k: v for k, v in hdr.items() if v is not None}
        signing_input = f"{b64url(dumps(hdr))}.{b64url(dumps(claims))}".encode("ascii")
        if hmac_key is not None and hdr["alg"] == "HS256":
            signature = hmac.new(hmac_key, signing_input, hashlib.sha256).digest()
        else:
            signature = self._signature(hdr["alg"], signing_input)
        return f"{signing_input.decode('ascii')}.{b64url(signature)}"

    def _signature(self, alg: str, data: bytes) -> bytes:
        if alg == "RS256":
            return self.rsa.sign(data, padding.PKCS1v15(), hashes.SHA256())
        if alg == "ES256":
            r, s = decode_dss_signature(self.ec.sign(data, ec.ECDSA(hashes.SHA256())))
            return r.to_bytes(32, "big") + s.to_bytes(32, "big")  # RFC 7518 §3.4: raw r||s
        if alg == "EdDSA":
            return self.ed.sign(data)
        if alg == "HS256":  # only for the key-confusion fault: HMAC keyed with the public PEM
            return hmac.new(self.rsa_public_pem(), data, hashlib.sha256).digest()
        if alg == "none":
            return b""
        raise ValueError(f"unsupported alg {alg!r}")

    def _rsa_jwk(self) -> dict[str, str]:
        nums = self.rsa.public_key().public_numbers()
        req = {"e": _uint(nums.e), "kty": "RSA", "n": _uint(nums.n)}
        return {**req, "kid": _thumbprint(req), "use": "sig", "alg": "RS256"}

    def _ec_jwk(self) -> dict[str, str]:
        nums = self.ec.public_key().public_numbers()
        req = {"crv": "P-256", "kty": "EC", "x": _uint(nums.x, 32), "y": _uint(nums.y, 32)}
        return {**req, "kid": _thumbprint(req), "use": "sig", "alg": "ES256"}

    def _ed_jwk(self) -> dict[str, str]:
        raw = self.ed.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        req = {"crv": "Ed25519", "kty": "OKP", "x": b64url(raw)}
        return {**req, "kid": _thumbprint(req), "use": "sig", "alg": "EdDSA"}
