"""osu!: OAuth 2 with scope `identify`; the user from `/api/v2/me` (numeric id, no email)."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Osu"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("id"),
        "name": profile.get("username"),
        "email": None,
        "image": profile.get("avatar_url"),
    }


def Osu(**options: Any) -> OAuthProvider:
    """`Osu(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="osu",
        name="osu!",
        authorization=Endpoint("https://osu.ppy.sh/oauth/authorize", (("scope", "identify"),)),
        token=Endpoint("https://osu.ppy.sh/oauth/token"),
        userinfo=Endpoint("https://osu.ppy.sh/api/v2/me"),
        profile=profile,
    )
    return build_provider(defaults, options)
