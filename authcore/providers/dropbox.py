"""Dropbox: OAuth 2 with an offline (refresh) token; the account comes from a `POST` to
`/2/users/get_current_account` (Dropbox's RPC endpoints take no `GET`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._fields import nested
from .oauth import Endpoint, OAuthProvider, build_provider

if TYPE_CHECKING:
    from .._flow import Flow
    from ..oauth._context import CallbackContext

__all__ = ["Dropbox", "DropboxProvider"]


@dataclass(frozen=True, kw_only=True)
class DropboxProvider(OAuthProvider):
    def fetch_profile(self, ctx: CallbackContext, tokens: dict[str, Any]) -> Flow[dict[str, Any]]:
        import httpx

        request = httpx.Request(
            "POST",
            ctx.userinfo_url(),
            headers={"authorization": f"Bearer {tokens['access_token']}"},
        )
        profile: dict[str, Any] = yield from ctx.fetch_json(request, endpoint="userinfo")
        return profile


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("account_id"),
        "name": nested(profile, "name", "display_name"),
        "email": profile.get("email"),
        "image": profile.get("profile_photo_url"),
    }


def Dropbox(**options: Any) -> DropboxProvider:
    """`Dropbox(client_id=..., client_secret=...)`; scope `account_info.read`."""
    defaults = DropboxProvider(
        id="dropbox",
        name="Dropbox",
        style={"brandColor": "#0061fe"},
        authorization=Endpoint(
            "https://www.dropbox.com/oauth2/authorize",
            (("token_access_type", "offline"), ("scope", "account_info.read")),
        ),
        token=Endpoint("https://api.dropboxapi.com/oauth2/token"),
        userinfo=Endpoint("https://api.dropboxapi.com/2/users/get_current_account"),
        profile=profile,
    )
    return build_provider(defaults, options)
