"""OAuth 2 / OpenID Connect sign-in, laid out along the specs.

- `_authorization`: the authorization request (RFC 6749 §4.1.1, PKCE RFC 7636, OIDC nonce).
- `_checks`: state / PKCE / nonce sealed in cookies as Auth.js does (Auth.js
  `src/lib/actions/callback/oauth/checks.ts`).
- `_callback`: the redirection endpoint (Auth.js `src/lib/actions/callback/oauth/callback.ts`, RFC
  9207 `iss`).
- `_token`: token request, client authentication, response checks (RFC 6749 §2.3, §5.1).
- `_env`: `CheckEnv`, what the flow needs from the request (origin, secrets, cookies, clock).
- `_context`: what provider hooks use to call their provider (userinfo, follow-up requests).
- `_discovery`: OIDC discovery and JWKS, cached per issuer / URL.
- `_id_token`: ID token validation (OIDC Core §3.1.3.7).
- `_fetch`: one guarded JSON request (timeout, size cap, redirects, error bodies).
- `_refresh`: refreshing an access token (RFC 6749 §6), sync and async.

The core's signin and callback actions call `begin_signin` and `finish_callback`
(docs/dev/architecture.md#the-request-path).
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._authorization import PROTECTED_PARAMS, SigninStart, begin_signin
    from ._callback import CallbackOutcome, finish_callback
    from ._context import CallbackContext
    from ._discovery import Metadata, clear_caches
    from ._fetch import ProviderErrorBody, parse_error_body
    from ._refresh import async_refresh_access_token, refresh_access_token

# Loaded on first use (PEP 562): the core imports `oauth._env` on every config, and that must
# not pull httpx and the whole sign-in flow into `import authcore`.
_HOMES = {
    "PROTECTED_PARAMS": "_authorization",
    "SigninStart": "_authorization",
    "begin_signin": "_authorization",
    "CallbackOutcome": "_callback",
    "finish_callback": "_callback",
    "CallbackContext": "_context",
    "Metadata": "_discovery",
    "clear_caches": "_discovery",
    "ProviderErrorBody": "_fetch",
    "parse_error_body": "_fetch",
    "async_refresh_access_token": "_refresh",
    "refresh_access_token": "_refresh",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "PROTECTED_PARAMS",
    "CallbackContext",
    "CallbackOutcome",
    "Metadata",
    "ProviderErrorBody",
    "SigninStart",
    "async_refresh_access_token",
    "begin_signin",
    "clear_caches",
    "finish_callback",
    "parse_error_body",
    "refresh_access_token",
]
