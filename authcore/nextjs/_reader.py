"""`NextAuthReader`: reads a Next.js app's session cookie (or Bearer token) and checks its
CSRF cookie, with the app's secret."""

from __future__ import annotations

import inspect
import logging
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Literal

from .. import jwt as _jwt
from .._cookies import CookieDef, ParsedCookies, SessionStore, parse_cookie_header
from .._csrf import resolve_csrf
from .._http import Request, decode_uri_component
from .._options import Limits
from ..errors import ConfigError
from ._secrets import normalise_secrets
from ._session import (
    DatabaseSessionToken,
    Generation,
    ReadReason,
    ReadResult,
    SecureMode,
    Session,
    SessionUser,
    TokenGeneration,
    session_of_claims,
)

__all__ = ["NextAuthReader", "SessionReader"]

_log = logging.getLogger("authcore.nextjs")

_V5_SESSION: Final = "authjs.session-token"
_V4_SESSION: Final = "next-auth.session-token"
_V5_CSRF: Final = "authjs.csrf-token"
_V4_CSRF: Final = "next-auth.csrf-token"
_SECURE: Final = "__Secure-"
_HOST: Final = "__Host-"

# Database-strategy session ids: v5 `crypto.randomUUID()`, v4 `randomUUID()` or 32 random
# bytes as hex; custom `generateSessionToken`s are usually similar opaque strings.
_OPAQUE_ID = re.compile(r"[A-Za-z0-9_\-]{16,512}")
_JWS = re.compile(r"[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*")
_CSRF_TOKEN_MAX = 128
_SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


@dataclass(frozen=True, slots=True)
class _Candidate:
    name: str  # the session cookie's base name
    decoders: tuple[TokenGeneration, ...]  # tried in this order


def _classify_opaque(value: str) -> ReadReason:
    """Why a value that is not a 5-part compact JWE is not a session."""
    if _OPAQUE_ID.fullmatch(value):
        return "database_session"
    if _JWS.fullmatch(value):
        return "signed_jwt"
    return "malformed"


