"""The config dict users write: `AuthConfig` and its sections, as TypedDicts.

`authcore._normalise` checks one and turns it into the immutable `authcore._options.Options`
the actions read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypedDict

if TYPE_CHECKING:
    import httpx

__all__ = [
    "AuthConfig",
    "CallbacksConfig",
    "CookieConfig",
    "EventsConfig",
    "ExperimentalConfig",
    "JWTConfig",
    "LimitsConfig",
    "PagesConfig",
    "SessionConfig",
    "ThemeConfig",
    "UserFn",
]

UserFn = Callable[..., Any]


class SessionConfig(TypedDict, total=False):
    strategy: Literal["jwt", "database"]
    max_age: int
    update_age: int
    jwt_reissue: Literal["always", "update_age"]
    generate_session_token: Callable[[], str]


class JWTConfig(TypedDict, total=False):
    max_age: int
    encode: UserFn
    decode: UserFn


class CallbacksConfig(TypedDict, total=False):
    sign_in: UserFn
    redirect: UserFn
    session: UserFn
    jwt: UserFn


class EventsConfig(TypedDict, total=False):
    sign_in: UserFn
    sign_out: UserFn
    session: UserFn
    create_user: UserFn
    update_user: UserFn
    link_account: UserFn


class PagesConfig(TypedDict, total=False):
    sign_in: str
    sign_out: str
    error: str
    verify_request: str
    new_user: str


class ThemeConfig(TypedDict, total=False):
    color_scheme: Literal["auto", "dark", "light"]
    logo: str
    brand_color: str
    button_text: str


class CookieConfig(TypedDict, total=False):
    name: str
    http_only: bool
    same_site: Literal["lax", "strict", "none"]
    path: str
    secure: bool
    max_age: int
    domain: str


class LimitsConfig(TypedDict, total=False):
    max_url_bytes: int
    max_header_bytes: int
    max_cookie_header_bytes: int
    max_cookies: int
    max_body_bytes: int
    max_token_chars: int
    max_session_chunks: int
    max_check_cookie_chars: int
    max_callback_url_chars: int
    idp_timeout: float
    idp_max_response_bytes: int


class ExperimentalConfig(TypedDict, total=False):
    enable_webauthn: bool


class AuthConfig(TypedDict, total=False):
    providers: Sequence[Any]
    adapter: Any
    secret: str | Sequence[str]
    url: str
    trust_host: bool
    trusted_proxy_hops: int
    base_path: str
    use_secure_cookies: bool
    cookies: Mapping[str, CookieConfig]
    session: SessionConfig
    jwt: JWTConfig
    callbacks: CallbacksConfig
    events: EventsConfig
    pages: PagesConfig
    theme: ThemeConfig
    debug: bool
    logger: Any
    skip_csrf_check: bool
    redirect_proxy_url: str
    limits: LimitsConfig
    experimental: ExperimentalConfig
    env: Mapping[str, str]
    clock: Callable[[], float]
    http_client: httpx.Client
    async_http_client: httpx.AsyncClient
