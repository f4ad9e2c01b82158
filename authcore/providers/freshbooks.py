"""FreshBooks: OAuth 2; `/auth/api/v1/users/me` wraps the identity in `response`."""

from __future__ import annotations

from typing import Any

from ._fields import full_name
from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Freshbooks"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    me = profile.get("response")
    me = me if isinstance(me, dict) else {}
    return {
        "id": me.get("id"),
        "name": full_name(me.get("first_name"), me.get("last_name")),
        "email": me.get("email"),
        "image": None,
    }


def Freshbooks(**options: Any) -> OAuthProvider:
    """`Freshbooks(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="freshbooks",
        name="Freshbooks",
        style={"bg": "#0075dd", "text": "#fff"},
        authorization=Endpoint("https://auth.freshbooks.com/service/auth/oauth/authorize"),
        token=Endpoint("https://api.freshbooks.com/auth/oauth/token"),
        userinfo=Endpoint("https://api.freshbooks.com/auth/api/v1/users/me"),
        profile=profile,
    )
    return build_provider(defaults, options)
