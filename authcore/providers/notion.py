"""Notion: public integrations (OAuth 2 with Basic client authentication). The person who
installed the integration is `bot.owner.user` of `GET /v1/users/me`, read with the
`Notion-Version` header."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import OAuthProviderError
from .oauth import Endpoint, OAuthProvider, build_provider

if TYPE_CHECKING:
    from .._flow import Flow
    from ..oauth._context import CallbackContext

__all__ = ["Notion", "NotionProvider"]

HOST = "https://api.notion.com"
API_VERSION = "2022-06-28"
REGISTER_URL = "https://www.notion.so/profile/integrations"


@dataclass(frozen=True, kw_only=True)
class NotionProvider(OAuthProvider):
    api_version: str = API_VERSION

    def fetch_profile(self, ctx: CallbackContext, tokens: dict[str, Any]) -> Flow[dict[str, Any]]:
        import httpx

        request = httpx.Request(
            "GET",
            ctx.userinfo_url(),
            headers={
                "authorization": f"Bearer {tokens['access_token']}",
                "notion-version": self.api_version,
            },
        )
        body = yield from ctx.fetch_json(request, endpoint="userinfo")
        owner = (body.get("bot") or {}).get("owner") if isinstance(body.get("bot"), dict) else None
        user = owner.get("user") if isinstance(owner, dict) else None
        if not isinstance(user, dict):
            raise OAuthProviderError(
                f"{self.id} userinfo: the integration has no user owner (a workspace-owned "
                "bot cannot sign anyone in)",
                provider=self.id,
                endpoint="userinfo",
                reason="no_user",
            )
        return user

    def default_profile(self, profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
        person = profile.get("person")
        return {
            "id": profile.get("id"),
            "name": profile.get("name"),
            "email": person.get("email") if isinstance(person, dict) else None,
            "image": profile.get("avatar_url"),
        }


def Notion(**options: Any) -> NotionProvider:
    """`Notion(client_id=..., client_secret=...)` (a public integration's OAuth client)."""
    defaults = NotionProvider(
        id="notion",
        name="Notion",
        authorization=Endpoint(f"{HOST}/v1/oauth/authorize", (("owner", "user"),)),
        token=Endpoint(f"{HOST}/v1/oauth/token"),
        userinfo=Endpoint(f"{HOST}/v1/users/me"),
        style={"bg": "#fff", "text": "#000"},
    )
    return build_provider(defaults, options)