class NextAuthReader:
    """Reads a Next.js app's session; configure once, call ``read(request)`` per request.

    - ``secret``: the app's ``AUTH_SECRET`` / ``NEXTAUTH_SECRET``; a list when rotating
      (every one is tried). ``None`` reads them from the environment (`secrets_from_env`).
    - ``generation``: ``"v5"`` (``authjs.*`` cookies), ``"v4"`` (``next-auth.*``) or
      ``"auto"`` (both; v5 wins when both are present). Pin it in production: in auto
      mode a stale v4 cookie from before a migration is still read until it expires.
    - ``cookie_name``: the full session cookie name when the app renamed it (its chunks are
      read too); ``secure`` picks the ``__Secure-`` names (``"auto"``: whichever arrived,
      the prefixed one first; behind a TLS-terminating proxy the request URL says
      nothing about what the browser saw, so the cookie name is the only evidence).
    - ``salt``: v5 only, defaults to the cookie name, as Auth.js does.
    - ``bearer``: fall back to ``Authorization: Bearer <jwe>`` when no cookie is present.
    - ``csrf_cookie_name``: the CSRF cookie when the app renamed it.
    - ``store``: when the app uses database sessions, a blocking store on the same database
      (e.g. `authcore.stores.sqlalchemy.SQLAlchemyStore`): an opaque session id is then
      looked up there, read-only (an expired row is no session; the app deletes it).
    - ``now``: a clock (unix seconds) for tests.
    """

    def __init__(
        self,
        secret: str | Sequence[str] | None = None,
        *,
        generation: Generation = "auto",
        cookie_name: str | None = None,
        secure: SecureMode = "auto",
        salt: str | None = None,
        bearer: bool = True,
        csrf_cookie_name: str | None = None,
        on_database_session: Literal["warn", "raise", "ignore"] = "warn",
        limits: Limits | None = None,
        now: Callable[[], float] | None = None,
        store: Any = None,
    ) -> None:
        if generation not in ("auto", "v5", "v4"):
            raise ConfigError("generation must be 'auto', 'v5' or 'v4'", option="generation")
        if secure not in ("auto", True, False):
            raise ConfigError("secure must be 'auto', True or False", option="secure")
        if salt is not None and generation == "v4":
            raise ConfigError("salt applies to v5 tokens only (v4 has none)", option="salt")
        if on_database_session not in ("warn", "raise", "ignore"):
            raise ConfigError(
                "on_database_session must be 'warn', 'raise' or 'ignore'",
                option="on_database_session",
            )
        for option, value in (("cookie_name", cookie_name), ("csrf_cookie_name", csrf_cookie_name)):
            if value is not None and (not value or any(c in value for c in ";=, \t")):
                raise ConfigError(f"{option} is not a valid cookie name", option=option)
        self.secrets = normalise_secrets(secret)
        self.generation: Generation = generation
        self.secure: SecureMode = secure
        self.salt = salt
        self.bearer = bearer
        self.on_database_session = on_database_session
        self.limits = limits or Limits()
        self._now = now
        self.store = store
        self._warned = False
        self._candidates = self._session_candidates(cookie_name)
        self._csrf_names = self._csrf_candidates(csrf_cookie_name)

    def __repr__(self) -> str:  # never show the secrets
        return f"<NextAuthReader generation={self.generation!r} secure={self.secure!r}>"

    # -- configuration -------------------------------------------------------------------

    def _generations(self) -> tuple[TokenGeneration, ...]:
        return ("v5", "v4") if self.generation == "auto" else (self.generation,)

    def _prefixed(self, base: str, prefix: str) -> list[str]:
        if self.secure == "auto":
            return [prefix + base, base]
        return [prefix + base] if self.secure else [base]

    def _session_candidates(self, cookie_name: str | None) -> tuple[_Candidate, ...]:
        if cookie_name is not None:
            if self.generation == "auto":
                # A renamed cookie says nothing about the generation: try the likelier first.
                order: tuple[TokenGeneration, ...] = (
                    ("v4", "v5") if "next-auth" in cookie_name else ("v5", "v4")
                )
            else:
                order = (self.generation,)
            return (_Candidate(cookie_name, order),)
        out: list[_Candidate] = []
        for gen in self._generations():
            base = _V5_SESSION if gen == "v5" else _V4_SESSION
            out.extend(_Candidate(name, (gen,)) for name in self._prefixed(base, _SECURE))
        return tuple(out)

    def _csrf_candidates(self, csrf_cookie_name: str | None) -> tuple[str, ...]:
        if csrf_cookie_name is not None:
            return (csrf_cookie_name,)
        out: list[str] = []
        for gen in self._generations():
            out.extend(self._prefixed(_V5_CSRF if gen == "v5" else _V4_CSRF, _HOST))
        return tuple(out)

    @property
    def session_cookie_names(self) -> tuple[str, ...]:
        """The session cookie names looked for, in order of preference."""
        return tuple(c.name for c in self._candidates)

    @property
    def csrf_cookie_names(self) -> tuple[str, ...]:
        return self._csrf_names

    # -- reading -------------------------------------------------------------------------

    def read(self, request: Request) -> Session | None:
        """The session, or ``None`` (no cookie, bad token, expired, database session...)."""
        return self.inspect(request).session

    def read_token(self, request: Request) -> dict[str, Any] | None:
        """The decrypted claims, like Auth.js ``getToken``; ``None`` when there is no session."""
        return self.inspect(request).token

    def inspect(self, request: Request) -> ReadResult:
        """Like ``read`` but says why there is no session (``ReadResult.reason``)."""
        try:
            result = self._inspect(request.cookie_header, request.header_all("authorization"))
        except Exception as exc:  # fail closed on anything unforeseen (GHSA-8fpg-xm3f-6cx3)
            _log.warning("NEXTAUTH_READ_FAILED %s", type(exc).__name__)
            return ReadResult(None, "malformed")
        if result.reason == "database_session" and self.store is None:
            self._database_session()
        return result

    def _from_store(self, value: str, candidate: _Candidate) -> ReadResult:
        """A database session id looked up in `store` (fail closed on any problem)."""
        try:
            found = self.store.get_session_and_user(value)
            if inspect.isawaitable(found):
                close = getattr(found, "close", None)
                if callable(close):
                    close()
                raise TypeError("NextAuthReader needs a blocking store, not an async one")
        except Exception as exc:
            _log.warning("NEXTAUTH_STORE_FAILED %s", type(exc).__name__)
            return ReadResult(None, "database_session", candidate.name)
        if not isinstance(found, Mapping):
            return ReadResult(None, "invalid_token", candidate.name)
        session, user = found.get("session") or {}, found.get("user") or {}
        expires = session.get("expires")
        if not isinstance(expires, datetime) or expires.utcoffset() is None:
            return ReadResult(None, "invalid_token", candidate.name)
        now = self._now() if self._now is not None else time.time()
        if expires.timestamp() < now:
            return ReadResult(None, "expired", candidate.name)

        def text(key: str) -> str | None:
            item = user.get(key)
            return item if isinstance(item, str) else None

        who = SessionUser(
            id=text("id"), name=text("name"), email=text("email"), image=text("image")
        )
        result = Session(who, expires, {}, candidate.decoders[0], "cookie", candidate.name)
        return ReadResult(result, None, candidate.name)

    def _database_session(self) -> None:
        if self.on_database_session == "raise":
            raise DatabaseSessionToken(
                "the session cookie holds a database session id, not a JWT: set "
                'session: { strategy: "jwt" } in the Next.js app to share sessions'
            )
        if self.on_database_session == "warn" and not self._warned:
            self._warned = True
            _log.warning(
                "NEXTAUTH_DATABASE_SESSION: the Next.js app uses database sessions; "
                "authcore can only read JWT sessions (session.strategy = 'jwt')"
            )

    def _parsed(self, cookie_header: str) -> ParsedCookies | None:
        if len(cookie_header) > self.limits.max_cookie_header_bytes:
            return None
        return parse_cookie_header(cookie_header, max_cookies=self.limits.max_cookies)

    def _inspect(self, cookie_header: str, authorization: list[str]) -> ReadResult:
        cookies = self._parsed(cookie_header)
        if cookies is None:
            return ReadResult(None, "invalid_cookie")
        for candidate in self._candidates:
            store = SessionStore(CookieDef(candidate.name), cookies, self.limits)
            if not store.present:
                continue
            # The first generation/name present decides; an invalid one never falls through
            # to a weaker candidate (fail closed).
            if store.invalid:
                dup = any(
                    n == candidate.name or n.startswith(candidate.name + ".")
                    for n in cookies.duplicates
                )
                return ReadResult(
                    None, "duplicate_cookie" if dup else "invalid_cookie", candidate.name
                )
            value = store.value
            if (
                self.store is not None
                and value.count(".") != 4
                and _classify_opaque(value) == "database_session"
            ):
                return self._from_store(value, candidate)
            salts = (self.salt or candidate.name,)
            return self._decode(value, candidate.decoders, salts, "cookie", candidate.name)
        if not self.bearer or not authorization:
            return ReadResult(None, "no_token")
        return self._bearer(authorization)

    def _bearer(self, authorization: list[str]) -> ReadResult:
        if len(authorization) != 1:
            return ReadResult(None, "bad_bearer")
        scheme, _, raw = authorization[0].strip().partition(" ")
        if scheme.lower() != "bearer":
            return ReadResult(None, "no_token")
        raw = raw.strip()
        if not raw or len(raw) > self.limits.max_token_chars * 3:
            return ReadResult(None, "bad_bearer")
        # Auth.js getToken decodeURIComponent()s the bearer value (Auth.js `src/jwt.ts`).
        value = decode_uri_component(raw)
        if value is None:
            return ReadResult(None, "bad_bearer")
        if self._candidates and len(self._candidates) == 1:
            only = self._candidates[0]
            decoders = only.decoders
            salts: tuple[str, ...] = (self.salt or only.name,)
        else:
            decoders = self._generations()
            # The forwarded cookie value was sealed with its cookie name as salt.
            v5_names = tuple(c.name for c in self._candidates if "v5" in c.decoders)
            salts = (self.salt,) if self.salt else v5_names
        return self._decode(value, decoders, salts, "bearer", None)

    def _decode(
        self,
        value: str,
        decoders: tuple[TokenGeneration, ...],
        salts: tuple[str, ...],
        source: Literal["cookie", "bearer"],
        cookie_name: str | None,
    ) -> ReadResult:
        if len(value) > self.limits.max_token_chars:
            return ReadResult(None, "invalid_cookie", cookie_name)
        if value.count(".") != 4:
            return ReadResult(None, _classify_opaque(value), cookie_name)
        now = None if self._now is None else self._now()
        error = "no_matching_key"
        for gen in decoders:
            for salt in salts if gen == "v5" else ("",):
                try:
                    if gen == "v5":
                        claims = _jwt.decode(
                            token=value,
                            secret=self.secrets,
                            salt=salt,
                            now=now,
                            max_length=self.limits.max_token_chars,
                        )
                    else:
                        claims = _jwt.decode_v4(
                            token=value,
                            secret=self.secrets,
                            now=now,
                            max_length=self.limits.max_token_chars,
                        )
                except _jwt.InvalidToken as exc:
                    # An expired token that did decrypt is the most telling error to keep.
                    if error != "expired":
                        error = exc.code
                    continue
                return ReadResult(
                    session_of_claims(claims, gen, source, cookie_name), None, cookie_name
                )
        reason: ReadReason = "expired" if error == "expired" else "invalid_token"
        return ReadResult(None, reason, cookie_name, error)

    # -- CSRF ----------------------------------------------------------------------------

    def verify_csrf(self, request: Request, header_name: str = "x-csrf-token") -> bool:
        """Double-submit check for a cookie-authenticated mutation from the Next.js app.

        The front end sends the token from ``getCsrfToken()`` (``GET /api/auth/csrf``) in
        ``header_name``; the browser sends the app's CSRF cookie ``<token>|<hash>``. Valid
        when the cookie's hash is ``sha256(token + secret)`` for one of the secrets (or all of
        them comma-joined, as Auth.js hashes a list, Auth.js
        `src/lib/actions/callback/oauth/csrf-token.ts`) and the header equals the token.
        Constant-time throughout (docs/security.md#what-authcore-defends-and-how); a missing,
        duplicated or oversize value is ``False``. Safe methods are not exempted here: that is the
        caller's choice.
        """
        try:
            return self._verify_csrf(request, header_name)
        except Exception as exc:  # fail closed
            _log.warning("NEXTAUTH_CSRF_FAILED %s", type(exc).__name__)
            return False

    def _verify_csrf(self, request: Request, header_name: str) -> bool:
        headers = request.header_all(header_name)
        if len(headers) != 1:
            return False
        submitted = headers[0].strip()
        if not submitted or len(submitted) > _CSRF_TOKEN_MAX:
            return False
        cookies = self._parsed(request.cookie_header)
        if cookies is None:
            return False
        cookie = None
        for name in self._csrf_names:
            if name in cookies.duplicates:
                return False
            if name in cookies.values:
                cookie = cookies.values[name]
                break
        if cookie is None:
            return False
        # The core's own double-submit rule (Auth.js
        # `src/lib/actions/callback/oauth/csrf-token.ts`), the header standing in for the form.
        state = resolve_csrf(
            cookie=cookie, secrets=self.secrets, is_post=True, body_token=submitted
        )
        return state.verified

    def csrf_required(self, request: Request, header_name: str = "x-csrf-token") -> bool:
        """``True`` when ``request`` is an unsafe method that fails the CSRF check."""
        if request.method in _SAFE_METHODS:
            return False
        return not self.verify_csrf(request, header_name)


SessionReader = NextAuthReader
"""Alias: the same reader under a framework-neutral name."""
