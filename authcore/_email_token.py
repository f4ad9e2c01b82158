"""Email sign-in tokens and identifiers, as `@auth/core@0.41.3` makes them
(`packages/core/src/lib/actions/signin/send-token.ts`, `lib/utils/web.ts`).

The stored token is `sha256hex(raw + secret)`, with a list of secrets joined by `,` as
JavaScript's `String([...])` does, so a link issued by an Auth.js app on a shared database
is accepted here and the other way round.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from collections.abc import Sequence

__all__ = ["InvalidEmail", "form_encode", "hash_token", "new_token", "normalize_email"]

# RFC 5321 §4.5.3.1: a path is at most 256 octets with its angle brackets, a local part 64.
_MAX_ADDRESS = 254
_MAX_LOCAL = 64
_FORBIDDEN = frozenset('"<>()[]\\;:') | {" "}


class InvalidEmail(ValueError):
    """The submitted address cannot be mailed safely."""


def hash_token(token: str, secret: str | Sequence[str]) -> str:
    joined = secret if isinstance(secret, str) else ",".join(secret)
    return hashlib.sha256(f"{token}{joined}".encode()).hexdigest()


def new_token() -> str:
    """32 random bytes as 64 lower-case hex characters (Auth.js `randomString(32)`)."""
    return secrets.token_hex(32)


def normalize_email(value: object) -> str:
    """Auth.js's normaliser (NFKC, lower-case, trim, one `@`, domain cut at its first `,`),
    stricter where it lets a mailer misread the address: quotes, spaces, angle brackets,
    control characters (CRLF header injection) and overlong addresses are refused."""
    if not isinstance(value, str) or not value:
        raise InvalidEmail("Missing email from request body")
    if len(value) > 4 * _MAX_ADDRESS:  # before NFKC, which can expand a string
        raise InvalidEmail("The email address is too long")
    email = unicodedata.normalize("NFKC", value).lower().strip()
    if any(ord(c) < 0x20 or ord(c) == 0x7F or c in _FORBIDDEN for c in email):
        raise InvalidEmail("The email address has a character that is not allowed")
    if email.count("@") != 1:
        raise InvalidEmail("The email address must have exactly one @")
    local, domain = email.split("@")
    domain = domain.split(",")[0]
    if not local or not domain or "," in local:
        raise InvalidEmail("The email address needs a local part and a domain")
    if len(local) > _MAX_LOCAL or len(local) + 1 + len(domain) > _MAX_ADDRESS:
        raise InvalidEmail("The email address is too long")
    if "." not in domain.strip(".") or domain.startswith(".") or ".." in domain:
        raise InvalidEmail("The email address has no valid domain")
    return f"{local}@{domain}"


_BARE = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789*-._")


def form_encode(pairs: Sequence[tuple[str, str]]) -> str:
    """`URLSearchParams.toString()`: form encoding that keeps `*-._` and encodes `~`
    (Python's `quote_plus` does the opposite for both)."""

    def enc(s: str) -> str:
        return "".join(
            chr(b) if b in _BARE else "+" if b == 0x20 else f"%{b:02X}" for b in s.encode()
        )

    return "&".join(f"{enc(k)}={enc(v)}" for k, v in pairs)
