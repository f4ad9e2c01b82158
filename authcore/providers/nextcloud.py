"""Nextcloud: OAuth 2 at your instance (`issuer` is its URL). The token answer names the
`user_id`, whose OCS record (`/ocs/v1.php/cloud/users/<id>`, `OCS-APIRequest: true`) is the
profile; the picture is the instance's avatar URL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ._fields import bad_userinfo, nested
from .oauth import Endpoint, OAuthProvider, build_provider

if TYPE_CHECKING:
    from .._flow import Flow
    from ..oauth._context import CallbackContext

__all__ = ["Nextcloud", "NextcloudProvider"]


@dataclass(frozen=True, kw_only=True)
class NextcloudProvider(OAuthProvider):
    def fetch_profile(self, ctx: CallbackContext, tokens: dict[str, Any]) -> Flow[dict[str, Any]]:
        import httpx

        user_id = tokens.get("user_id")
        if not isinstance(user_id, str) or not user_id:
            raise bad_userinfo(self.id, "the token answer names no user_id")
        request = httpx.Request(
            "GET",
            f"{ctx.userinfo_url().rstrip('/')}/{quote(user_id, safe='')}",
            headers={
                "authorization": f"Bearer {tokens['access_token']}",
                "ocs-apirequest": "true",
                "accept": "application/json",
            },
        )
        body: dict[str, Any] = yield from ctx.fetch_json(request, endpoint="userinfo")
        data = nested(body, "ocs", "data")
        if not isinstance(data, dict):
            raise bad_userinfo(self.id, "no ocs.data in the answer")
        return data

    def default_profile(self, profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
        ident = profile.get("id")
        base = (self.issuer or "").rstrip("/")
        return {
            "id": ident,
            "name": profile.get("displayname"),
            "email": profile.get("email"),
            "image": f"{base}/avatar/{ident}/512" if ident else None,
        }


def Nextcloud(**options: Any) -> NextcloudProvider:
    """`Nextcloud(client_id=..., client_secret=..., issuer="https://cloud.example.com")`."""
    base = str(options.get("issuer") or "").rstrip("/")
    defaults = NextcloudProvider(
        id="nextcloud",
        name="Nextcloud",
        style={"logo": "/nextcloud.svg", "bg": "#fff", "text": "#0082C9"},
        authorization=Endpoint(f"{base}/apps/oauth2/authorize"),
        token=Endpoint(f"{base}/apps/oauth2/api/v1/token"),
        userinfo=Endpoint(f"{base}/ocs/v1.php/cloud/users"),
    )
    return build_provider(defaults, options)
