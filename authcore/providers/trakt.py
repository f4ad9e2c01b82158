"""Trakt: OAuth 2 (empty `scope`); `/users/me?extended=full` needs the API version and the
client id as `trakt-api-key` headers. Trakt gives no email."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._fields import nested
from .oauth import Endpoint, OAuthProvider, build_provider

if TYPE_CHECKING:
    from .._flow import Flow
    from ..oauth._context import CallbackContext

__all__ = ["Trakt", "TraktProvider"]


@dataclass(frozen=True, kw_only=True)
class TraktProvider(OAuthProvider):
    def fetch_profile(self, ctx: CallbackContext, tokens: dict[str, Any]) -> Flow[dict[str, Any]]:
        import httpx

        request = httpx.Request(
            "GET",
            ctx.userinfo_url(),
            params=dict(self.userinfo.params),
            headers={
                "authorization": f"Bearer {tokens['access_token']}",
                "trakt-api-version": "2",
                "trakt-api-key": self.client_id or "",
            },
        )
        profile: dict[str, Any] = yield from ctx.fetch_json(request, endpoint="userinfo")
        return profile


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": nested(profile, "ids", "slug"),
        "name": profile.get("name"),
        "email": None,
        "image": nested(profile, "images", "avatar", "full"),
    }


def Trakt(**options: Any) -> TraktProvider:
    """`Trakt(client_id=..., client_secret=...)`."""
    defaults = TraktProvider(
        id="trakt",
        name="Trakt",
        style={"bg": "#ED2224", "text": "#fff"},
        authorization=Endpoint("https://trakt.tv/oauth/authorize", (("scope", ""),)),
        token=Endpoint("https://api.trakt.tv/oauth/token"),
        userinfo=Endpoint("https://api.trakt.tv/users/me", (("extended", "full"),)),
        profile=profile,
    )
    return build_provider(defaults, options)
