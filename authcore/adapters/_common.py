"""What the adapters share: the session type and the sign-in redirect URL. No framework here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast
from urllib.parse import quote

from typing_extensions import TypedDict

from .._normalise import normalise

__all__ = [
    "Session",
    "SessionUser",
    "as_session",
    "base_path_of",
    "body_limit",
    "header_pairs",
    "signin_redirect",
    "uses_forwarded_host",
    "wants_redirect",
]


class SessionUser(TypedDict, total=False):
    name: str | None
    email: str | None
    image: str | None


class Session(TypedDict, total=False):
    """The `/session` JSON: `user` and `expires` (ISO 8601), plus whatever the `session`
    callback adds. Type those extra fields in a subclass (`class AppSession(Session,
    total=False): username: str`); FastAPI keeps them either way."""

    user: SessionUser
    expires: str


# Pydantic (FastAPI's `-> Session` response model) drops unknown keys of a TypedDict unless
# its config allows them: the fields a `session` callback adds must reach the client.
# A plain dict, so no pydantic import here; subclasses inherit it.
Session.__pydantic_config__ = {"extra": "allow"}  # type: ignore[attr-defined]
SessionUser.__pydantic_config__ = {"extra": "allow"}  # type: ignore[attr-defined]


def as_session(value: Mapping[str, Any] | None) -> Session | None:
    """The core returns a plain dict (or None); adapters hand out the typed view of it."""
    if not value:
        return None
    return cast(Session, dict(value))


def base_path_of(config: Mapping[str, Any]) -> str:
    """The core's own reading of the base path (`base_path`, else the path of `url` /
    AUTH_URL, else /api/auth); raises `ConfigError` on a bad config."""
    return normalise(config).base_path


def body_limit(config: Mapping[str, Any]) -> int:
    """Read at most this many body bytes: one more than the core accepts, so an oversized body
    still reaches the core (which answers it) without the adapter buffering all of it."""
    return normalise(config).limits.max_body_bytes + 1


def uses_forwarded_host(config: Mapping[str, Any]) -> bool:
    """Whether the core builds URLs on `X-Forwarded-Host` (`trust_host` and no configured
    `url` / AUTH_URL), so an adapter must vet it like the framework vets `Host`."""
    options = normalise(config)
    return options.trust_host and options.url_origin is None


def header_pairs(raw: Iterable[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
    """ASGI raw headers as str pairs, each repeated header (split Cookie) kept apart."""
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in raw]


def wants_redirect(method: str, accept: str | None) -> bool:
    """A signed-out request to a protected page: redirect a browser's page load (GET/HEAD
    asking for HTML or anything), answer 401 to an API call (another method, or an `Accept`
    that names JSON and not HTML)."""
    if method.upper() not in ("GET", "HEAD"):
        return False
    accept = (accept or "").lower()
    return not ("json" in accept and "text/html" not in accept)


def signin_redirect(base_path: str, path_and_query: str) -> str:
    """`<base>/signin?callbackUrl=<relative path>`: a relative callback, so the core's own
    same-origin rule decides where the user lands afterwards."""
    return f"{base_path}/signin?callbackUrl={quote(path_and_query, safe='')}"
