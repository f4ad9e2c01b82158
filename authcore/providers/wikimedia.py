"""Wikimedia (Meta-Wiki OAuth 2, for every Wikimedia wiki): the user from the profile
resource; an address only with the `email` grant."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Wikimedia"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("sub"),
        "name": profile.get("username"),
        "email": profile.get("email"),
        "image": None,
    }


def Wikimedia(**options: Any) -> OAuthProvider:
    """`Wikimedia(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="wikimedia",
        name="Wikimedia",
        style={"bg": "#000", "text": "#fff"},
        authorization=Endpoint(
            "https://meta.wikimedia.org/w/rest.php/oauth2/authorize", (("scope", ""),)
        ),
        token=Endpoint("https://meta.wikimedia.org/w/rest.php/oauth2/access_token"),
        userinfo=Endpoint("https://meta.wikimedia.org/w/rest.php/oauth2/resource/profile"),
        profile=profile,
    )
    return build_provider(defaults, options)
