"""Internal, normalised settings shared by the actions (built once per config)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from ._http import Cookie

__all__ = [
    "CheckEnv",
    "CookieDef",
    "CookieDefs",
    "Limits",
    "Logger",
    "default_cookies",
]


class Logger(Protocol):
    def error(self, error: BaseException) -> None: ...
    def warn(self, code: str) -> None: ...
    def debug(self, message: str, metadata: Any = None) -> None: ...


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource caps (security.md §0.8). Every external input is bounded."""

    max_url_bytes: int = 8192
    max_header_bytes: int = 32768  # all headers together
    max_cookie_header_bytes: int = 16384
    max_cookies: int = 200
    max_body_bytes: int = 65536
    max_token_chars: int = 16384  # one JWE, session reassembled from chunks included
    max_session_chunks: int = 4
    max_check_cookie_chars: int = 2048
    max_callback_url_chars: int = 2048
    idp_timeout: float = 10.0
    idp_max_response_bytes: int = 1_048_576


@dataclass(frozen=True, slots=True)
class CookieDef:
    """A cookie name with its attributes (SPEC §3.1)."""

    name: str
    http_only: bool = True
    same_site: Literal["lax", "strict", "none"] = "lax"
    path: str = "/"
    secure: bool = False
    max_age: int | None = None
    domain: str | None = None

    def make(self, value: str, *, expires: float | None = None, name: str | None = None) -> Cookie:
        return self._cookie(name or self.name, value, self.max_age, expires)

    def clear(self, name: str | None = None) -> Cookie:
        return self._cookie(name or self.name, "", 0, None)

    def _cookie(self, name: str, value: str, max_age: int | None, expires: float | None) -> Cookie:
        return Cookie(
            name=name,
            value=value,
            path=self.path,
            http_only=self.http_only,
            secure=self.secure,
            same_site=self.same_site,
            max_age=max_age,
            expires=expires,
            domain=self.domain,
        )


@dataclass(frozen=True, slots=True)
class CookieDefs:
    session_token: CookieDef
    callback_url: CookieDef
    csrf_token: CookieDef
    pkce_code_verifier: CookieDef
    state: CookieDef
    nonce: CookieDef


def default_cookies(secure: bool) -> CookieDefs:
    """Auth.js's `defaultCookies(useSecureCookies)` (SPEC §3.1)."""
    p = "__Secure-" if secure else ""
    return CookieDefs(
        session_token=CookieDef(f"{p}authjs.session-token", secure=secure),
        callback_url=CookieDef(f"{p}authjs.callback-url", secure=secure),
        csrf_token=CookieDef(f"{'__Host-' if secure else ''}authjs.csrf-token", secure=secure),
        pkce_code_verifier=CookieDef(f"{p}authjs.pkce.code_verifier", secure=secure, max_age=900),
        state=CookieDef(f"{p}authjs.state", secure=secure, max_age=900),
        nonce=CookieDef(f"{p}authjs.nonce", secure=secure),
    )


@dataclass(frozen=True, slots=True)
class CheckEnv:
    """What the OAuth flow needs from the request context, passed explicitly so the
    OAuth code is testable on its own."""

    origin: str  # e.g. "https://app.example.com"
    base_path: str  # e.g. "/api/auth"
    secrets: tuple[str, ...]  # first encrypts, any decrypts
    cookies: CookieDefs
    now: Callable[[], float]
    limits: Limits
    logger: Logger

    def callback_url(self, provider_id: str) -> str:
        return f"{self.origin}{self.base_path}/callback/{provider_id}"
