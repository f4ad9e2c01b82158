"""`Options`: a config once normalised, immutable, shared by every request that uses it.

Built by `authcore._normalise.normalise` from the user's `AuthConfig` dict.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ._cookies import CookieDefs
from ._logging import ConfiguredLogger

if TYPE_CHECKING:  # httpx and asyncio load on first network use (import time)
    import asyncio

    import httpx

    from .providers._base import Provider

__all__ = ["Callbacks", "Clients", "Events", "Limits", "Options", "Pages", "UserFn"]

UserFn = Callable[..., Any]


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource caps (docs/security.md#resource-limits). Every external input is bounded."""

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
class Callbacks:
    sign_in: UserFn | None
    redirect: UserFn | None
    session: UserFn | None
    jwt: UserFn | None


@dataclass(frozen=True, slots=True)
class Events:
    sign_in: UserFn | None
    sign_out: UserFn | None
    session: UserFn | None
    create_user: UserFn | None = None
    update_user: UserFn | None = None
    link_account: UserFn | None = None


@dataclass(frozen=True, slots=True)
class Pages:
    sign_in: str | None = None
    sign_out: str | None = None
    error: str | None = None
    verify_request: str | None = None
    new_user: str | None = None


class Clients:
    """One pooled httpx client per config: a sync one and one AsyncClient per event loop
    (an AsyncClient must not be shared across loops). Created on first network use."""

    def __init__(self, sync: httpx.Client | None, async_: httpx.AsyncClient | None) -> None:
        self._sync = sync
        self._async_injected = async_
        self._by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient]
        self._by_loop = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def sync(self) -> httpx.Client:
        with self._lock:
            if self._sync is None:
                import httpx

                self._sync = httpx.Client(follow_redirects=False)
            return self._sync

    def for_loop(self) -> httpx.AsyncClient:
        if self._async_injected is not None:
            return self._async_injected
        import asyncio

        loop = asyncio.get_running_loop()
        with self._lock:
            client = self._by_loop.get(loop)
            if client is None:
                import httpx

                client = httpx.AsyncClient(follow_redirects=False)
                self._by_loop[loop] = client
            return client


@dataclass(frozen=True, slots=True)
class Options:
    """A normalised config. Built once; shared by every request using that config dict."""

    providers: tuple[Provider, ...]
    secrets: tuple[str, ...]
    url_origin: str | None  # configured origin (config `url` / AUTH_URL): wins over the request
    base_path: str
    trust_host: bool
    use_secure_cookies: bool | None
    cookies_plain: CookieDefs
    cookies_secure: CookieDefs
    session_max_age: int
    session_update_age: int
    session_jwt_reissue: Literal["always", "update_age"]
    session_strategy: Literal["jwt", "database"]
    generate_session_token: Callable[[], str]
    adapter: Any
    jwt_max_age: int
    jwt_encode: UserFn | None
    jwt_decode: UserFn | None
    callbacks: Callbacks
    events: Events
    pages: Pages
    theme: Mapping[str, str]
    debug: bool
    logger: ConfiguredLogger
    skip_csrf_check: bool
    limits: Limits
    clock: Callable[[], float]
    clients: Clients = field(repr=False)
    provider_map: Mapping[str, Provider] = field(repr=False)
    trusted_proxy_hops: int = 0  # how many X-Forwarded-For entries to believe (0: none)

    def cookies(self, secure: bool) -> CookieDefs:
        return self.cookies_secure if secure else self.cookies_plain
