"""Authorization codes and access tokens issued by the mock (thread-safe)."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field

from ._models import Flavour, InstagramUser, OAuth2User, OIDCUser

__all__ = ["Grant", "RefreshToken", "Store", "Token"]

User = InstagramUser | OAuth2User | OIDCUser


@dataclass
class Grant:
    """What the authorize step promised; redeemed once at the token endpoint."""

    code: str
    flavour: Flavour
    client_id: str
    redirect_uri: str
    scope: list[str]
    user: User
    issued_at: float
    expires_at: float
    nonce: str | None = None
    code_challenge: str | None = None
    used: bool = False
    tokens: list[str] = field(default_factory=list)


@dataclass
class Token:
    value: str
    flavour: Flavour
    client_id: str
    user: User
    scope: list[str]
    issued_at: float
    expires_at: float | None
    long_lived: bool = False  # Instagram's 60-day token


@dataclass
class RefreshToken:
    """RFC 6749 §6; single use: each refresh rotates it (RFC 9700 §4.14.2)."""

    flavour: Flavour
    client_id: str
    user: User
    scope: list[str]
    used: bool = False


_PREFIX = {"instagram": "IGAAmock", "oauth2": "gho_", "oidc": "", "scripted": "mock_"}


class Store:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._grants: dict[str, Grant] = {}
        self._tokens: dict[str, Token] = {}
        self._refresh: dict[str, RefreshToken] = {}
        self._consents: set[tuple[str, str]] = set()
        self._assertions: set[str] = set()

    def clear(self) -> None:
        with self._lock:
            self._grants.clear()
            self._tokens.clear()
            self._refresh.clear()
            self._consents.clear()
            self._assertions.clear()

    def issue_refresh(self, flavour: Flavour, client_id: str, user: User, scope: list[str]) -> str:
        value = "rt-" + secrets.token_urlsafe(32)
        with self._lock:
            self._refresh[value] = RefreshToken(flavour, client_id, user, list(scope))
        return value

    def use_refresh(self, value: str, flavour: Flavour) -> tuple[RefreshToken | None, bool]:
        """(the refresh token, first use); a second use finds it spent."""
        with self._lock:
            found = self._refresh.get(value)
            if found is None or found.flavour != flavour:
                return None, False
            first = not found.used
            found.used = True
            return found, first

    def first_consent(self, client_id: str, login: str) -> bool:
        """True the first time this client meets this user."""
        with self._lock:
            first = (client_id, login) not in self._consents
            self._consents.add((client_id, login))
            return first

    def use_assertion(self, jti: str) -> bool:
        """True the first time a client assertion's `jti` is seen (RFC 7523 §3 point 7)."""
        with self._lock:
            first = jti not in self._assertions
            self._assertions.add(jti)
            return first

    def add_grant(self, grant: Grant) -> None:
        with self._lock:
            self._grants[grant.code] = grant

    def redeem(self, code: str, *, replayable: bool = False) -> tuple[Grant | None, bool]:
        """Mark a code used. Returns (grant, first_use); a replayed code revokes the tokens
        issued from it (RFC 6749 §4.1.2), unless `replayable` (load tests: every use counts
        as the first)."""
        with self._lock:
            grant = self._grants.get(code)
            if grant is None:
                return None, False
            if replayable:
                grant.used = True
                return grant, True
            if grant.used:
                for value in grant.tokens:
                    self._tokens.pop(value, None)
                return grant, False
            grant.used = True
            return grant, True

    def issue(
        self,
        *,
        flavour: Flavour,
        client_id: str,
        user: User,
        scope: list[str],
        now: float,
        lifetime: float | None,
        long_lived: bool = False,
        grant: Grant | None = None,
        replayable: bool = False,
    ) -> Token:
        """A new token, tied to `grant`. With `replayable`, a grant that already has a live
        token gets that one again, so replaying a code does not grow the store."""
        if replayable and grant is not None:
            with self._lock:
                for old in reversed(grant.tokens):
                    found = self._tokens.get(old)
                    if found is not None and (found.expires_at is None or found.expires_at > now):
                        return found
        value = _PREFIX[flavour] + secrets.token_urlsafe(32)
        expires = None if lifetime is None else now + lifetime
        token = Token(value, flavour, client_id, user, list(scope), now, expires, long_lived)
        with self._lock:
            self._tokens[value] = token
            if grant is not None:
                grant.tokens.append(value)
        return token

    def token(self, value: str, flavour: Flavour) -> Token | None:
        with self._lock:
            token = self._tokens.get(value)
        return token if token is not None and token.flavour == flavour else None
