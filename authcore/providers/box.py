"""Box: OAuth 2; the user's address is `login` in `/2.0/users/me`."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Box"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("id"),
        "name": profile.get("name"),
        "email": profile.get("login"),
        "image": profile.get("avatar_url"),
    }


def Box(**options: Any) -> OAuthProvider:
    """`Box(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="box",
        name="Box",
        style={"bg": "#0075C9", "text": "#fff"},
        authorization=Endpoint("https://account.box.com/api/oauth2/authorize"),
        token=Endpoint("https://api.box.com/oauth2/token"),
        userinfo=Endpoint("https://api.box.com/2.0/users/me"),
        profile=profile,
    )
    return build_provider(defaults, options)
