"""Content encryption algorithms of RFC 7518 §5 that session tokens use.

- ``A256CBC-HS512`` (§5.2.5): Auth.js v5 writes this. The 64-byte key is split
  into an HMAC-SHA-512 key (first half) and an AES-256-CBC key (second half); the
  tag is HMAC(AAD || IV || ciphertext || AAD bit length) truncated to 32 bytes.
- ``A256GCM`` (§5.3): older @auth/core and NextAuth v4 tokens.

The CBC tag is checked in constant time *before* any decryption (§5.2.2.2), and a
padding error after a valid tag is reported exactly like a bad tag.
"""

from __future__ import annotations

import hmac
from functools import lru_cache
from typing import Final, Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.ciphers.algorithms import AES
from cryptography.hazmat.primitives.ciphers.modes import CBC

from .errors import InvalidToken

__all__ = ["ENCRYPTIONS", "Enc", "Encryption", "decrypt", "encrypt"]

Enc = Literal["A256CBC-HS512", "A256GCM"]


class Encryption:
    """Sizes (bytes) that a compact JWE must match exactly for one ``enc``."""

    __slots__ = ("iv_size", "key_size", "name", "tag_size")

    def __init__(self, name: Enc, key_size: int, iv_size: int, tag_size: int) -> None:
        self.name: Final = name
        self.key_size: Final = key_size
        self.iv_size: Final = iv_size
        self.tag_size: Final = tag_size


ENCRYPTIONS: Final[dict[str, Encryption]] = {
    "A256CBC-HS512": Encryption("A256CBC-HS512", 64, 16, 32),
    "A256GCM": Encryption("A256GCM", 32, 12, 16),
}


@lru_cache(maxsize=64)
def _cbc_keys(key: bytes) -> tuple[hmac.HMAC, AES]:
    # Keyed HMAC state and AES key schedule object, built once per key: a server
    # decrypts with the same few keys all day (docs/performance.md#where-the-time-goes).
    return hmac.new(key[:32], digestmod="sha512"), AES(key[32:])


@lru_cache(maxsize=64)
def _gcm(key: bytes) -> AESGCM:
    # An AESGCM object holds only its key (each call takes its own nonce): one per key.
    return AESGCM(key)


def _cbc_tag(mac: hmac.HMAC, aad: bytes, iv: bytes, ciphertext: bytes) -> bytes:
    mac = mac.copy()
    mac.update(b"".join((aad, iv, ciphertext, (len(aad) * 8).to_bytes(8, "big"))))
    return mac.digest()[:32]


def encrypt(
    enc: Enc, key: bytes, *, iv: bytes, plaintext: bytes, aad: bytes
) -> tuple[bytes, bytes]:
    """Return ``(ciphertext, tag)``. Sizes are the caller's contract (``ValueError``)."""
    spec = ENCRYPTIONS[enc]
    if len(key) != spec.key_size or len(iv) != spec.iv_size:
        raise ValueError(f"{enc} needs a {spec.key_size}-byte key and a {spec.iv_size}-byte IV")
    if enc == "A256GCM":
        sealed = _gcm(key).encrypt(iv, plaintext, aad)
        return sealed[:-16], sealed[-16:]
    mac, aes = _cbc_keys(key)
    pad = 16 - len(plaintext) % 16
    encryptor = Cipher(aes, CBC(iv)).encryptor()
    ciphertext = encryptor.update(plaintext + bytes((pad,)) * pad) + encryptor.finalize()
    return ciphertext, _cbc_tag(mac, aad, iv, ciphertext)


def decrypt(enc: Enc, key: bytes, *, iv: bytes, ciphertext: bytes, tag: bytes, aad: bytes) -> bytes:
    """Authenticate, then decrypt. Every failure is ``InvalidToken("bad_tag")``."""
    spec = ENCRYPTIONS[enc]
    if len(key) != spec.key_size or len(iv) != spec.iv_size or len(tag) != spec.tag_size:
        raise InvalidToken("malformed")
    if enc == "A256GCM":
        try:
            return _gcm(key).decrypt(iv, ciphertext + tag, aad)
        except InvalidTag:
            raise InvalidToken("bad_tag") from None
    if not ciphertext or len(ciphertext) % 16:
        raise InvalidToken("malformed")
    mac, aes = _cbc_keys(key)
    if not hmac.compare_digest(_cbc_tag(mac, aad, iv, ciphertext), tag):
        raise InvalidToken("bad_tag")
    decryptor = Cipher(aes, CBC(iv)).decryptor()
    padded = decryptor.update(ciphertext) + decryptor.finalize()
    pad = padded[-1]
    if not 1 <= pad <= 16 or padded[-pad:] != bytes((pad,)) * pad:
        raise InvalidToken("bad_tag")
    return padded[:-pad]
