"""What every email (magic link) provider has (Auth.js `packages/core/src/providers/email.ts`,
`EmailConfig`): who the mail is from, how long a link lives, and how the mail goes out.

`send_verification_request(params)` replaces the provider's own delivery, as in Auth.js; it
may be sync or async. `render(params)` replaces only the mail's content.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from .._email_message import EmailContent, render_email
from .._flow import Flow
from .._http import Request
from ..errors import ConfigError
from ._base import Provider, ProviderType

__all__ = ["EmailProvider", "SendLimit", "VerificationRequest"]

DEFAULT_FROM = "Auth.js <no-reply@authjs.dev>"
ONE_DAY = 86400


@dataclass(frozen=True, slots=True)
class VerificationRequest:
    """What `send_verification_request` and `render` get (Auth.js's params object). `url` and
    `token` carry the raw token: never log them."""

    identifier: str
    token: str = field(repr=False)
    expires: datetime
    url: str = field(repr=False)
    provider: EmailProvider
    theme: Mapping[str, str]
    request: Request

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc


class SendLimit:
    """The default send limit: at most `per_identifier` mails to one address per `window`
    seconds, counted in this process. A hook with the same call signature can count in
    Redis, or per client IP from a header your proxy sets (the core cannot know the IP)."""

    def __init__(self, per_identifier: int = 5, window: float = 900.0) -> None:
        self.per_identifier = per_identifier
        self.window = window
        self._sent: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def __call__(self, identifier: str, request: Request, now: float) -> bool:
        with self._lock:
            if len(self._sent) > 100_000:  # forget idle addresses rather than grow forever
                self._sent = {
                    k: v for k, v in self._sent.items() if v and v[-1] > now - self.window
                }
            times = self._sent.setdefault(identifier, deque())
            while times and times[0] <= now - self.window:
                times.popleft()
            if len(times) >= self.per_identifier:
                return False
            times.append(now)
            return True


@dataclass(frozen=True, kw_only=True)
class EmailProvider(Provider):
    """`confirm=True` makes the link open a page whose button signs in (a POST), so mail
    scanners that fetch links do not use them up (a deviation from Auth.js, off by default
    so links stay interchangeable with an Auth.js app)."""

    id: str = "email"
    name: str = "Email"
    type: ProviderType = "email"
    from_: str = DEFAULT_FROM
    max_age: int = ONE_DAY
    secret: str | None = field(default=None, repr=False)
    send_verification_request: Callable[[VerificationRequest], Any] | None = None
    render: Callable[[VerificationRequest], EmailContent] | None = None
    normalize_identifier: Callable[[str], str] | None = None
    generate_verification_token: Callable[[], Any] | None = None
    send_limit: Callable[[str, Request, float], Any] | None = field(default_factory=SendLimit)
    confirm: bool = False

    def validate(self) -> None:
        if not isinstance(self.max_age, int) or isinstance(self.max_age, bool) or self.max_age <= 0:
            raise ConfigError("max_age must be a positive number of seconds", option="max_age")
        if not isinstance(self.from_, str) or "\r" in self.from_ or "\n" in self.from_:
            raise ConfigError("from_ must be a single-line address", option="from_")
        if self.send_verification_request is None and type(self).deliver is EmailProvider.deliver:
            raise ConfigError(
                f"Email provider {self.id!r} needs send_verification_request",
                option="send_verification_request",
            )

    def content(self, params: VerificationRequest) -> EmailContent:
        if self.render is not None:
            return self.render(params)
        return render_email(params.url, params.host, params.theme)

    def deliver(self, params: VerificationRequest) -> Flow[None]:
        """The provider's own delivery; raise on any failure."""
        raise NotImplementedError
        yield  # pragma: no cover
