"""Bungie.net: OAuth 2. Auth.js requests its userinfo URL with the literal `{membershipId}`
placeholder and without the `X-API-Key` every Bungie API call needs, so it never gets a
profile; here the placeholder is the token answer's `membership_id` and `api_key` (the app's
API key) is sent (docs/differences.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..errors import ConfigError
from ._fields import bad_userinfo, nested
from .oauth import Endpoint, OAuthProvider, build_provider

if TYPE_CHECKING:
    from .._flow import Flow
    from ..oauth._context import CallbackContext

__all__ = ["Bungie", "BungieProvider"]

BASE = "https://www.bungie.net"


@dataclass(frozen=True, kw_only=True)
class BungieProvider(OAuthProvider):
    """`api_key`: the X-API-Key of the app (bungie.net/en/Application)."""

    api_key: str | None = None

    def validate(self) -> None:
        super().validate()
        if not self.api_key:
            raise ConfigError(
                f"provider {self.id!r}: Bungie needs the app's api_key (X-API-Key)",
                option="api_key",
            )

    def fetch_profile(self, ctx: CallbackContext, tokens: dict[str, Any]) -> Flow[dict[str, Any]]:
        import httpx

        membership = tokens.get("membership_id")
        if not isinstance(membership, (str, int)) or isinstance(membership, bool):
            raise bad_userinfo(self.id, "the token answer names no membership_id")
        url = ctx.userinfo_url().replace("{membershipId}", quote(str(membership), safe=""))
        request = httpx.Request(
            "GET",
            url,
            headers={
                "authorization": f"Bearer {tokens['access_token']}",
                "x-api-key": self.api_key or "",
            },
        )
        profile: dict[str, Any] = yield from ctx.fetch_json(request, endpoint="userinfo")
        return profile


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    user = nested(profile, "Response", "bungieNetUser")
    path = nested(user, "profilePicturePath")
    return {
        "id": nested(user, "membershipId"),
        "name": nested(user, "displayName"),
        "email": None,
        "image": f"{BASE}{'' if path.startswith('/') else '/'}{path}"
        if isinstance(path, str) and path
        else None,
    }


def Bungie(**options: Any) -> BungieProvider:
    """`Bungie(client_id=..., client_secret=..., api_key=...)`."""
    defaults = BungieProvider(
        id="bungie",
        name="Bungie",
        authorization=Endpoint(f"{BASE}/en/OAuth/Authorize", (("reauth", "true"),)),
        token=Endpoint(f"{BASE}/platform/app/oauth/token/"),
        userinfo=Endpoint(f"{BASE}/platform/User/GetBungieAccount/{{membershipId}}/254/"),
        profile=profile,
    )
    return build_provider(defaults, options)
