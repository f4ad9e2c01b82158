"""Todoist: OAuth 2 with the secret in the form body; the user comes from the Sync API
(`POST /sync/v9/sync` asking for the `user` resource)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._fields import bad_userinfo
from .oauth import Endpoint, OAuthProvider, build_provider

if TYPE_CHECKING:
    from .._flow import Flow
    from ..oauth._context import CallbackContext

__all__ = ["Todoist", "TodoistProvider"]

SYNC_URL = "https://api.todoist.com/sync/v9/sync"


@dataclass(frozen=True, kw_only=True)
class TodoistProvider(OAuthProvider):
    """`userinfo` overrides the Sync API URL (it has no userinfo endpoint of its own)."""

    def fetch_profile(self, ctx: CallbackContext, tokens: dict[str, Any]) -> Flow[dict[str, Any]]:
        import httpx

        request = httpx.Request(
            "POST",
            self.userinfo.url or SYNC_URL,
            headers={
                "authorization": f"Bearer {tokens['access_token']}",
                "content-type": "application/json",
            },
            content=json.dumps({"sync_token": "*", "resource_types": '["user"]'}),
        )
        body: dict[str, Any] = yield from ctx.fetch_json(request, endpoint="userinfo")
        user = body.get("user")
        if not isinstance(user, dict):
            raise bad_userinfo(self.id, "the sync answer has no user")
        return user


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("id"),
        "email": profile.get("email"),
        "name": profile.get("full_name"),
        "image": profile.get("avatar_big"),
    }


def Todoist(**options: Any) -> TodoistProvider:
    """`Todoist(client_id=..., client_secret=...)`; scope `data:read`."""
    defaults = TodoistProvider(
        id="todoist",
        name="Todoist",
        style={"text": "#000", "bg": "#E44332"},
        authorization=Endpoint("https://todoist.com/oauth/authorize", (("scope", "data:read"),)),
        token=Endpoint("https://todoist.com/oauth/access_token"),
        token_endpoint_auth_method="client_secret_post",
        profile=profile,
    )
    return build_provider(defaults, options)
