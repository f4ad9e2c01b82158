"""Instagram, through "Instagram API with Instagram Login" (Business Login for Instagram).

Auth.js's provider targets the Basic Display API that Meta switched off on 2024-12-04 and
rejects Instagram's token response (no `token_type`, Auth.js `src/providers/instagram.ts`). This one
follows docs/providers/instagram.md#defaults: `www.instagram.com/oauth/authorize`, scope
`instagram_business_basic` (comma-joined), `client_secret_post`, a flat or `data`-wrapped token
response whose numeric `user_id` keeps every digit, profile from `graph.instagram.com/<version>/me`,
no email, and the optional 60-day token. Only Business and Creator accounts can log in.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import ConfigError, OAuthProviderError
from .oauth import Endpoint, OAuthProvider, build_provider

if TYPE_CHECKING:  # the flow's modules load at the first request, not at import
    import httpx

    from .._flow import Flow
    from .._options import Limits
    from ..oauth._context import CallbackContext

__all__ = [
    "DEFAULT_FIELDS",
    "DEFAULT_GRAPH_VERSION",
    "EXCHANGE_FAILED_WARNING",
    "LEGACY_SCOPES",
    "LONG_LIVED_SECONDS",
    "Instagram",
    "InstagramProvider",
    "async_refresh_long_lived_token",
    "conform_instagram_token",
    "refresh_long_lived_token",
]

REGISTER_URL = "https://developers.facebook.com/apps/"

AUTHORIZE_URL = "https://www.instagram.com/oauth/authorize"
TOKEN_URL = "https://api.instagram.com/oauth/access_token"
GRAPH_URL = "https://graph.instagram.com"
DEFAULT_GRAPH_VERSION = "v25.0"
DEFAULT_FIELDS = ("id", "user_id", "username", "name", "account_type", "profile_picture_url")
# docs/providers/instagram.md#the-token-endpoint: the short-lived token lives one hour
SHORT_LIVED_SECONDS = 3600
# A long-lived token lives 60 days (Meta's "Long-lived access tokens" doc); assumed when the
# exchange or refresh answer omits `expires_in`.
LONG_LIVED_SECONDS = 60 * 24 * 3600
EXCHANGE_FAILED_WARNING = "instagram-long-lived-exchange-failed"

# Basic Display scopes (gone since 2024-12-04) and the pre-2025 Business Login names.
LEGACY_SCOPES = frozenset(
    {
        "user_profile",
        "user_media",
        "business_basic",
        "business_content_publish",
        "business_manage_comments",
        "business_manage_messages",
        "business_manage_insights",
    }
)


def _unwrap(body: dict[str, Any]) -> dict[str, Any]:
    """Meta's docs wrap token and `/me` answers in `{"data": [{...}]}`; live answers are
    flat (docs/providers/instagram.md#the-token-endpoint; docs/providers/instagram.md#the-profile).
    Accept both."""
    data = body.get("data")
    if isinstance(data, list) and "access_token" not in body and "id" not in body:
        if not data or not isinstance(data[0], dict):
            return {}
        return dict(data[0])
    return dict(body)


def _id_str(value: Any) -> str | None:
    """A numeric id as a string, digit for digit (ints are exact in Python; a float would
    already have lost digits, so it is refused)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _ids_to_str(obj: dict[str, Any], *keys: str) -> None:
    """`_id_str` in place; an id that cannot be one is dropped, never kept half-parsed."""
    for key in keys:
        if key in obj:
            value = _id_str(obj[key])
            if value is None:
                del obj[key]
            else:
                obj[key] = value


def conform_instagram_token(body: dict[str, Any]) -> dict[str, Any]:
    """Make Instagram's short-lived token response a standard one
    (docs/providers/instagram.md#the-token-endpoint): unwrap `data[0]`, `user_id` -> str,
    `permissions` -> list, `token_type="bearer"`, and `expires_in=3600` when absent. A missing
    `access_token` stays missing (an error)."""
    tokens = _unwrap(body)
    _ids_to_str(tokens, "user_id")
    permissions = tokens.get("permissions")
    if isinstance(permissions, str):
        tokens["permissions"] = [p.strip() for p in permissions.split(",") if p.strip()]
    tokens.setdefault("token_type", "bearer")
    if tokens.get("expires_in") is None:
        tokens["expires_in"] = SHORT_LIVED_SECONDS
    return tokens


@dataclass(frozen=True, kw_only=True)
class InstagramProvider(OAuthProvider):
    """Business Login for Instagram. Extra options: `graph_url` (base of the token
    exchange and refresh endpoints), `graph_version` (of `/me`), `fields`, `long_lived`."""

    # Meta accepts http:// redirect URIs only on localhost: elsewhere sign-in warns
    # `insecure-redirect-uri` before Instagram refuses the request.
    https_redirect_only: ClassVar[bool] = True
    graph_url: str = GRAPH_URL
    graph_version: str | None = DEFAULT_GRAPH_VERSION
    fields: tuple[str, ...] = DEFAULT_FIELDS
    long_lived: bool = False

    def validate(self) -> None:
        super().validate()
        scope = self.authorization.param("scope") or ""
        requested = [s for s in scope.replace(" ", ",").split(",") if s]
        legacy = [s for s in requested if s in LEGACY_SCOPES]
        if legacy:
            raise ConfigError(
                f"provider {self.id!r}: scope {legacy} belongs to the retired Basic Display "
                "API or the pre-2025 names; use instagram_business_basic (and "
                "instagram_business_* for more), see docs/providers/instagram.md",
                option="scope",
            )
        if not requested:
            raise ConfigError(
                f"provider {self.id!r}: Instagram needs a scope (instagram_business_basic)",
                option="scope",
            )
        if self.token_endpoint_auth_method != "client_secret_post":
            raise ConfigError(
                f"provider {self.id!r}: Instagram accepts the client secret only in the form "
                "body (client_secret_post)",
                option="token_endpoint_auth_method",
            )

    def after_token(self, ctx: CallbackContext, tokens: dict[str, Any]) -> Flow[dict[str, Any]]:
        if not self.long_lived:
            return tokens
        import httpx

        # docs/providers/instagram.md#long-lived-tokens-and-refresh: GET
        # /access_token?grant_type=ig_exchange_token (server side only)
        request = httpx.Request(
            "GET",
            f"{self.graph_url.rstrip('/')}/access_token",
            params={
                "grant_type": "ig_exchange_token",
                "client_secret": self.client_secret or "",
                "access_token": tokens["access_token"],
            },
        )
        try:
            body = yield from ctx.fetch_json(request, endpoint="token exchange")
        except OAuthProviderError as exc:
            if not exc.retryable:
                raise
            # A rate limit or an outage must not cost the sign-in: keep the one-hour token,
            # which the app can exchange later; the warning says it happened.
            ctx.env.logger.warn(EXCHANGE_FAILED_WARNING)
            ctx.env.logger.debug(exc.message)
            return tokens
        long_lived = _long_lived_result(self.id, body, now=ctx.env.now())
        return {
            **tokens,
            **long_lived,
            "short_lived_access_token": tokens["access_token"],
        }

    def fetch_profile(self, ctx: CallbackContext, tokens: dict[str, Any]) -> Flow[dict[str, Any]]:
        # Meta documents the token as the `access_token` query parameter
        # (docs/providers/instagram.md#the-profile).
        import httpx

        params = dict(self.userinfo.params)
        params.setdefault("fields", ",".join(self.fields))
        params["access_token"] = tokens["access_token"]
        request = httpx.Request("GET", ctx.userinfo_url(), params=params)
        body = yield from ctx.fetch_json(request, endpoint="userinfo")
        profile = _unwrap(body)
        _ids_to_str(profile, "id", "user_id")
        return profile

    def default_profile(self, profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
        """`id` is `/me`'s `id` (what Auth.js, Socialite, allauth, social-core and
        nuxt-auth-utils key on, docs/providers/instagram.md#the-profile), falling back to `user_id`;
        both stay in the profile. Instagram never returns an email."""
        ident = profile.get("id") or profile.get("user_id")
        return {
            "id": ident,
            "name": profile.get("name") or profile.get("username"),
            "email": None,
            "image": profile.get("profile_picture_url"),
        }


def _long_lived_result(provider_id: str, body: dict[str, Any], *, now: float) -> dict[str, Any]:
    token = body.get("access_token")
    if not isinstance(token, str) or not token:
        raise OAuthProviderError(
            f"{provider_id} token exchange: the response has no access_token",
            provider=provider_id,
            endpoint="token exchange",
            reason="bad_token_response",
        )
    from ..oauth._token import parse_expires_in

    expires_in = parse_expires_in(body.get("expires_in"))
    if expires_in is None or expires_in <= 0:
        expires_in = LONG_LIVED_SECONDS  # never keep the short-lived token's one hour
    token_type = body.get("token_type")
    return {
        "access_token": token,
        "token_type": token_type.lower() if isinstance(token_type, str) else "bearer",
        "expires_in": expires_in,
        "expires_at": math.floor(now) + expires_in,
    }


def Instagram(**options: Any) -> InstagramProvider:
    """`Instagram(client_id=..., client_secret=...)`, plus any option of
    `InstagramProvider` / `OAuthProvider` (docs/providers/instagram.md)."""
    opts = dict(options)
    graph_url = opts.get("graph_url", GRAPH_URL)
    version = opts.get("graph_version", DEFAULT_GRAPH_VERSION)
    defaults = InstagramProvider(
        id="instagram",
        name="Instagram",
        style={"brandColor": "#E1306C", "logo": "instagram.svg", "bg": "#fff", "text": "#000"},
        authorization=Endpoint(AUTHORIZE_URL, (("scope", "instagram_business_basic"),)),
        token=Endpoint(TOKEN_URL),
        userinfo=Endpoint(_me_url(graph_url, version)),
        token_endpoint_auth_method="client_secret_post",
        # state always (RFC 9700 §4.7.1: PKCE support unknown); PKCE too, harmless if ignored.
        checks=("pkce", "state"),
        conform=conform_instagram_token,
        scope_separator=",",
        authorization_query_params=(
            "scope",
            "enable_fb_login",
            "force_reauth",
            "force_authentication",
        ),
    )
    provider = build_provider(defaults, opts)
    scope = provider.authorization.param("scope")
    if scope is not None:
        # Instagram's scopes are comma-separated; a space-separated string (as Auth.js
        # examples write them) would be sent as `a+b` and fail.
        joined = ",".join(s for s in re.split(r"[\s,]+", scope) if s)
        provider = provider.evolve(
            authorization=provider.authorization.with_params({"scope": joined})
        )
    return provider


def _me_url(graph_url: str, version: str | None) -> str:
    base = graph_url.rstrip("/")
    return f"{base}/{version}/me" if version else f"{base}/me"


# ---- refreshing the long-lived token ---------------------------------------------------------


def _refresh_flow(
    access_token: str, graph_url: str, limits: Limits | None, now: Callable[[], float]
) -> Flow[dict[str, Any]]:
    """What the sync and the async refresh both send and check."""
    import httpx

    from .._options import Limits
    from ..oauth._context import identify
    from ..oauth._fetch import fetch_json

    request = identify(
        httpx.Request(
            "GET",
            f"{graph_url.rstrip('/')}/refresh_access_token",
            params={"grant_type": "ig_refresh_token", "access_token": access_token},
        )
    )
    body = yield from fetch_json(
        request, limits or Limits(), provider_id="instagram", endpoint="token refresh"
    )
    return _long_lived_result("instagram", body, now=now())


def _graph_url(provider: InstagramProvider | None, graph_url: str | None) -> str:
    if graph_url is not None:
        return graph_url
    return provider.graph_url if provider is not None else GRAPH_URL


def refresh_long_lived_token(
    access_token: str,
    *,
    client: httpx.Client,
    provider: InstagramProvider | None = None,
    graph_url: str | None = None,
    limits: Limits | None = None,
    now: Callable[[], float] = time.time,
) -> dict[str, Any]:
    """Refresh a 60-day token (`ig_refresh_token`): the token must be at least 24 h old and
    unexpired. `provider` (the configured `Instagram(...)`) says where its Graph API is, so
    a provider pointed at the mock IdP refreshes there. Returns `{access_token, token_type,
    expires_in, expires_at}`; raises `OAuthProviderError` (code 190: expired, the user must
    sign in again)."""
    from .._flow import drive_sync

    flow = _refresh_flow(access_token, _graph_url(provider, graph_url), limits, now)
    return drive_sync(flow, client)


async def async_refresh_long_lived_token(
    access_token: str,
    *,
    client: httpx.AsyncClient,
    provider: InstagramProvider | None = None,
    graph_url: str | None = None,
    limits: Limits | None = None,
    now: Callable[[], float] = time.time,
) -> dict[str, Any]:
    """`refresh_long_lived_token` for async code."""
    from .._flow import drive_async

    flow = _refresh_flow(access_token, _graph_url(provider, graph_url), limits, now)
    return await drive_async(flow, client)
