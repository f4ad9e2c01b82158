"""The raw crypto floor, and the bench's own token minting.

The floor is the least work any decoder must do to turn a session JWE (Auth.js `src/jwt.ts`) into
its claims, given an already-derived key: base64url-decode IV, ciphertext and tag, HMAC-SHA-512 over
AAD || IV || CT || AL, constant-time tag check, AES-256-CBC decrypt, PKCS#7 unpad, `json.loads`.
`cryptography` does the crypto; nothing is cached beyond the key. authcore's decode also parses the
header, checks `kid` and the time claims, so it cannot reach 1.0x.

Minting here (rather than with authcore.jwt) keeps the bench independent of the code under
test: the same tokens go to authcore, @auth/core, joserfc and the floor, and the first thing
the bench does is check that every one of them decodes them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import struct
import uuid
from collections.abc import Sequence
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = ["Key", "derive", "floor_decode", "floor_decode_crypto_only", "floor_encode", "mint"]


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Key:
    """A derived A256CBC-HS512 key (Auth.js `src/jwt.ts`): MAC half, AES half, RFC 7638 kid."""

    __slots__ = ("enc_key", "header_b64", "kid", "mac_key")

    def __init__(self, raw: bytes) -> None:
        self.mac_key = raw[:32]
        self.enc_key = raw[32:]
        jwk = json.dumps({"k": _b64e(raw), "kty": "oct"}, separators=(",", ":"))
        self.kid = _b64e(hashlib.sha512(jwk.encode()).digest())
        header = {"alg": "dir", "enc": "A256CBC-HS512", "kid": self.kid}
        self.header_b64 = _b64e(json.dumps(header, separators=(",", ":")).encode())


def derive(secret: str, salt: str) -> Key:
    info = f"Auth.js Generated Encryption Key ({salt})".encode()
    hkdf = HKDF(algorithm=hashes.SHA256(), length=64, salt=salt.encode(), info=info)
    return Key(hkdf.derive(secret.encode()))


def _al(aad: bytes) -> bytes:
    return struct.pack(">Q", len(aad) * 8)


def _mac(key: Key, aad: bytes, iv: bytes, ct: bytes) -> bytes:
    mac = crypto_hmac.HMAC(key.mac_key, hashes.SHA512())
    mac.update(b"".join((aad, iv, ct, _al(aad))))
    return mac.finalize()[:32]


def floor_encode(claims: dict[str, Any], key: Key) -> str:
    """Encrypt `claims` as is (no iat/exp/jti added): the floor of an encode."""
    plaintext = json.dumps(claims, separators=(",", ":")).encode()
    pad = 16 - len(plaintext) % 16
    iv = os.urandom(16)
    enc = Cipher(algorithms.AES(key.enc_key), modes.CBC(iv)).encryptor()
    ct = enc.update(plaintext + bytes([pad]) * pad) + enc.finalize()
    aad = key.header_b64.encode()
    tag = _mac(key, aad, iv, ct)
    return f"{key.header_b64}..{_b64e(iv)}.{_b64e(ct)}.{_b64e(tag)}"


def floor_decode_crypto_only(token: str, key: Key) -> bytes:
    header, _, iv_b64, ct_b64, tag_b64 = token.split(".")
    iv, ct, tag = _b64d(iv_b64), _b64d(ct_b64), _b64d(tag_b64)
    aad = header.encode()
    if not hmac.compare_digest(_mac(key, aad, iv, ct), tag):
        raise ValueError("bad tag")
    dec = Cipher(algorithms.AES(key.enc_key), modes.CBC(iv)).decryptor()
    padded = dec.update(ct) + dec.finalize()
    return padded[: -padded[-1]]


def floor_decode(token: str, key: Key) -> Any:
    return json.loads(floor_decode_crypto_only(token, key))


def mint(
    claims: dict[str, Any], secrets: Sequence[str], salt: str, *, now: int, max_age: int
) -> str:
    """A token exactly as @auth/core's `encode` makes it, keyed by `secrets[0]`."""
    body = {**claims, "iat": now, "exp": now + max_age, "jti": str(uuid.uuid4())}
    return floor_encode(body, derive(secrets[0], salt))
