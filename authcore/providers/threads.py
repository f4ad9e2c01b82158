"""Threads (Meta): OAuth 2 like Instagram Login. The token answer is `{access_token,
user_id}` without `token_type`, and `/me` answers flat; Auth.js's provider reads the
profile from a `data` wrapper that the live API does not send and rejects the token
answer, so it cannot sign anyone in (docs/differences.md). Both shapes are read here, and a
numeric `user_id` keeps every digit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._fields import with_bearer_type
from .oauth import Endpoint, OAuthProvider, build_provider

if TYPE_CHECKING:
    from .._flow import Flow
    from ..oauth._context import CallbackContext

__all__ = ["Threads", "ThreadsProvider"]

REGISTER_URL = "https://developers.facebook.com/apps/"


def conform_token(body: dict[str, Any]) -> dict[str, Any]:
    tokens = dict(with_bearer_type(body))
    if isinstance(tokens.get("user_id"), int) and not isinstance(tokens["user_id"], bool):
        tokens["user_id"] = str(tokens["user_id"])
    return tokens


@dataclass(frozen=True, kw_only=True)
class ThreadsProvider(OAuthProvider):
    def fetch_profile(self, ctx: CallbackContext, tokens: dict[str, Any]) -> Flow[dict[str, Any]]:
        import httpx

        # Meta documents the token as the `access_token` query parameter.
        params = {**dict(self.userinfo.params), "access_token": tokens["access_token"]}
        request = httpx.Request("GET", ctx.userinfo_url(), params=params)
        body: dict[str, Any] = yield from ctx.fetch_json(request, endpoint="userinfo")
        return body

    def default_profile(self, profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
        data = profile.get("data")
        user = data if isinstance(data, dict) else profile
        return {
            "id": user.get("id"),
            "name": user.get("username") or None,
            "email": None,
            "image": user.get("threads_profile_picture_url") or None,
        }


def Threads(**options: Any) -> ThreadsProvider:
    """`Threads(client_id=<Threads App ID>, client_secret=<Threads App Secret>)`; scope
    `threads_basic`."""
    defaults = ThreadsProvider(
        id="threads",
        name="Threads",
        authorization=Endpoint(
            "https://threads.net/oauth/authorize", (("scope", "threads_basic"),)
        ),
        token=Endpoint("https://graph.threads.net/oauth/access_token"),
        userinfo=Endpoint(
            "https://graph.threads.net/v1.0/me",
            (("fields", "id,username,threads_profile_picture_url"),),
        ),
        token_endpoint_auth_method="client_secret_post",
        checks=("state",),
        conform=conform_token,
        style={"bg": "#000", "text": "#fff"},
    )
    return build_provider(defaults, options)
