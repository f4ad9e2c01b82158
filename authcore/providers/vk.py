"""VK: OAuth 2 with the secret in the form body and API version 5.131. The token answer has
no `token_type` (Auth.js refuses it; taken as Bearer here, docs/differences.md) and carries
the address as `email`; `users.get` answers `{"response": [user]}`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._fields import bad_userinfo, full_name, nested, with_bearer_type
from .oauth import Endpoint, OAuthProvider, build_provider

if TYPE_CHECKING:
    from .._flow import Flow
    from ..oauth._context import CallbackContext

__all__ = ["VK", "VKProvider"]

API_VERSION = "5.131"


@dataclass(frozen=True, kw_only=True)
class VKProvider(OAuthProvider):
    def fetch_profile(self, ctx: CallbackContext, tokens: dict[str, Any]) -> Flow[dict[str, Any]]:
        import httpx

        request = httpx.Request(
            "GET",
            ctx.userinfo_url(),
            params=dict(self.userinfo.params),
            headers={"authorization": f"Bearer {tokens['access_token']}"},
        )
        body: dict[str, Any] = yield from ctx.fetch_json(request, endpoint="userinfo")
        user = nested(body, "response", 0)
        if not isinstance(user, dict):  # VK reports errors as {"error": {...}} with 200
            raise bad_userinfo(self.id, "no user in the answer")
        email = tokens.get("email")
        return {**user, "email": email if isinstance(email, str) and email else None}


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("id"),
        "name": full_name(profile.get("first_name"), profile.get("last_name")) or "",
        "email": profile.get("email"),
        "image": profile.get("photo_100"),
    }


def VK(**options: Any) -> VKProvider:
    """`VK(client_id=..., client_secret=...)`; scope `email`."""
    version = (("v", API_VERSION),)
    defaults = VKProvider(
        id="vk",
        name="VK",
        style={"bg": "#07F", "text": "#fff"},
        authorization=Endpoint("https://oauth.vk.com/authorize", (("scope", "email"), *version)),
        token=Endpoint("https://oauth.vk.com/access_token", version),
        userinfo=Endpoint(
            "https://api.vk.com/method/users.get", (("fields", "photo_100"), *version)
        ),
        token_endpoint_auth_method="client_secret_post",
        conform=with_bearer_type,
        profile=profile,
    )
    return build_provider(defaults, options)
