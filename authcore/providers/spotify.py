"""Spotify: OAuth 2 with scope `user-read-email`; the picture is the first of `images`."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Spotify"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    images = profile.get("images")
    first = images[0] if isinstance(images, list) and images else None
    return {
        "id": profile.get("id"),
        "name": profile.get("display_name"),
        "email": profile.get("email"),
        "image": first.get("url") if isinstance(first, dict) else None,
    }


def Spotify(**options: Any) -> OAuthProvider:
    """`Spotify(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="spotify",
        name="Spotify",
        style={"brandColor": "#1db954"},
        authorization=Endpoint(
            "https://accounts.spotify.com/authorize", (("scope", "user-read-email"),)
        ),
        token=Endpoint("https://accounts.spotify.com/api/token"),
        userinfo=Endpoint("https://api.spotify.com/v1/me"),
        profile=profile,
    )
    return build_provider(defaults, options)
