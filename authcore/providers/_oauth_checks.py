"""The start-up checks of an OAuth 2 / OIDC provider (`OAuthProvider.validate`,
`OIDCProvider.validate`): each refusal is a `ConfigError` (or `InvalidEndpoints`) naming the
option, raised when the config is read rather than at the first callback."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, get_args

from ..errors import ConfigError, InvalidEndpoints
from ._endpoint import Endpoint, check_url

if TYPE_CHECKING:
    from .oauth import OAuthProvider, OIDCProvider

__all__ = ["ClientAuthMethod", "check_oauth", "check_oidc"]

ClientAuthMethod = Literal[
    "client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none"
]
_CLIENT_AUTH_METHODS = get_args(ClientAuthMethod)
_CHECKS = ("pkce", "state", "nonce", "none")
_ASYMMETRIC_ALGS = ("RS256", "ES256", "EdDSA", "PS256", "RS384", "RS512", "ES384", "ES512")
_HMAC_ALGS = ("HS256", "HS384", "HS512")


def check_oauth(provider: OAuthProvider, *, oidc_class: bool) -> None:
    """`OAuthProvider.validate`; `oidc_class`: the provider is an `OIDCProvider`."""
    if not provider.id or "/" in provider.id:
        raise ConfigError(f"provider id {provider.id!r} is not a valid path segment", option="id")
    _check_types(provider)
    if not provider.client_id:
        raise ConfigError(
            f"provider {provider.id!r}: client_id is missing "
            f"(or set AUTH_{provider.env_name()}_ID)",
            option="client_id",
        )
    if provider.token_endpoint_auth_method == "private_key_jwt":
        _check_private_key(provider)
    elif provider.token_endpoint_auth_method != "none" and not provider.has_client_secret():
        raise ConfigError(
            f"provider {provider.id!r}: client_secret is missing "
            f"(or set AUTH_{provider.env_name()}_SECRET)",
            option="client_secret",
        )
    if provider.token_endpoint_auth_method not in (*_CLIENT_AUTH_METHODS, None):
        raise ConfigError(
            f"provider {provider.id!r}: token_endpoint_auth_method must be one of "
            f"{_CLIENT_AUTH_METHODS}",
            option="token_endpoint_auth_method",
        )
    bad = [c for c in provider.checks if c not in _CHECKS]
    if bad:
        raise ConfigError(
            f"provider {provider.id!r}: unknown checks {bad}; use {_CHECKS[:3]}", option="checks"
        )
    if "none" in provider.checks and len(provider.checks) > 1:
        raise ConfigError(
            f"provider {provider.id!r}: checks 'none' cannot be combined", option="checks"
        )
    if provider.type == "oidc" and not oidc_class:
        # ID-token settings (issuer, algorithms, tolerance) live on OIDCProvider
        raise ConfigError(
            f"provider {provider.id!r}: type 'oidc' needs an OIDCProvider (or use type 'oauth')",
            option="type",
        )
    if "nonce" in provider.checks and provider.type != "oidc":
        raise ConfigError(
            f"provider {provider.id!r}: the nonce check needs an OpenID Connect provider",
            option="checks",
        )
    if provider.issuer is None:
        for name in ("authorization", "token"):
            if getattr(provider, name).url is None:
                raise InvalidEndpoints(
                    f"provider {provider.id!r}: set the {name} URL or an issuer for discovery",
                    option=name,
                )
    for name in ("authorization", "token", "userinfo"):
        url = getattr(provider, name).url
        if url is not None:
            check_url(provider.id, name, url)
    if provider.issuer is not None:
        check_url(provider.id, "issuer", provider.issuer)
    elif provider.userinfo.url is None and not provider.fetches_own_profile():
        # Refused now: otherwise every sign-in fails after the code is spent.
        raise InvalidEndpoints(
            f"provider {provider.id!r}: set the userinfo URL (or an issuer for discovery, "
            "or userinfo={'request': fn}); without one no profile can be read",
            option="userinfo",
        )
    if provider.redirect_proxy_url is not None:
        check_url(provider.id, "redirect_proxy_url", provider.redirect_proxy_url)
        if "state" not in provider.checks:
            raise ConfigError(
                f"provider {provider.id!r}: a redirect proxy needs the state check (the state "
                "carries the deployment to return to)",
                option="checks",
            )
    if provider.profile is not None and not callable(provider.profile):
        raise ConfigError(f"provider {provider.id!r}: profile must be callable", option="profile")
    for hook in ("account", "conform", "userinfo_request"):
        if getattr(provider, hook) is not None and not callable(getattr(provider, hook)):
            raise ConfigError(f"provider {provider.id!r}: {hook} must be callable", option=hook)


def _check_types(provider: OAuthProvider) -> None:
    """A dataclass built directly skips `build_provider`: refuse what it would have
    converted, instead of an AttributeError at the first request."""
    for name in ("authorization", "token", "userinfo"):
        value = getattr(provider, name)
        if not isinstance(value, Endpoint):
            raise InvalidEndpoints(
                f"provider {provider.id!r}: {name} must be an Endpoint, not "
                f"{type(value).__name__} (URL strings and {{'url', 'params'}} mappings are "
                "accepted by the provider's factory, e.g. OAuth(**options))",
                option=name,
            )
        if value.url is not None and not isinstance(value.url, str):
            raise InvalidEndpoints(
                f"provider {provider.id!r}: {name} URL must be a string", option=name
            )
        if not isinstance(value.params, tuple) or not all(
            isinstance(p, tuple) and len(p) == 2 and all(isinstance(x, str) for x in p)
            for p in value.params
        ):
            raise ConfigError(
                f"provider {provider.id!r}: {name} params must be (name, value) string pairs",
                option=name,
            )
    for name in ("client_id", "client_secret", "issuer"):
        value = getattr(provider, name)
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"provider {provider.id!r}: {name} must be a string", option=name)
    if not isinstance(provider.checks, tuple):
        raise ConfigError(f"provider {provider.id!r}: checks must be a tuple", option="checks")


def _check_private_key(provider: OAuthProvider) -> None:
    from ..oauth._client_auth import load_private_key, sign_jwt

    if provider.client_private_key is None:
        raise ConfigError(
            f"provider {provider.id!r}: private_key_jwt needs client_private_key (PEM)",
            option="client_private_key",
        )
    try:
        sign_jwt(
            {}, load_private_key(provider.client_private_key), alg=provider.client_assertion_alg
        )
    except ValueError as exc:
        raise ConfigError(
            f"provider {provider.id!r}: client_private_key: {exc}", option="client_private_key"
        ) from None


def check_oidc(provider: OIDCProvider) -> None:
    """`OIDCProvider.validate`: an issuer, then the OAuth checks, then the ID token's."""
    if provider.issuer is None:
        raise InvalidEndpoints(
            f"provider {provider.id!r}: an OpenID Connect provider needs an issuer",
            option="issuer",
        )
    check_oauth(provider, oidc_class=True)
    alg = provider.id_token_signed_response_alg
    if alg in _HMAC_ALGS and provider.id_token_hmac_key():
        alg = None  # the provider's explicit opt-in, with a key to check it
    userinfo_alg = provider.userinfo_signed_response_alg
    if userinfo_alg is not None and userinfo_alg not in _ASYMMETRIC_ALGS:
        raise ConfigError(
            f"provider {provider.id!r}: userinfo_signed_response_alg {userinfo_alg!r} is not "
            "an accepted asymmetric algorithm",
            option="userinfo_signed_response_alg",
        )
    skew = provider.max_iat_skew
    if skew is not None and (
        isinstance(skew, bool) or not isinstance(skew, (int, float)) or not skew >= 0
    ):
        raise ConfigError(
            f"provider {provider.id!r}: max_iat_skew must be None or seconds >= 0",
            option="max_iat_skew",
        )
    if alg is not None and alg not in _ASYMMETRIC_ALGS:
        raise ConfigError(
            f"provider {provider.id!r}: id_token_signed_response_alg {alg!r} is not an "
            "accepted asymmetric algorithm (HS* only for a provider whose "
            "id_token_hmac_key() gives the shared key, as LINE's)",
            option="id_token_signed_response_alg",
        )
