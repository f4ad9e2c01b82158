"""Session tokens in the Auth.js wire format (Auth.js `src/jwt.ts`), readable by both sides.

A token is a compact JWE, ``alg: dir`` + ``enc: A256CBC-HS512``, under a key
derived from the secret with HKDF-SHA256 (salt = the cookie name, info = ``Auth.js
Generated Encryption Key (<salt>)``). The header carries ``kid``, the RFC 7638
thumbprint of that key, so a list of rotated secrets costs one lookup. ``decode``
also reads ``A256GCM`` tokens from older @auth/core (32-byte key = the first half
of the same HKDF output), and ``decode_v4`` reads NextAuth v4 cookies.

Deliberate difference from Auth.js (docs/differences.md row 4): a token without ``kid`` is tried
against every secret, not only the first one.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any, Final
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ._cookies import SessionStore, default_cookies, parse_cookie_header
from ._http import Request, decode_uri_component
from ._options import Limits
from ._random import uuid4
from .errors import MissingSecret
from .jose import jwa, jwe
from .jose._json import dumps, loads_object
from .jose.errors import InvalidToken
from .jose.jwk import oct_thumbprint

__all__ = [
    "DEFAULT_MAX_AGE",
    "InvalidToken",
    "decode",
    "decode_v4",
    "encode",
    "encode_v4",
    "get_token",
]

DEFAULT_MAX_AGE: Final = 30 * 24 * 60 * 60
"""Thirty days, in seconds, as in Auth.js."""
CLOCK_TOLERANCE: Final = 15
"""Seconds of clock skew allowed on ``exp`` and ``nbf`` (jose ``clockTolerance``)."""
DEFAULT_MAX_LENGTH: Final = jwe.DEFAULT_MAX_LENGTH

_V5_ENCS: Final = ("A256CBC-HS512", "A256GCM")
_KEY_SIZES: Final = {enc: jwa.ENCRYPTIONS[enc].key_size for enc in _V5_ENCS}
_V4_INFO: Final = b"NextAuth.js Generated Encryption Key"

Secret = str | Sequence[str]


def _hkdf(secret: str, salt: bytes, info: bytes, length: int) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info)
    return hkdf.derive(secret.encode("utf-8"))


@lru_cache(maxsize=128)
def _derived_key(secret: str, salt: str, length: int) -> tuple[bytes, str]:
    """The Auth.js key and its ``kid`` for one secret, salt and length (cached)."""
    info = f"Auth.js Generated Encryption Key ({salt})".encode()
    key = _hkdf(secret, salt.encode("utf-8"), info, length)
    return key, oct_thumbprint(key)


class _Keyring:
    """Every secret's key for one salt and size, in order, and indexed by ``kid``."""

    __slots__ = ("by_kid", "keys")

    def __init__(self, pairs: Iterable[tuple[bytes, str]]) -> None:
        self.keys: tuple[bytes, ...] = ()
        self.by_kid: dict[str, bytes] = {}
        for key, kid in pairs:
            self.keys += (key,)
            self.by_kid.setdefault(kid, key)


@lru_cache(maxsize=128)
def _keyring(secrets: tuple[str, ...], salt: str, length: int) -> _Keyring:
    return _Keyring(_derived_key(secret, salt, length) for secret in secrets)


@lru_cache(maxsize=16)
def _v4_keys(secrets: tuple[str, ...]) -> tuple[bytes, ...]:
    return tuple(_hkdf(secret, b"", _V4_INFO, 32) for secret in secrets)


def _secrets(secret: Secret) -> tuple[str, ...]:
    """Normalise ``secret``; a missing secret is a configuration error, not a bad token."""
    secrets = (secret,) if isinstance(secret, str) else tuple(secret)
    if not secrets or not all(isinstance(s, str) and s.strip() for s in secrets):
        raise ValueError("a non-empty secret (or list of secrets) is required")
    return secrets


def _claims(token: Mapping[str, Any], max_age: int, now: float | None) -> bytes:
    # Auth.js `src/jwt.ts`: iat/exp/jti overwrite caller values, keeping their position if
    # present and appending otherwise, as jose's EncryptJWT setters do.
    issued = math.floor(time.time() if now is None else now)
    payload = dict(token)
    payload["iat"] = issued
    payload["exp"] = issued + max_age
    payload["jti"] = uuid4()
    return dumps(payload)


def _is_number(value: Any) -> bool:
    return type(value) in (int, float) and math.isfinite(value)


def _payload(plaintext: bytes, now: float | None) -> dict[str, Any]:
    try:
        payload = loads_object(plaintext)
    except ValueError:
        raise InvalidToken("bad_payload") from None
    # jose compares against whole seconds: floor(now) (Auth.js `src/jwt.ts`).
    current = math.floor(time.time() if now is None else now)
    for claim in ("iat", "nbf", "exp"):
        if claim in payload and not _is_number(payload[claim]):
            raise InvalidToken("bad_claims")
    if "exp" in payload and payload["exp"] <= current - CLOCK_TOLERANCE:
        raise InvalidToken("expired")
    if "nbf" in payload and payload["nbf"] > current + CLOCK_TOLERANCE:
        raise InvalidToken("not_yet_valid")
    return payload


