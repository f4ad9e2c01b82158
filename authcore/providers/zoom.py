"""Zoom: OAuth 2 (scopes are set on the app, so the request carries an empty `scope`); the
user from `/v2/users/me`."""

from __future__ import annotations

from typing import Any

from ._fields import full_name
from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Zoom"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("id"),
        "name": full_name(profile.get("first_name"), profile.get("last_name")),
        "email": profile.get("email"),
        "image": profile.get("pic_url"),
    }


def Zoom(**options: Any) -> OAuthProvider:
    """`Zoom(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="zoom",
        name="Zoom",
        style={"bg": "#0b5cff", "text": "#fff"},
        authorization=Endpoint("https://zoom.us/oauth/authorize", (("scope", ""),)),
        token=Endpoint("https://zoom.us/oauth/token"),
        userinfo=Endpoint("https://api.zoom.us/v2/users/me"),
        profile=profile,
    )
    return build_provider(defaults, options)
