"""The OAuth 2 / OpenID Connect provider model: what a provider plugin is, and how user
options merge over its defaults.

Auth.js merges user options over provider defaults with a deep merge that loses the default
URL when only `params` is overridden and merges arrays by index (Auth.js
`src/lib/utils/providers.ts`; docs/differences.md row 14). Here the rules are small and predictable
instead:

* `authorization` / `token` / `userinfo`: a string replaces the URL and keeps the default
  params (the URL's own query wins over them); a mapping `{"url", "params"}` replaces the URL
  only when it has one and merges `params` key by key (a `None` value removes a default).
* lists (`checks`) replace, they never merge by index; `style` merges key by key.
* `scope=` is a shortcut for `authorization={"params": {"scope": ...}}`; a list is joined with
  the provider's separator (a space, a comma for Instagram).
* `profile=` is the mapper (a callable); a string there is read as the userinfo URL, as some
  users write it.
* no default `openid profile email` scope for plain OAuth 2 providers (docs/differences.md row 6).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar, get_args

from ..errors import ConfigError, InvalidEndpoints
from ._base import Provider
from ._endpoint import Endpoint, check_url
from ._options import snake_case_options, unknown_option

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

ClientAuthMethod = Literal[
    "client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none"
]
ProfileFn = Callable[[dict[str, Any], dict[str, Any]], dict[str, Any] | Awaitable[dict[str, Any]]]
AccountFn = Callable[[dict[str, Any]], dict[str, Any]]
ConformFn = Callable[[dict[str, Any]], dict[str, Any]]
# Auth.js `userinfo.request({tokens, provider})`: fetches the raw profile itself.
UserinfoRequestFn = Callable[[dict[str, Any]], dict[str, Any] | Awaitable[dict[str, Any]]]

_CLIENT_AUTH_METHODS = get_args(ClientAuthMethod)
_CHECKS = ("pkce", "state", "nonce", "none")
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
        if not self.id or "/" in self.id:
            raise ConfigError(f"provider id {self.id!r} is not a valid path segment", option="id")
        self._validate_types()
        if not self.client_id:
            raise ConfigError(
                f"provider {self.id!r}: client_id is missing (or set AUTH_{self.env_name()}_ID)",
                option="client_id",
            )
        if self.token_endpoint_auth_method == "private_key_jwt":
            self._check_private_key()
        elif self.token_endpoint_auth_method != "none" and not self.has_client_secret():
            raise ConfigError(
                f"provider {self.id!r}: client_secret is missing "
                f"(or set AUTH_{self.env_name()}_SECRET)",
                option="client_secret",
            )
        if self.token_endpoint_auth_method not in (*_CLIENT_AUTH_METHODS, None):
            raise ConfigError(
                f"provider {self.id!r}: token_endpoint_auth_method must be one of "
                f"{_CLIENT_AUTH_METHODS}",
                option="token_endpoint_auth_method",
            )
        bad = [c for c in self.checks if c not in _CHECKS]
        if bad:
            raise ConfigError(
                f"provider {self.id!r}: unknown checks {bad}; use {_CHECKS[:3]}", option="checks"
            )
        if "none" in self.checks and len(self.checks) > 1:
            raise ConfigError(
                f"provider {self.id!r}: checks 'none' cannot be combined", option="checks"
            )
        if self.type == "oidc" and not isinstance(self, OIDCProvider):
            # ID-token settings (issuer, algorithms, tolerance) live on OIDCProvider
            raise ConfigError(
                f"provider {self.id!r}: type 'oidc' needs an OIDCProvider (or use type 'oauth')",
                option="type",
            )
        if "nonce" in self.checks and self.type != "oidc":
            raise ConfigError(
                f"provider {self.id!r}: the nonce check needs an OpenID Connect provider",
                option="checks",
            )
        if self.issuer is None:
            for name in ("authorization", "token"):
                if getattr(self, name).url is None:
                    raise InvalidEndpoints(
                        f"provider {self.id!r}: set the {name} URL or an issuer for discovery",
                        option=name,
                    )
        for name in ("authorization", "token", "userinfo"):
            url = getattr(self, name).url
            if url is not None:
                check_url(self.id, name, url)
        if self.issuer is not None:
            check_url(self.id, "issuer", self.issuer)
        elif self.userinfo.url is None and not self.fetches_own_profile():
            # Refused now: otherwise every sign-in fails after the code is spent.
            raise InvalidEndpoints(
                f"provider {self.id!r}: set the userinfo URL (or an issuer for discovery, "
                "or userinfo={'request': fn}); without one no profile can be read",
                option="userinfo",
            )
        if self.redirect_proxy_url is not None:
            check_url(self.id, "redirect_proxy_url", self.redirect_proxy_url)
            if "state" not in self.checks:
                raise ConfigError(
                    f"provider {self.id!r}: a redirect proxy needs the state check (the state "
                    "carries the deployment to return to)",
                    option="checks",
                )
        if self.profile is not None and not callable(self.profile):
            raise ConfigError(f"provider {self.id!r}: profile must be callable", option="profile")
        for hook in ("account", "conform", "userinfo_request"):
            if getattr(self, hook) is not None and not callable(getattr(self, hook)):
                raise ConfigError(f"provider {self.id!r}: {hook} must be callable", option=hook)

    def _validate_types(self) -> None:
        """A dataclass built directly skips `build_provider`: refuse what it would have
        converted, instead of an AttributeError at the first request."""
        for name in ("authorization", "token", "userinfo"):
            value = getattr(self, name)
            if not isinstance(value, Endpoint):
                raise InvalidEndpoints(
                    f"provider {self.id!r}: {name} must be an Endpoint, not "
                    f"{type(value).__name__} (URL strings and {{'url', 'params'}} mappings are "
                    "accepted by the provider's factory, e.g. OAuth(**options))",
                    option=name,
                )
            if value.url is not None and not isinstance(value.url, str):
                raise InvalidEndpoints(
                    f"provider {self.id!r}: {name} URL must be a string", option=name
                )
            if not isinstance(value.params, tuple) or not all(
                isinstance(p, tuple) and len(p) == 2 and all(isinstance(x, str) for x in p)
                for p in value.params
            ):
                raise ConfigError(
                    f"provider {self.id!r}: {name} params must be (name, value) string pairs",
                    option=name,
                )
        for name in ("client_id", "client_secret", "issuer"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise ConfigError(f"provider {self.id!r}: {name} must be a string", option=name)
        if not isinstance(self.checks, tuple):
            raise ConfigError(f"provider {self.id!r}: checks must be a tuple", option="checks")

    def fetches_own_profile(self) -> bool:
        """True when the profile does not come from the userinfo URL: a `userinfo_request`
        hook, or a subclass that overrides `fetch_profile`."""
        return (
            self.userinfo_request is not None
            or type(self).fetch_profile is not OAuthProvider.fetch_profile
        )

    def has_client_secret(self) -> bool:
        return bool(self.client_secret)

    def _check_private_key(self) -> None:
        from ..oauth._client_auth import load_private_key, sign_jwt

        if self.client_private_key is None:
            raise ConfigError(
                f"provider {self.id!r}: private_key_jwt needs client_private_key (PEM)",
                option="client_private_key",
            )
        try:
            sign_jwt({}, load_private_key(self.client_private_key), alg=self.client_assertion_alg)
        except ValueError as exc:
            raise ConfigError(
                f"provider {self.id!r}: client_private_key: {exc}", option="client_private_key"
            ) from None

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
    # Seconds of tolerance on `exp` and `nbf`.
    clock_tolerance: float = 30.0
    # A future `iat` is accepted, as Auth.js does (a server clock behind the provider's is
    # common); set seconds here to refuse tokens issued further ahead than that.
    max_iat_skew: float | None = None

    def id_token_issuer(self, metadata_issuer: str, claims: dict[str, Any]) -> str:
        """The `iss` an ID token must carry: the metadata's issuer (Microsoft Entra ID
        fills its `{tenantid}` template from the token's `tid`)."""
        return metadata_issuer

    def validate(self) -> None:
        if self.issuer is None:
            raise InvalidEndpoints(
                f"provider {self.id!r}: an OpenID Connect provider needs an issuer",
                option="issuer",
            )
        super().validate()
        alg = self.id_token_signed_response_alg
        skew = self.max_iat_skew
        if skew is not None and (
            isinstance(skew, bool) or not isinstance(skew, (int, float)) or not skew >= 0
        ):
            raise ConfigError(
                f"provider {self.id!r}: max_iat_skew must be None or seconds >= 0",
                option="max_iat_skew",
            )
        if alg is not None and alg not in (
            "RS256",
            "ES256",
            "EdDSA",
            "PS256",
            "RS384",
            "RS512",
            "ES384",
            "ES512",
        ):
            raise ConfigError(
                f"provider {self.id!r}: id_token_signed_response_alg {alg!r} is not an "
                "accepted asymmetric algorithm",
                option="id_token_signed_response_alg",
            )


