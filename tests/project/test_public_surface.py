"""The public surface, pinned: every public module and the names its `__all__` exports.

A module is public when no part of its dotted name starts with `_`. Adding or removing a
module or a name fails here on purpose: update this table in the same commit, and
docs/dev/stability.md when the change touches a stable module (httpx keeps the same kind of
test in `tests/test_exported_members.py`).
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import authcore

PUBLIC_SURFACE: dict[str, set[str]] = {
    "authcore": {
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
        "InvalidCheck",
        "JWTConfig",
        "LimitsConfig",
        "MissingCSRF",
        "MissingSecret",
        "OAuthCallbackError",
        "PagesConfig",
        "Request",
        "Response",
        "SessionConfig",
        "ThemeConfig",
        "UntrustedHost",
        "auth_sync",
        "get_session",
        "get_session_async",
        "get_token",
        "validate_config",
    },
    "authcore.actions": {"dispatch"},
    "authcore.actions.callback": {"callback", "complete_sign_in"},
    "authcore.actions.pages": {"get_error", "get_signin", "get_signout", "get_verify_request"},
    "authcore.actions.session": {"iso_expires", "session", "session_user"},
    "authcore.actions.signin": {"signin"},
    "authcore.actions.signout": {"signout"},
    "authcore.adapters": {"Session", "SessionUser"},
    "authcore.adapters.django": {
        "AuthMiddleware",
        "Session",
        "SessionUser",
        "aget_session",
        "auth_urls",
        "auth_view",
        "auth_view_async",
        "get_config",
        "get_session",
        "login_required",
        "request_headers",
        "urlpatterns",
    },
    "authcore.adapters.flask": {
        "AuthCore",
        "Session",
        "SessionUser",
        "get_session",
        "login_required",
    },
    "authcore.adapters.nextjs": {
        "CSRF_HEADER",
        "DatabaseSessionToken",
        "NextAuthReader",
        "ReadResult",
        "Session",
        "SessionUser",
        "get_token",
        "reader_from_options",
        "secrets_from_env",
    },
    "authcore.adapters.nextjs.django": {
        "NextAuthContext",
        "NextAuthMiddleware",
        "Session",
        "get_nextauth",
        "get_reader",
        "nextauth_csrf_protect",
        "nextauth_required",
        "unauthorized",
    },
    "authcore.adapters.nextjs.fastapi": {
        "NextAuthSession",
        "Session",
        "to_request",
        "unauthorized",
    },
    "authcore.adapters.nextjs.flask": {
        "NextAuth",
        "Session",
        "get_nextauth_result",
        "get_nextauth_session",
        "get_nextauth_token",
        "nextauth_csrf_protect",
        "nextauth_required",
        "unauthorized",
        "verify_nextauth_csrf",
    },
    "authcore.adapters.starlette": {
        "Session",
        "SessionUser",
        "StarletteAuth",
        "requires_auth",
        "to_auth_request",
    },
    "authcore.cli": {"COMMANDS", "build_parser", "main"},
    "authcore.errors": {
        "AccessDenied",
        "AccountNotLinked",
        "AuthError",
        "CLIENT_SAFE_TYPES",
        "CallbackRouteError",
        "ConfigError",
        "CredentialsSignin",
        "ErrorPageLoop",
        "EventError",
        "InvalidCallbackUrl",
        "InvalidCheck",
        "InvalidEndpoints",
        "InvalidProvider",
        "JWTSessionError",
        "MissingAuthorize",
        "MissingCSRF",
        "MissingSecret",
        "OAuthAccountNotLinked",
        "OAuthCallbackError",
        "OAuthProfileParseError",
        "OAuthProviderError",
        "OAuthSignInError",
        "SignInError",
        "SignOutError",
        "UnknownAction",
        "UnsupportedStrategy",
        "UntrustedHost",
    },
    "authcore.jose": {"InvalidToken", "InvalidTokenCode"},
    "authcore.jose.base64url": {"decode", "encode"},
    "authcore.jose.errors": {"InvalidToken", "InvalidTokenCode"},
    "authcore.jose.jwa": {"ENCRYPTIONS", "Enc", "Encryption", "decrypt", "encrypt"},
    "authcore.jose.jwe": {
        "DEFAULT_MAX_LENGTH",
        "KeyResolver",
        "MAX_HEADER_LENGTH",
        "decrypt_compact",
        "encrypt_compact",
    },
    "authcore.jose.jwk": {
        "ALG_KEY_TYPES",
        "JWKSet",
        "PublicKey",
        "PublicKeyType",
        "import_public_key",
        "oct_thumbprint",
        "thumbprint",
    },
    "authcore.jose.jws": {
        "DEFAULT_MAX_LENGTH",
        "SUPPORTED_ALGORITHMS",
        "sign_compact",
        "verify_compact",
    },
    "authcore.jwt": {
        "DEFAULT_MAX_AGE",
        "InvalidToken",
        "decode",
        "decode_v4",
        "encode",
        "encode_v4",
        "get_token",
    },
    "authcore.nextjs": {
        "DatabaseSessionToken",
        "Generation",
        "NextAuthReader",
        "ReadReason",
        "ReadResult",
        "Session",
        "SessionReader",
        "SessionUser",
        "get_token",
        "secrets_from_env",
    },
    "authcore.oauth": {
        "CallbackContext",
        "CallbackOutcome",
        "Metadata",
        "PROTECTED_PARAMS",
        "ProviderErrorBody",
        "SigninStart",
        "begin_signin",
        "clear_caches",
        "finish_callback",
        "parse_error_body",
    },
    "authcore.pages": {
        "ERROR_PAGES",
        "SIGNIN_ERRORS",
        "Theme",
        "error_page",
        "signin_page",
        "signout_page",
        "verify_request_page",
    },
    "authcore.providers": {
        "Provider",
        "provider_factory",
        "register_provider",
        "registered_providers",
    },
    "authcore.providers.credentials": {"Credentials"},
    "authcore.providers.github": {"GitHub", "GitHubProvider"},
    "authcore.providers.google": {"Google"},
    "authcore.providers.instagram": {
        "DEFAULT_FIELDS",
        "DEFAULT_GRAPH_VERSION",
        "Instagram",
        "InstagramProvider",
        "LEGACY_SCOPES",
        "async_refresh_long_lived_token",
        "conform_instagram_token",
        "refresh_long_lived_token",
    },
    "authcore.providers.oauth": {
        "AccountFn",
        "ClientAuthMethod",
        "ConformFn",
        "Endpoint",
        "OAuthProvider",
        "OIDCProvider",
        "ProfileFn",
        "build_provider",
    },
    "authcore.providers.oidc": {"OIDC"},
    "authcore.stores": {
        "AccountType",
        "AdapterAccount",
        "AdapterAuthenticator",
        "AdapterSession",
        "AdapterUser",
        "AsyncStore",
        "EMAIL_METHODS",
        "ProviderAccountKey",
        "SESSION_METHODS",
        "SessionAndUser",
        "Store",
        "VerificationToken",
        "WEBAUTHN_METHODS",
    },
    "authcore.stores.memory": {"AsyncMemoryStore", "MemoryStore"},
    "authcore.testing": {
        "BodyFault",
        "Faults",
        "Flavour",
        "IdTokenAlg",
        "IdTokenFault",
        "InstagramTokenShape",
        "InstagramUser",
        "MAX_DELAY",
        "MockClient",
        "MockIdP",
        "OAuth2Email",
        "OAuth2User",
        "OIDCUser",
        "PurgeConformance",
        "RecordedRequest",
        "StoreConformance",
        "WebAuthnConformance",
    },
    "authcore.testing.pytest_plugin": {"mock_idp", "mock_idp_server"},
}


def _public_modules() -> list[str]:
    found = ["authcore"]
    for info in pkgutil.walk_packages(authcore.__path__, "authcore."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            found.append(info.name)
    return sorted(found)


def test_every_public_module_is_listed() -> None:
    assert _public_modules() == sorted(PUBLIC_SURFACE)


@pytest.mark.parametrize("name", sorted(PUBLIC_SURFACE))
def test_exported_members(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{name} has no __all__"
    assert len(exported) == len(set(exported)), f"{name}.__all__ repeats a name"
    assert set(exported) == PUBLIC_SURFACE[name]
    missing = [member for member in exported if not hasattr(module, member)]
    assert missing == [], f"{name}.__all__ names what the module does not define"
