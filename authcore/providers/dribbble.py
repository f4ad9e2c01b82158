"""Dribbble: OAuth 2. Auth.js sends `scope=undefined` unless a scope is given; here the
default is `public`, Dribbble's read scope (docs/differences.md)."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Dribbble"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("id"),
        "name": profile.get("name"),
        "email": profile.get("email"),
        "image": profile.get("avatar_url"),
    }


def Dribbble(**options: Any) -> OAuthProvider:
    """`Dribbble(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="dribbble",
        name="Dribbble",
        style={"text": "#fff", "bg": "#000"},
        authorization=Endpoint("https://dribbble.com/oauth/authorize", (("scope", "public"),)),
        token=Endpoint("https://dribbble.com/oauth/token"),
        userinfo=Endpoint("https://api.dribbble.com/v2/user"),
        profile=profile,
    )
    return build_provider(defaults, options)
