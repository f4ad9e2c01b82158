"""Double-submit CSRF token (Auth.js `src/lib/actions/callback/oauth/csrf-token.ts`).

Cookie value `<token>|sha256hex(token + String(secret))`; for a list of secrets Auth.js's
`String(array)` joins them with ",". We mint with exactly that value, so an Auth.js app
sharing the secret accepts our cookie, and we accept a cookie hashed with the joined list
OR with any single secret, so rotating secrets does not invalidate CSRF cookies
(deliberate fix of docs/differences.md row 3). Comparisons are constant-time
(docs/security.md#what-authcore-defends-and-how).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass

__all__ = ["CsrfState", "csrf_hash", "resolve_csrf"]


def csrf_hash(token: str, secret: str) -> str:
    return hashlib.sha256((token + secret).encode("utf-8")).hexdigest()


def _mint_secret(secrets: tuple[str, ...]) -> str:
    return ",".join(secrets)  # String(secret) in JS; a 1-element list is the secret itself


def _accepted(secrets: tuple[str, ...]) -> tuple[str, ...]:
    joined = _mint_secret(secrets)
    return (joined, *(s for s in secrets if s != joined))


@dataclass(frozen=True, slots=True)
class CsrfState:
    token: str
    cookie_value: str | None  # a new cookie to set, or None when the request's one is reused
    verified: bool


def resolve_csrf(
    *,
    cookie: str | None,
    secrets: tuple[str, ...],
    is_post: bool,
    body_token: object,
) -> CsrfState:
    """Reuse the request's token when its hash checks out, else mint a new one.

    `cookie` is None when absent or duplicated (a duplicate is never trusted). The token
    submitted in the body must equal the cookie's token; the query is never looked at.
    """
    if cookie is not None and "|" in cookie:
        token, _, given = cookie.partition("|")
        if token and len(token) <= 128:
            ok = False
            for secret in _accepted(secrets):
                ok |= hmac.compare_digest(csrf_hash(token, secret).encode(), given.encode())
            if ok:
                verified = (
                    is_post
                    and isinstance(body_token, str)
                    and hmac.compare_digest(token.encode(), body_token.encode("utf-8", "replace"))
                )
                return CsrfState(token, None, verified)
    # randomString(32), Auth.js `src/lib/actions/callback/oauth/csrf-token.ts`
    token = os.urandom(32).hex()
    value = f"{token}|{csrf_hash(token, _mint_secret(secrets))}"
    return CsrfState(token, value, False)
