"""TikTok Login Kit for Web (API v2). TikTok calls the client id `client_key`: it is sent
under that name at the authorization and token endpoints (the `token_request` hook). The
user is `data.user` of `/v2/user/info/`; TikTok gives no email. Every answer carries an
`error` object; one whose `code` is not "ok" is an error even with HTTP 200."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .oauth import Endpoint, OAuthProvider, build_provider

if TYPE_CHECKING:
    import httpx

    from ..oauth._context import CallbackContext

__all__ = ["TikTok", "TikTokProvider"]

REGISTER_URL = "https://developers.tiktok.com/apps/"


@dataclass(frozen=True, kw_only=True)
class TikTokProvider(OAuthProvider):
    def authorization_params(self) -> dict[str, str]:
        return {"client_key": self.client_id or ""}

    def token_request(
        self, ctx: CallbackContext, url: str, form: dict[str, str], headers: dict[str, str]
    ) -> httpx.Request:
        return super().token_request(
            ctx, url, {**form, "client_key": self.client_id or ""}, headers
        )

    def default_profile(self, profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
        data = profile.get("data")
        user = data.get("user") if isinstance(data, dict) else None
        user = user if isinstance(user, dict) else {}
        return {
            "id": user.get("open_id"),
            "name": user.get("display_name"),
            "email": None,
            "image": user.get("avatar_url"),
        }


def TikTok(**options: Any) -> TikTokProvider:
    """`TikTok(client_id=<Client key>, client_secret=<Client secret>)`; scope
    `user.info.basic`."""
    defaults = TikTokProvider(
        id="tiktok",
        name="TikTok",
        authorization=Endpoint(
            "https://www.tiktok.com/v2/auth/authorize", (("scope", "user.info.basic"),)
        ),
        token=Endpoint("https://open.tiktokapis.com/v2/oauth/token/"),
        userinfo=Endpoint(
            "https://open.tiktokapis.com/v2/user/info/",
            (("fields", "open_id,avatar_url,display_name"),),
        ),
        token_endpoint_auth_method="client_secret_post",
        style={"bg": "#000", "text": "#fff"},
    )
    return build_provider(defaults, options)