# ---- building a provider from options ------------------------------------------------------


def build_provider(defaults: P, options: Mapping[str, Any]) -> P:
    """Merge user options over a provider's defaults (rules in the module docstring)."""
    names = {f.name for f in dataclasses.fields(defaults)}
    opts = snake_case_options(defaults.id, options, names | defaults.option_aliases)
    sep = opts.pop("scope_separator", defaults.scope_separator)
    changes: dict[str, Any] = {"scope_separator": sep}

    profile = opts.pop("profile", None)
    if isinstance(profile, str):  # seed style: `profile="<userinfo url>"`
        if "userinfo" in opts:
            raise ConfigError("give the userinfo URL once: profile= or userinfo=", option="profile")
        opts["userinfo"] = profile
    elif profile is not None:
        changes["profile"] = profile

    client = opts.pop("client", None)  # Auth.js `client: {token_endpoint_auth_method}`
    if client is not None:
        if not isinstance(client, Mapping):
            raise ConfigError("client must be a mapping", option="client")
        method = client.get("token_endpoint_auth_method")
        if method is not None:
            opts.setdefault("token_endpoint_auth_method", method)
        alg = client.get("id_token_signed_response_alg")
        if alg is not None:
            opts.setdefault("id_token_signed_response_alg", alg)
    # Auth.js accepts it but never uses it (Auth.js `src/providers/oauth.ts`)
    opts.pop("wellKnown", None)

    # Auth.js hooks nested in endpoint objects: `token.conform`, `userinfo.request`.
    for name, hook, field_name in (
        ("token", "conform", "conform"),
        ("userinfo", "request", "userinfo_request"),
    ):
        endpoint = opts.get(name)
        if isinstance(endpoint, Mapping) and hook in endpoint:
            if field_name in opts:
                raise ConfigError(
                    f"give {field_name} once: {name}={{'{hook}'}} or {field_name}=",
                    option=field_name,
                )
            rest = dict(endpoint)
            opts[field_name] = rest.pop(hook)
            opts[name] = rest
    token_opt = opts.get("token")
    if isinstance(token_opt, Mapping) and "request" in token_opt:
        raise ConfigError(
            "token={'request'} is not supported (Auth.js 0.41.3 ignores it too); "
            "did you mean token={'conform': fn}, which rewrites the token response?",
            option="request",
        )

    for name in ("authorization", "token", "userinfo"):
        if name in opts:
            base: Endpoint = changes.get(name, getattr(defaults, name))
            changes[name] = base.merged(opts.pop(name), separator=sep)
    scope = opts.pop("scope", None)
    if scope is not None:
        base_auth: Endpoint = changes.get("authorization", defaults.authorization)
        changes["authorization"] = base_auth.with_params({"scope": scope}, separator=sep)
    if "checks" in opts:
        checks = opts.pop("checks")
        if isinstance(checks, str):
            checks = [checks]
        changes["checks"] = tuple(checks)
    if "authorization_query_params" in opts:
        changes["authorization_query_params"] = tuple(opts.pop("authorization_query_params"))
    if "style" in opts:
        changes["style"] = {**defaults.style, **(opts.pop("style") or {})}
    for key in list(opts):
        if key not in names:
            raise unknown_option(defaults.id, key, names | defaults.option_aliases)
        changes[key] = opts.pop(key)
    return dataclasses.replace(defaults, **changes)
