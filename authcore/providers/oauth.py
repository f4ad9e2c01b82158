"""The OAuth 2 / OpenID Connect provider model: what a provider plugin is (`OAuthProvider`,
`OIDCProvider`, their hooks) and `build_provider`, which merges user options over a
provider's defaults (the rules are in `authcore.providers._build`; the start-up checks of a
provider in `authcore.providers._oauth_checks`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar

from ._base import Provider
from ._build import build_provider
from ._endpoint import Endpoint
from ._oauth_checks import ClientAuthMethod, check_oauth, check_oidc

if TYPE_CHECKING:
    import httpx

    from .._flow import Flow
    from ..oauth._client_auth import PrivateKey
    from ..oauth._context import CallbackContext

__all__ = [
    "AccountFn",
    "ClientAuthMethod",
    "ConformFn",
    "Endpoint",
    "OAuthProvider",
    "OIDCProvider",
    "ProfileFn",
    "UserinfoRequestFn",
    "build_provider",
]

ProfileFn = Callable[[dict[str, Any], dict[str, Any]], dict[str, Any] | Awaitable[dict[str, Any]]]
AccountFn = Callable[[dict[str, Any]], dict[str, Any]]
ConformFn = Callable[[dict[str, Any]], dict[str, Any]]
# Auth.js `userinfo.request({tokens, provider})`: fetches the raw profile itself.
UserinfoRequestFn = Callable[[dict[str, Any]], dict[str, Any] | Awaitable[dict[str, Any]]]

_ACCOUNT_KEYS = (
    "access_token",
    "id_token",
    "refresh_token",
    "expires_at",
    "scope",
    "token_type",
    "session_state",
)

P = TypeVar("P", bound="OAuthProvider")


@dataclass(frozen=True, kw_only=True)
class OAuthProvider(Provider):
    """An OAuth 2 provider (RFC 6749 authorization code flow).

    Subclasses customise behaviour by overriding the hooks `conform_token`, `after_token`,
    `fetch_profile` and `default_profile`; users customise instances with options (see
    `build_provider`)."""

    type: Literal["oauth", "oidc"] = "oauth"
    client_id: str | None = None
    client_secret: str | None = None
    issuer: str | None = None
    authorization: Endpoint = field(default_factory=Endpoint)
    token: Endpoint = field(default_factory=Endpoint)
    userinfo: Endpoint = field(default_factory=Endpoint)
    # None: what the discovery metadata supports (Basic first), else Basic (RFC 8414 §2).
    token_endpoint_auth_method: ClientAuthMethod | None = None
    # private_key_jwt: PEM text or a `cryptography` private key; its `kid` and JWS algorithm
    # (default: RS256 for RSA, ES256/384/512 by curve, EdDSA for Ed25519).
    client_private_key: Any = None
    client_key_id: str | None = None
    client_assertion_alg: str | None = None
    checks: tuple[str, ...] = ("pkce", "state")
    profile: ProfileFn | None = None
    account: AccountFn | None = None
    conform: ConformFn | None = None
    userinfo_request: UserinfoRequestFn | None = None
    allow_dangerous_email_account_linking: bool = False
    scope_separator: str = " "
    # Query parameters of `POST /signin/<id>` that may reach the authorization URL
    # (docs/differences.md row 7).
    authorization_query_params: tuple[str, ...] = ("prompt", "login_hint", "scope", "ui_locales")
    discovery_ttl: float = 3600.0
    # Auth base URL of the deployment registered with the provider (Auth.js redirectProxyUrl):
    # other deployments sign in through it (docs/redirect-proxy.md).
    redirect_proxy_url: str | None = None

    # `response_type` of the authorization request (Azure DevOps asks for "Assertion").
    response_type: ClassVar[str] = "code"
    # Options every OAuth provider accepts besides its fields (shortcuts, Auth.js aliases).
    option_aliases: ClassVar[frozenset[str]] = frozenset({"scope", "client", "wellKnown"})

    # ---- configuration ------------------------------------------------------------------

    def with_env_defaults(
        self,
        *,
        client_id: str | None,
        client_secret: str | None,
        issuer: str | None,
    ) -> OAuthProvider:
        changes: dict[str, Any] = {}
        if self.client_id is None and client_id:
            changes["client_id"] = client_id
        if self.client_secret is None and client_secret:
            changes["client_secret"] = client_secret
        if self.issuer is None and issuer:
            changes["issuer"] = issuer
        return dataclasses.replace(self, **changes) if changes else self

    def with_redirect_proxy(self, url: str | None) -> OAuthProvider:
        """As Auth.js's `normalizeOAuth`: the provider's own value wins; a proxy forces the
        state check (the state carries the origin); `response_mode=form_post` cannot use one."""
        if self.authorization.param("response_mode") == "form_post":
            return self
        proxy = self.redirect_proxy_url or url
        if proxy is None:
            return self
        proxy = proxy.rstrip("/")
        checks = self.checks if "state" in self.checks else (*self.checks, "state")
        checks = tuple(c for c in checks if c != "none")
        return dataclasses.replace(self, redirect_proxy_url=proxy, checks=checks)

    def validate(self) -> None:
        """Refuse a provider that could not sign anyone in (a `ConfigError` naming the
        option), at start-up rather than at the first callback."""
        check_oauth(self, oidc_class=isinstance(self, OIDCProvider))

    def fetches_own_profile(self) -> bool:
        """True when the profile does not come from the userinfo URL: a `userinfo_request`
        hook, or a subclass that overrides `fetch_profile`."""
        return (
            self.userinfo_request is not None
            or type(self).fetch_profile is not OAuthProvider.fetch_profile
        )

    def has_client_secret(self) -> bool:
        return bool(self.client_secret)

    def evolve(self: P, **changes: Any) -> P:
        """A copy with fields replaced (no merge rules: see `build_provider` for those)."""
        return dataclasses.replace(self, **changes)

    def env_name(self) -> str:
        return self.id.upper().replace("-", "_")

    # ---- hooks ---------------------------------------------------------------------------

    @property
    def response_mode(self) -> str | None:
        """`form_post` makes the provider POST the callback (OAuth 2.0 Form Post Response
        Mode); the callback then reads the form body, never the query."""
        return self.authorization.param("response_mode")

    def authorization_params(self) -> dict[str, str]:
        """Parameters the authorization request adds after `client_id`, computed from the
        configured provider (TikTok's `client_key`, WeChat's `appid`)."""
        return {}

    def client_secret_at(self, now: float) -> str | None:
        """The client secret for a token request made at `now` (Apple signs a fresh one)."""
        return self.client_secret

    def client_assertion_key(self) -> PrivateKey | None:
        """The `private_key_jwt` signing key, loaded (validate() checked it)."""
        if self.client_private_key is None:
            return None
        from ..oauth._client_auth import load_private_key

        return load_private_key(self.client_private_key)

    def accepts_metadata_issuer(self, issuer: str) -> bool:
        """Whether discovery may name this issuer instead of the configured one."""
        return issuer == self.issuer

    def callback_profile(
        self, profile: dict[str, Any], params: Mapping[str, str]
    ) -> dict[str, Any]:
        """The profile, completed from the callback's own parameters (Apple posts the
        user's name there, once)."""
        return profile

    def token_request(
        self, ctx: CallbackContext, url: str, form: dict[str, str], headers: dict[str, str]
    ) -> httpx.Request:
        """The token request, client authentication included. Override for a provider whose
        token call is not RFC 6749's (a GET, other parameter names)."""
        import httpx

        return httpx.Request("POST", url, headers=headers, data=form)

    def conform_token(self, body: dict[str, Any]) -> dict[str, Any]:
        """Make a non-standard token response standard before it is checked."""
        return self.conform(body) if self.conform is not None else body

    def after_token(self, ctx: CallbackContext, tokens: dict[str, Any]) -> Flow[dict[str, Any]]:
        """A follow-up step once the code is exchanged (e.g. a long-lived token)."""
        return tokens
        yield  # pragma: no cover - makes this a generator

    def fetch_profile(self, ctx: CallbackContext, tokens: dict[str, Any]) -> Flow[dict[str, Any]]:
        """The raw profile: by default `GET userinfo` with a Bearer token (RFC 6750 §2.1).
        A `userinfo_request` hook, when set, replaces this (as Auth.js's `userinfo.request`)."""
        profile: dict[str, Any] = yield from ctx.userinfo(tokens)
        return profile

    def default_profile(self, profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
        """Auth.js `defaultProfile`: sub, id, name, email, picture."""
        ident = profile.get("sub", profile.get("id"))
        name = profile.get("name") or profile.get("nickname") or profile.get("preferred_username")
        user = {
            "id": None if ident is None else str(ident),
            "name": name,
            "email": profile.get("email"),
            "image": profile.get("picture"),
        }
        return user

    def default_account(self, tokens: dict[str, Any]) -> dict[str, Any]:
        """Auth.js `defaultAccount`: the token fields worth storing."""
        return {k: tokens[k] for k in _ACCOUNT_KEYS if tokens.get(k) is not None}

    def map_account(self, tokens: dict[str, Any]) -> dict[str, Any]:
        return (self.account or self.default_account)(tokens)


@dataclass(frozen=True, kw_only=True)
class OIDCProvider(OAuthProvider):
    """An OpenID Connect provider: endpoints from discovery, an ID token checked in full."""

    type: Literal["oauth", "oidc"] = "oidc"
    checks: tuple[str, ...] = ("pkce", "state", "nonce")
    # True: the profile is the ID token's claims; False: the userinfo response (its `sub`
    # must equal the ID token's, OIDC Core §5.3.2).
    id_token: bool = True
    id_token_signed_response_alg: str | None = None
    # Auth.js `client.userinfo_signed_response_alg`: the userinfo answer is a JWT signed with
    # this algorithm (BankID Norway), verified against the JWKS like an ID token.
    userinfo_signed_response_alg: str | None = None
    # Seconds of tolerance on `exp` and `nbf`.
    clock_tolerance: float = 30.0
    # A future `iat` is accepted, as Auth.js does (a server clock behind the provider's is
    # common); set seconds here to refuse tokens issued further ahead than that.
    max_iat_skew: float | None = None

    def id_token_issuer(self, metadata_issuer: str, claims: dict[str, Any]) -> str:
        """The `iss` an ID token must carry: the metadata's issuer (Microsoft Entra ID
        fills its `{tenantid}` template from the token's `tid`)."""
        return metadata_issuer

    def id_token_hmac_key(self) -> bytes | None:
        """The shared secret an `HS256` (`HS384`, `HS512`) ID token is verified with, or None
        (the default) to refuse HMAC-signed ID tokens. A provider opts in by overriding this
        and naming the algorithm in `id_token_signed_response_alg` (LINE signs with the
        client secret); the key is never a published one, so no key confusion can arise."""
        return None

    def validate(self) -> None:
        check_oidc(self)
