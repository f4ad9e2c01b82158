"""authcore: Auth.js (`@auth/core` 0.41.3) for Python, wire-compatible with it.

`await Auth(request, config)` (or `auth_sync`) turns an `authcore.Request` for
`<base_path>/<action>[/<provider>]` into an `authcore.Response`. The config is a plain dict
(`AuthConfig`), normalised once and cached: treat it as immutable after first use.
"""

from __future__ import annotations

from ._config import (
    AuthConfig,
    CallbacksConfig,
    CookieConfig,
    EventsConfig,
    ExperimentalConfig,
    JWTConfig,
    LimitsConfig,
    PagesConfig,
    SessionConfig,
    ThemeConfig,
)
from ._cookies import Cookie
from ._core import Auth, auth_sync
from ._http import Request, Response
from ._normalise import validate_config
from ._session import get_session, get_session_async
from .errors import (
    AccessDenied,
    AuthError,
    CallbackRouteError,
    ConfigError,
    CredentialsSignin,
    InvalidCheck,
    InvalidEndpoints,
    MissingAdapter,
    MissingAdapterMethods,
    MissingAuthorize,
    MissingCSRF,
    MissingSecret,
    OAuthCallbackError,
    UnsupportedStrategy,
    UntrustedHost,
)
from .jwt import get_token

__all__ = [
    "AccessDenied",
    "Auth",
    "AuthConfig",
    "AuthError",
    "CallbackRouteError",
    "CallbacksConfig",
    "ConfigError",
    "Cookie",
    "CookieConfig",
    "CredentialsSignin",
    "EventsConfig",
    "ExperimentalConfig",
    "InvalidCheck",
    "InvalidEndpoints",
    "JWTConfig",
    "LimitsConfig",
    "MissingAdapter",
    "MissingAdapterMethods",
    "MissingAuthorize",
    "MissingCSRF",
    "MissingSecret",
    "OAuthCallbackError",
    "PagesConfig",
    "Request",
    "Response",
    "SessionConfig",
    "ThemeConfig",
    "UnsupportedStrategy",
    "UntrustedHost",
    "auth_sync",
    "get_session",
    "get_session_async",
    "get_token",
    "validate_config",
]

__version__ = "0.1.0"
