"""Errors, with Auth.js's `type` names (Auth.js `src/errors.ts`).

`type` is the machine-readable code that reaches error pages and redirects; only the
client-safe ones are shown as themselves, every other one is shown as `Configuration`.
Messages are for logs and never carry secrets.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

__all__ = [
    "CLIENT_SAFE_TYPES",
    "AccessDenied",
    "AccountNotLinked",
    "AdapterError",
    "AuthError",
    "CallbackRouteError",
    "ConfigError",
    "CredentialsSignin",
    "EmailSignInError",
    "ErrorPageLoop",
    "EventError",
    "ExperimentalFeatureNotEnabled",
    "InvalidCallbackUrl",
    "InvalidCheck",
    "InvalidEndpoints",
    "InvalidProvider",
    "JWTSessionError",
    "MissingAdapter",
    "MissingAdapterMethods",
    "MissingAuthorize",
    "MissingCSRF",
    "MissingSecret",
    "OAuthAccountNotLinked",
    "OAuthCallbackError",
    "OAuthProfileParseError",
    "OAuthProviderError",
    "OAuthSignInError",
    "SessionTokenError",
    "SignInError",
    "SignOutError",
    "UnknownAction",
    "UnsupportedStrategy",
    "UntrustedHost",
    "WebAuthnVerificationError",
]

ErrorKind = Literal["signIn", "error"]


class AuthError(Exception):
    """Base of every authcore error.

    `type` mirrors Auth.js; `kind` picks the page an error redirects to (Auth.js `src/index.ts`);
    `details` is safe, structured context for logs (never secrets).
    """

    type: ClassVar[str] = "AuthError"
    kind: ClassVar[ErrorKind] = "error"

    def __init__(self, message: str = "", *, cause: BaseException | None = None, **details: Any):
        super().__init__(message or self.type)
        self.message = message or self.type
        self.details = details
        if cause is not None:
            self.__cause__ = cause

    @property
    def client_safe(self) -> bool:
        return self.type in CLIENT_SAFE_TYPES


class SignInError(AuthError):
    kind: ClassVar[ErrorKind] = "signIn"


class CredentialsSignin(SignInError):
    type = "CredentialsSignin"
    code: str = "credentials"


class OAuthAccountNotLinked(SignInError):
    type = "OAuthAccountNotLinked"


class OAuthCallbackError(SignInError):
    """The identity provider answered the authorization request with an error."""

    type = "OAuthCallbackError"


class OAuthSignInError(SignInError):
    type = "OAuthSignInError"


class MissingCSRF(SignInError):
    type = "MissingCSRF"


class AccountNotLinked(SignInError):
    type = "AccountNotLinked"


class AccessDenied(AuthError):
    type = "AccessDenied"


class Verification(AuthError):
    type = "Verification"


class EmailSignInError(SignInError):
    """The sign-in email could not be sent, or the address cannot be mailed."""

    type = "EmailSignin"


class CallbackRouteError(AuthError):
    """Anything that went wrong in a callback: token endpoint, userinfo, profile mapping."""

    type = "CallbackRouteError"


class ErrorPageLoop(AuthError):
    type = "ErrorPageLoop"


class EventError(AuthError):
    type = "EventError"


class InvalidCallbackUrl(AuthError):
    type = "InvalidCallbackUrl"


class InvalidCheck(AuthError):
    """A state, PKCE or nonce check failed (missing, forged, expired, other provider)."""

    type = "InvalidCheck"


class InvalidProvider(AuthError):
    type = "InvalidProvider"


class JWTSessionError(AuthError):
    type = "JWTSessionError"


class OAuthProfileParseError(AuthError):
    type = "OAuthProfileParseError"


class SessionTokenError(AuthError):
    """A database session could not be read: the store failed."""

    type = "SessionTokenError"


class SignOutError(AuthError):
    type = "SignOutError"


class UnknownAction(AuthError):
    type = "UnknownAction"


class WebAuthnVerificationError(AuthError):
    """A passkey's registration or assertion failed verification (wrong challenge, origin,
    RP ID, signature, counter, or a malformed response). Client-safe."""

    type = "WebAuthnVerificationError"


class AdapterError(AuthError):
    """A store (Auth.js: adapter) call failed or answered with the wrong shape. Not
    client-safe: the user sees the Configuration page, the log names the method only."""

    type = "AdapterError"


class UntrustedHost(AuthError):
    type = "UntrustedHost"


class ConfigError(AuthError, ValueError):
    """The configuration is invalid. Raised once, when the config is first normalised,
    naming the bad option (`details["option"]`).

    The subclasses below carry Auth.js's names for the problems its `assertConfig` reports,
    so `except ConfigError` and `except MissingSecret` both work."""

    type = "Configuration"


class MissingSecret(ConfigError):
    """No `secret` and no `AUTH_SECRET`."""

    type = "MissingSecret"


class InvalidEndpoints(ConfigError):
    """An OAuth provider lacks both an `issuer` and an endpoint URL it needs, or an endpoint
    is not a usable URL."""

    type = "InvalidEndpoints"


class MissingAuthorize(ConfigError):
    """A `Credentials` provider without an `authorize` function."""

    type = "MissingAuthorize"


class UnsupportedStrategy(ConfigError):
    """A session strategy this configuration cannot use (unknown, or `database` where
    Auth.js refuses it)."""

    type = "UnsupportedStrategy"


class MissingAdapter(ConfigError):
    """A feature that stores users or sessions (database sessions, email sign-in) and no
    `adapter` configured."""

    type = "MissingAdapter"


class MissingAdapterMethods(ConfigError):
    """The configured `adapter` lacks methods a configured feature needs."""

    type = "MissingAdapterMethods"


class ExperimentalFeatureNotEnabled(ConfigError):
    """An experimental feature (WebAuthn) configured without its `experimental` flag."""

    type = "ExperimentalFeatureNotEnabled"


CLIENT_SAFE_TYPES = frozenset(
    {
        "CredentialsSignin",
        "OAuthAccountNotLinked",
        "OAuthCallbackError",
        "AccessDenied",
        "Verification",
        "EmailSignin",
        "MissingCSRF",
        "AccountNotLinked",
        "WebAuthnVerificationError",
        "OAuthProviderError",
    }
)


class OAuthProviderError(AuthError):
    """The identity provider misbehaved or refused during a callback or discovery: an error
    body from the token or userinfo endpoint (Instagram's own shapes included), a timeout, a
    redirect, a body too large, not JSON, or not the expected shape.

    Client-safe, so the error page can say "the provider failed" instead of "Configuration".
    `details` holds `provider`, `endpoint` (token, userinfo, discovery, ...), `reason` and,
    when the provider sent one, its `error_type` / `code`; the message is for logs and never
    carries a secret, a code or a token."""

    type = "OAuthProviderError"

    @property
    def retryable(self) -> bool:
        """True for a timeout, a network failure, a 5xx or a rate-limit / transient error
        body (Graph codes 2, 4, 17, 32, 613 or `is_transient`): the same request may succeed
        later, so a refresh job should retry with backoff rather than drop the token."""
        return self.details.get("retryable") is True
