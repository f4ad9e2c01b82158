"""State, PKCE and nonce, kept in sealed cookies exactly as Auth.js keeps them (Auth.js
`src/lib/actions/callback/oauth/checks.ts`).

Each cookie value is `jwt.encode({value, provider}, salt=<cookie name>, max_age=900)`, so a
check cookie is bound to its provider (GHSA-x445-f3h2-j279) and can never pass as another
kind of token (its key is derived from its own name, CVE-2023-48309). The state parameter is
itself a JWE (salt `encodedState`, Auth.js `src/lib/actions/signin/authorization-url.ts`) and
must equal the state sealed in *this browser's* cookie (RFC 9700 §4.7): a missing cookie fails.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, replace

from .. import jwt
from .._cookies import Cookie, CookieDef, ParsedCookies
from ..errors import InvalidCheck
from ..jose import base64url
from ._env import CheckEnv

__all__ = [
    "CHECK_MAX_AGE",
    "Check",
    "pkce_challenge",
    "random_token",
    "seal",
    "state_param",
    "unseal",
]

CHECK_MAX_AGE = 900  # 15 minutes, Auth.js `src/lib/actions/callback/oauth/checks.ts`
STATE_SALT = "encodedState"


def random_token() -> str:
    """32 random bytes in base64url (43 chars), like oauth4webapi's generators."""
    return base64url.encode(secrets.token_bytes(32))


def pkce_challenge(verifier: str) -> str:
    """RFC 7636 §4.2 S256 (never `plain`)."""
    return base64url.encode(hashlib.sha256(verifier.encode("ascii")).digest())


def state_param(env: CheckEnv, origin: str | None = None) -> str:
    """The `state` value: a JWE of `{origin?, random}` (Auth.js `checks.ts` `state.create`);
    `origin` is the callback URL a redirect proxy forwards to."""
    payload = (
        {"random": random_token()}
        if origin is None
        else {"origin": origin, "random": random_token()}
    )
    return jwt.encode(
        token=payload,
        secret=env.secrets,
        salt=STATE_SALT,
        max_age=CHECK_MAX_AGE,
        now=env.now(),
    )


@dataclass(frozen=True)
class Check:
    """One check kind: its Auth.js name (used in error messages) and its cookie."""

    name: str  # "state", "pkceCodeVerifier", "nonce"
    cookie: CookieDef


def checks_for(env: CheckEnv, *, cross_site: bool = False) -> dict[str, Check]:
    """`cross_site`: the provider POSTs the callback (`response_mode=form_post`), a
    cross-site POST that carries only `SameSite=None; Secure` cookies. Auth.js relaxes state
    and nonce only (`@auth/core@0.41.3` `packages/core/src/lib/actions/signin/
    authorization-url.ts`); the PKCE verifier needs it as much, so it is relaxed too."""
    c = env.cookies
    defs = [c.state, c.pkce_code_verifier, c.nonce]
    if cross_site:
        defs = [replace(d, same_site="none", secure=True) for d in defs]
    return {
        "state": Check("state", defs[0]),
        "pkce": Check("pkceCodeVerifier", defs[1]),
        "nonce": Check("nonce", defs[2]),
    }


def seal(env: CheckEnv, check: Check, value: str, provider_id: str) -> Cookie:
    now = env.now()
    sealed = jwt.encode(
        token={"value": value, "provider": provider_id},
        secret=env.secrets,
        salt=check.cookie.name,
        max_age=CHECK_MAX_AGE,
        now=now,
    )
    return check.cookie.make(sealed, expires=now + CHECK_MAX_AGE)


def unseal(env: CheckEnv, check: Check, cookies: ParsedCookies, provider_id: str) -> str:
    """The value sealed in this request's cookie for this provider, or `InvalidCheck`."""
    name = check.cookie.name
    raw = cookies.values.get(name)
    failure = f"{check.name} value could not be parsed"
    if raw is None:
        raise InvalidCheck(f"{failure}: the {name} cookie is missing", check=check.name)
    # docs/differences.md#other-deliberate-choices: a planted twin makes it ambiguous
    if name in cookies.duplicates:
        raise InvalidCheck(f"{failure}: the {name} cookie was sent twice", check=check.name)
    if len(raw) > env.limits.max_check_cookie_chars:
        raise InvalidCheck(f"{failure}: the {name} cookie is too large", check=check.name)
    try:
        payload = jwt.decode(token=raw, secret=env.secrets, salt=name, now=env.now())
    except jwt.InvalidToken as exc:
        raise InvalidCheck(
            f"{failure}: the {name} cookie is invalid or expired ({exc.code})", check=check.name
        ) from None
    value = payload.get("value")
    if not isinstance(value, str) or not value:
        raise InvalidCheck(f"{failure}: the {name} cookie holds no value", check=check.name)
    provider = payload.get("provider")
    if not isinstance(provider, str) or not same(provider, provider_id):
        raise InvalidCheck(
            f"{failure}: the {name} cookie belongs to another provider", check=check.name
        )
    return value


def same(a: str, b: str) -> bool:
    """Constant-time string equality (docs/security.md#what-authcore-defends-and-how)."""
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))
