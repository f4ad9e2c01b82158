"""EVE Online SSO: OAuth 2 without PKCE (state only); the character from `/oauth/verify`,
no email."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["EVEOnline"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    character = profile.get("CharacterID")
    return {
        "id": character,
        "name": profile.get("CharacterName"),
        "email": None,
        "image": f"https://image.eveonline.com/Character/{character}_128.jpg",
    }


def EVEOnline(**options: Any) -> OAuthProvider:
    """`EVEOnline(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="eveonline",
        name="EVE Online",
        authorization=Endpoint(
            "https://login.eveonline.com/v2/oauth/authorize", (("scope", "publicData"),)
        ),
        token=Endpoint("https://login.eveonline.com/v2/oauth/token"),
        userinfo=Endpoint("https://login.eveonline.com/oauth/verify"),
        checks=("state",),
        profile=profile,
    )
    return build_provider(defaults, options)
