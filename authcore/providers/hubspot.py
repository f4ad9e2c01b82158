"""HubSpot: OAuth 2 with the secret in the form body; who signed in comes from the token's
own metadata, `GET /oauth/v1/access-tokens/<token>` (no Authorization header)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .oauth import Endpoint, OAuthProvider, build_provider

if TYPE_CHECKING:
    from .._flow import Flow
    from ..oauth._context import CallbackContext

__all__ = ["HubSpot", "HubSpotProvider"]


@dataclass(frozen=True, kw_only=True)
class HubSpotProvider(OAuthProvider):
    def fetch_profile(self, ctx: CallbackContext, tokens: dict[str, Any]) -> Flow[dict[str, Any]]:
        import httpx

        url = f"{ctx.userinfo_url().rstrip('/')}/{quote(tokens['access_token'], safe='')}"
        request = httpx.Request("GET", url, headers={"content-type": "application/json"})
        profile: dict[str, Any] = yield from ctx.fetch_json(request, endpoint="userinfo")
        return profile


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("user_id"),
        "name": profile.get("user"),
        "email": profile.get("user"),
        "image": None,
    }


def HubSpot(**options: Any) -> HubSpotProvider:
    """`HubSpot(client_id=..., client_secret=...)`; scope `oauth`."""
    defaults = HubSpotProvider(
        id="hubspot",
        name="HubSpot",
        style={"bg": "#ff7a59", "text": "#fff"},
        authorization=Endpoint("https://app.hubspot.com/oauth/authorize", (("scope", "oauth"),)),
        token=Endpoint("https://api.hubapi.com/oauth/v1/token"),
        userinfo=Endpoint("https://api.hubapi.com/oauth/v1/access-tokens"),
        token_endpoint_auth_method="client_secret_post",
        profile=profile,
    )
    return build_provider(defaults, options)
