"""`CheckEnv`: what the OAuth flow needs from the request context, passed explicitly so the
OAuth code is testable on its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .._cookies import CookieDefs
from .._logging import Logger
from .._options import Limits

__all__ = ["CheckEnv"]


@dataclass(frozen=True, slots=True)
class CheckEnv:
    origin: str  # e.g. "https://app.example.com"
    base_path: str  # e.g. "/api/auth"
    secrets: tuple[str, ...]  # first encrypts, any decrypts
    cookies: CookieDefs
    now: Callable[[], float]
    limits: Limits
    logger: Logger

    def callback_url(self, provider_id: str) -> str:
        return f"{self.origin}{self.base_path}/callback/{provider_id}"
