"""JWE compact serialisation (RFC 7516 §7.1) with ``alg: dir`` only (RFC 7518 §4.5).

Only what a shared-secret session token needs, so the header is an allow-list:
``alg`` must be ``dir``, ``enc`` one of the caller's allowed values, plus optional
``kid``/``typ``/``cty`` strings. Everything else is refused, which shuts out the
known JOSE traps in one rule (RFC 8725 §3.1): ``zip`` (decompression bombs),
``jwk``/``jku``/``x5u`` (key injection), ``crit``, PBES2 ``p2c`` (billion-hash DoS),
RSA or ``none``. Sizes are checked before any base64 or crypto work
(docs/security.md#resource-limits).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Collection, Iterable, Mapping
from functools import lru_cache
from types import MappingProxyType

from . import base64url, jwa
from ._json import loads_object
from .errors import InvalidToken

__all__ = [
    "DEFAULT_MAX_LENGTH",
    "MAX_HEADER_LENGTH",
    "KeyResolver",
    "decrypt_compact",
    "encrypt_compact",
]

DEFAULT_MAX_LENGTH = 16384
"""Longest compact JWE accepted, in characters (a 4-chunk session cookie fits)."""
MAX_HEADER_LENGTH = 1024
"""Longest protected-header segment accepted, in base64url characters."""

KeyResolver = Callable[[Mapping[str, str]], Iterable[bytes]]
"""Given the validated protected header, yield candidate keys in the order to try."""

_HEADER_MEMBERS = frozenset({"alg", "enc", "kid", "typ", "cty"})


@lru_cache(maxsize=64)
def _header_segment(enc: str, kid: str | None) -> str:
    # Key order and compactness match jose's output byte for byte: {"alg","enc","kid"}.
    header = {"alg": "dir", "enc": enc} if kid is None else {"alg": "dir", "enc": enc, "kid": kid}
    return base64url.encode(json.dumps(header, separators=(",", ":")).encode())


def encrypt_compact(
    plaintext: bytes,
    key: bytes,
    *,
    enc: jwa.Enc = "A256CBC-HS512",
    kid: str | None = None,
    iv: bytes | None = None,
) -> str:
    """Encrypt with ``alg: dir``; ``iv`` is random unless given (tests only)."""
    header = _header_segment(enc, kid)
    if iv is None:
        iv = os.urandom(jwa.ENCRYPTIONS[enc].iv_size)
    ciphertext, tag = jwa.encrypt(enc, key, iv=iv, plaintext=plaintext, aad=header.encode("ascii"))
    return ".".join(
        (header, "", base64url.encode(iv), base64url.encode(ciphertext), base64url.encode(tag))
    )


@lru_cache(maxsize=64)
def _parse_header(segment: str) -> Mapping[str, str]:
    # Cached: a server sees the same few header segments (one per kid) over and
    # over, so the hot path skips base64 and JSON work. Failures are not cached.
    try:
        header = loads_object(base64url.decode(segment))
    except ValueError:
        raise InvalidToken("malformed") from None
    if not header.keys() <= _HEADER_MEMBERS or header.get("alg") != "dir":
        raise InvalidToken("unsupported_header")
    if not all(type(value) is str for value in header.values()) or "enc" not in header:
        raise InvalidToken("unsupported_header")
    return MappingProxyType(header)


def decrypt_compact(
    token: str,
    keys: KeyResolver,
    *,
    allowed_enc: Collection[str] = ("A256CBC-HS512",),
    max_length: int = DEFAULT_MAX_LENGTH,
) -> tuple[Mapping[str, str], bytes]:
    """Return ``(protected header, plaintext)``; raise ``InvalidToken`` otherwise.

    Each key from ``keys(header)`` is tried in order; the first whose tag verifies
    wins. No key at all is ``no_matching_key``.
    """
    if not isinstance(token, str) or not token:
        raise InvalidToken("empty")
    if len(token) > max_length:
        raise InvalidToken("too_large")
    parts = token.split(".")
    if len(parts) != 5:
        raise InvalidToken("malformed")
    header_segment, encrypted_key, iv_segment, ciphertext_segment, tag_segment = parts
    if len(header_segment) > MAX_HEADER_LENGTH:
        raise InvalidToken("too_large")
    if encrypted_key:
        # RFC 7518 §4.5: with direct encryption the JWE Encrypted Key is empty.
        raise InvalidToken("unsupported_header")
    header = _parse_header(header_segment)
    enc = header["enc"]
    if enc not in allowed_enc or enc not in jwa.ENCRYPTIONS:
        raise InvalidToken("unsupported_header")
    # One alphabet check for the whole token instead of one per segment.
    b64 = (
        base64url._decode_alphabet_checked
        if base64url._is_alphabet(token, dots=True)
        else base64url.decode
    )
    try:
        iv = b64(iv_segment)
        ciphertext = b64(ciphertext_segment)
        tag = b64(tag_segment)
    except ValueError:
        raise InvalidToken("malformed") from None
    spec = jwa.ENCRYPTIONS[enc]
    if len(iv) != spec.iv_size or len(tag) != spec.tag_size:
        raise InvalidToken("malformed")
    aad = header_segment.encode("ascii")
    error: InvalidToken | None = None
    for key in keys(header):
        try:
            plaintext = jwa.decrypt(spec.name, key, iv=iv, ciphertext=ciphertext, tag=tag, aad=aad)
            return header, plaintext
        except InvalidToken as exc:
            error = exc
    raise error or InvalidToken("no_matching_key")
