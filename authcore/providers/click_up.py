"""ClickUp: OAuth 2 without PKCE (state only). The token answer has no `token_type`, which
Auth.js's token check refuses; here it is taken as Bearer (docs/differences.md).
`/api/v2/user` wraps the user in `user` and has no address, so the user has an id and a name."""

from __future__ import annotations

from typing import Any

from ._fields import with_bearer_type
from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["ClickUp"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    user = profile.get("user")
    user = user if isinstance(user, dict) else {}
    return {
        "id": user.get("id"),
        "name": user.get("username"),
        "email": None,
        "image": None,
        "profilePicture": user.get("profilePicture"),
        "color": user.get("color"),
    }


def ClickUp(**options: Any) -> OAuthProvider:
    """`ClickUp(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="click-up",
        name="ClickUp",
        style={"bg": "#24292f", "text": "#fff"},
        authorization=Endpoint("https://app.clickup.com/api"),
        token=Endpoint("https://api.clickup.com/api/v2/oauth/token"),
        userinfo=Endpoint("https://api.clickup.com/api/v2/user"),
        checks=("state",),
        conform=with_bearer_type,
        profile=profile,
    )
    return build_provider(defaults, options)
