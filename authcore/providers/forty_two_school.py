"""42 School (the intra): OAuth 2, the user from `/v2/me` with its numeric id."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["FortyTwo"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    image = profile.get("image")
    return {
        "id": profile.get("id"),
        "name": profile.get("usual_full_name"),
        "email": profile.get("email"),
        "image": image.get("link") if isinstance(image, dict) else None,
    }


def FortyTwo(**options: Any) -> OAuthProvider:
    """`FortyTwo(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="42-school",
        name="42 School",
        authorization=Endpoint("https://api.intra.42.fr/oauth/authorize", (("scope", "public"),)),
        token=Endpoint("https://api.intra.42.fr/oauth/token"),
        userinfo=Endpoint("https://api.intra.42.fr/v2/me"),
        profile=profile,
    )
    return build_provider(defaults, options)
