"""What every email (magic link) provider has (Auth.js `packages/core/src/providers/email.ts`,
`EmailConfig`): who the mail is from, how long a link lives, and how the mail goes out.

`send_verification_request(params)` replaces the provider's own delivery, as in Auth.js; it
may be sync or async. `render(params)` replaces only the mail's content.
"""

from __future__ import annotations

import ipaddress
import threading
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast
from urllib.parse import urlsplit

from .._email_message import EmailContent, render_email
from .._flow import Flow
from .._http import Request
from ..errors import ConfigError
from ._base import Provider, ProviderType

__all__ = ["EmailProvider", "SendLimit", "VerificationRequest"]

DEFAULT_FROM = "Auth.js <no-reply@authjs.dev>"
ONE_DAY = 86400
_MAX_KEYS = 100_000


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
    """The default send limit: at most `per_identifier` mails to one address and `per_ip`
    mails asked for by one client address (`request.client`; an IPv6 client counts by its
    /64) per `window` seconds, counted in this process. A refused send answers exactly like a
    sent one. `authcore.stores.redis.RedisSendLimit` counts the same in Redis, for several
    processes. Behind a proxy, set the config's `trusted_proxy_hops` or every client shares
    the proxy's IP."""

    def __init__(
        self, per_identifier: int = 5, window: float = 900.0, *, per_ip: int | None = 30
    ) -> None:
        self.per_identifier = per_identifier
        self.per_ip = per_ip
        self.window = window
        self._sent: dict[str, deque[float]] = {}
        self._by_ip: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def __call__(self, identifier: str, request: Request, now: float) -> bool:
        ip = client_key(request.client) if self.per_ip is not None else None
        with self._lock:
            times = self._recent(self._sent, identifier, now)
            if len(times) >= self.per_identifier:
                return False
            if ip is not None:
                by_ip = self._recent(self._by_ip, ip, now)
                if len(by_ip) >= cast(int, self.per_ip):
                    return False
                by_ip.append(now)
            times.append(now)
            return True

    def _recent(self, table: dict[str, deque[float]], key: str, now: float) -> deque[float]:
        if len(table) > _MAX_KEYS:  # forget idle keys, then the oldest, rather than grow
            for k in [k for k, v in table.items() if not v or v[-1] <= now - self.window]:
                del table[k]
            for k in list(table)[: max(0, len(table) - _MAX_KEYS * 9 // 10)]:
                del table[k]
        times = table.setdefault(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times


def client_key(client: str | None) -> str | None:
    """What a per-IP limit counts by: the address, an IPv6 one by its /64 (one host usually
    holds a whole /64), None when unknown."""
    if not client:
        return None
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return client
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


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