def encode(
    *,
    token: Mapping[str, Any],
    secret: Secret,
    salt: str,
    max_age: int = DEFAULT_MAX_AGE,
    now: float | None = None,
) -> str:
    """Encrypt ``token`` as Auth.js ``encode`` does; the first secret encrypts.

    ``now`` (seconds) replaces the clock; ``ValueError``/``TypeError`` if the
    claims are not JSON (NaN, infinities, unknown types).
    """
    return encode_with(_secrets(secret)[0], salt, token, max_age=max_age, now=now)


def encode_with(
    secret: str, salt: str, token: Mapping[str, Any], *, max_age: int, now: float | None
) -> str:
    """`encode` for callers holding an already checked secret (the core's `Options`)."""
    key, kid = _derived_key(secret, salt, _KEY_SIZES["A256CBC-HS512"])
    return jwe.encrypt_compact(_claims(token, max_age, now), key, kid=kid)


def decode(
    *,
    token: str,
    secret: Secret,
    salt: str,
    now: float | None = None,
    max_length: int = DEFAULT_MAX_LENGTH,
) -> dict[str, Any]:
    """Decrypt and check an Auth.js token; ``InvalidToken`` on any failure.

    The secret whose key thumbprint equals the header ``kid`` decrypts; a token
    without ``kid`` is tried with every secret in order. ``exp`` and ``nbf`` are
    checked with 15 s of tolerance.
    """
    return decode_with(_secrets(secret), salt, token, now=now, max_length=max_length)


@lru_cache(maxsize=128)
def _resolver(secrets: tuple[str, ...], salt: str) -> jwe.KeyResolver:
    """The key resolver of one secret list and salt, built once."""

    def keys(header: Mapping[str, str]) -> Iterable[bytes]:
        ring = _keyring(secrets, salt, _KEY_SIZES[header["enc"]])
        kid = header.get("kid")
        if kid is None:
            return ring.keys
        key = ring.by_kid.get(kid)
        return () if key is None else (key,)

    return keys


def decode_with(
    secrets: tuple[str, ...],
    salt: str,
    token: str,
    *,
    now: float | None,
    max_length: int = DEFAULT_MAX_LENGTH,
) -> dict[str, Any]:
    """`decode` for callers holding an already checked secret tuple (the core's `Options`)."""
    _, plaintext = jwe.decrypt_compact(
        token, _resolver(secrets, salt), allowed_enc=_V5_ENCS, max_length=max_length
    )
    return _payload(plaintext, now)


def encode_v4(
    *,
    token: Mapping[str, Any],
    secret: Secret,
    max_age: int = DEFAULT_MAX_AGE,
    now: float | None = None,
) -> str:
    """Encrypt as NextAuth.js v4 did: A256GCM, no ``kid``, HKDF with an empty salt."""
    key = _v4_keys(_secrets(secret)[:1])[0]
    return jwe.encrypt_compact(_claims(token, max_age, now), key, enc="A256GCM")


def decode_v4(
    *,
    token: str,
    secret: Secret,
    now: float | None = None,
    max_length: int = DEFAULT_MAX_LENGTH,
) -> dict[str, Any]:
    """Decrypt a NextAuth.js v4 token, trying every secret; ``InvalidToken`` otherwise."""
    keys = _v4_keys(_secrets(secret))
    _, plaintext = jwe.decrypt_compact(
        token, lambda _header: keys, allowed_enc=("A256GCM",), max_length=max_length
    )
    return _payload(plaintext, now)


# ---- getToken: the session token of a request -------------------------------------------
# `@auth/core/jwt` exports it beside encode/decode.

_LIMITS = Limits()


def _bearer(request: Request) -> str | None:
    header = request.header("authorization")
    if header is None or not header.startswith("Bearer "):
        return None
    # decodeURIComponent throws on bad escapes; Auth.js then returns null
    # (Auth.js commit e707770f).
    return decode_uri_component(header[len("Bearer ") :].strip()) or None


def get_token(
    request: Request,
    *,
    secret: str | list[str],
    secure_cookie: bool | None = None,
    cookie_name: str | None = None,
    salt: str | None = None,
    raw: bool = False,
    now: float | None = None,
) -> Any:
    """The decoded session token of a request (cookie, chunked or not, else
    `Authorization: Bearer`), the raw string with `raw=True`, or None."""
    if not secret:
        raise MissingSecret("Must pass `secret` if not set to JWT getToken()")
    if secure_cookie is None:
        secure_cookie = urlsplit(request.url).scheme.lower() == "https"
    cookie_def = default_cookies(secure_cookie).session_token
    if cookie_name is not None:
        cookie_def = type(cookie_def)(cookie_name, secure=cookie_def.secure)
    header = request.cookie_header
    token: str | None = None
    if len(header) <= _LIMITS.max_cookie_header_bytes:
        jar = parse_cookie_header(header, max_cookies=_LIMITS.max_cookies)
        store = SessionStore(cookie_def, jar, _LIMITS)
        if store.invalid:
            return None
        token = store.value or None
    if token is None:
        token = _bearer(request)
    if token is None or len(token) > _LIMITS.max_token_chars:
        return None
    if raw:
        return token
    try:
        return decode(
            token=token,
            secret=secret,
            salt=salt if salt is not None else cookie_def.name,
            now=now,
            max_length=_LIMITS.max_token_chars,
        )
    except Exception:
        return None
