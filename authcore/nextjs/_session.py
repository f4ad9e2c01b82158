"""What reading a Next.js session gives: the `Session` (claims included), or the reason
there is none (`ReadResult`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal

from ..errors import AuthError

__all__ = [
    "DatabaseSessionToken",
    "Generation",
    "ReadReason",
    "ReadResult",
    "SecureMode",
    "Session",
    "SessionUser",
    "TokenGeneration",
    "session_of_claims",
]

Generation = Literal["auto", "v5", "v4"]
TokenGeneration = Literal["v5", "v4"]
SecureMode = Literal["auto"] | bool

ReadReason = Literal[
    "no_token",  # no session cookie and no usable Authorization header
    # a session cookie name arrived twice (docs/differences.md#other-deliberate-choices)
    "duplicate_cookie",
    "invalid_cookie",  # plain cookie beside chunks, too many chunks, too long
    "database_session",  # an opaque session id: the app uses the database strategy
    "signed_jwt",  # a 3-part JWS: the app overrides `jwt.encode`; not an Auth.js token
    "malformed",  # not a compact JWE at all
    "invalid_token",  # a JWE no configured secret opens, or with bad claims
    "expired",  # `exp` passed (15 s tolerance)
    "bad_bearer",  # several Authorization headers, or bad percent-encoding
]
"""Why `inspect()` found no session (machine-readable; never contains token bytes)."""


class DatabaseSessionToken(AuthError):
    """The session cookie holds a database session id, not a JWT.

    Raised only by readers built with ``on_database_session="raise"``; by default the
    reader returns ``None`` and logs the warning code ``NEXTAUTH_DATABASE_SESSION`` once.
    The fix is on the Next.js side: ``session: { strategy: "jwt" }``.
    """

    type = "DatabaseSessionToken"


@dataclass(frozen=True, slots=True)
class SessionUser:
    """The user as Auth.js's default session callback exposes it, plus ``id`` (``sub``)."""

    id: str | None
    name: str | None
    email: str | None
    image: str | None


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in session read from the Next.js app's cookie (or a Bearer token).

    ``token`` is every decrypted claim (``sub``, ``iat``, ``exp``, ``jti`` and whatever the
    app's ``jwt`` callback added); ``expires`` comes from ``exp``.
    """

    user: SessionUser
    expires: datetime | None
    token: Mapping[str, Any] = field(repr=False)
    generation: TokenGeneration
    source: Literal["cookie", "bearer"]
    cookie_name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The `/api/auth/session` JSON shape of Auth.js (Auth.js `src/lib/actions/session.ts`),
        ``user.id`` included."""
        user = {
            "name": self.user.name,
            "email": self.user.email,
            "image": self.user.image,
            "id": self.user.id,
        }
        expires = None
        if self.expires is not None:
            expires = self.expires.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        return {"user": user, "expires": expires}


@dataclass(frozen=True, slots=True)
class ReadResult:
    """What `inspect()` found: a session, or the ``reason`` there is none."""

    session: Session | None
    reason: ReadReason | None
    cookie_name: str | None = None
    token_error: str | None = None  # `InvalidToken.code` when a JWE was rejected

    @property
    def token(self) -> dict[str, Any] | None:
        return None if self.session is None else dict(self.session.token)


def _str_claim(claims: Mapping[str, Any], key: str) -> str | None:
    value = claims.get(key)
    return value if isinstance(value, str) else None


def session_of_claims(
    claims: dict[str, Any],
    generation: TokenGeneration,
    source: Literal["cookie", "bearer"],
    cookie_name: str | None,
) -> Session:
    exp = claims.get("exp")
    expires = None
    if isinstance(exp, (int, float)) and not isinstance(exp, bool):
        try:
            expires = datetime.fromtimestamp(exp, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            expires = None
    user = SessionUser(
        id=_str_claim(claims, "sub") or _str_claim(claims, "id"),
        name=_str_claim(claims, "name"),
        email=_str_claim(claims, "email"),
        image=_str_claim(claims, "picture") or _str_claim(claims, "image"),
    )
    return Session(user, expires, claims, generation, source, cookie_name)
