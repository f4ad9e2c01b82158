"""Figma: OAuth 2 without PKCE (state only), scope `files:read`; the user from `/v1/me`."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Figma"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("id"),
        "name": profile.get("handle"),
        "email": profile.get("email"),
        "image": profile.get("img_url"),
    }


def Figma(**options: Any) -> OAuthProvider:
    """`Figma(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="figma",
        name="Figma",
        style={"text": "#fff", "bg": "#ff7237"},
        authorization=Endpoint("https://www.figma.com/oauth", (("scope", "files:read"),)),
        token=Endpoint("https://api.figma.com/v1/oauth/token"),
        userinfo=Endpoint("https://api.figma.com/v1/me"),
        checks=("state",),
        profile=profile,
    )
    return build_provider(defaults, options)
