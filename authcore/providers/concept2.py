"""Concept2 Logbook: OAuth 2 with comma-separated scopes; `/api/users/me` wraps the user in
`data`."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Concept2"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    data = profile.get("data")
    data = data if isinstance(data, dict) else {}
    return {
        "id": data.get("id"),
        "name": data.get("username"),
        "email": data.get("email"),
        "image": data.get("profile_image"),
    }


def Concept2(**options: Any) -> OAuthProvider:
    """`Concept2(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="concept2",
        name="Concept2",
        authorization=Endpoint(
            "https://log.concept2.com/oauth/authorize", (("scope", "user:read,results:write"),)
        ),
        token=Endpoint("https://log.concept2.com/oauth/access_token"),
        userinfo=Endpoint("https://log.concept2.com/api/users/me"),
        profile=profile,
    )
    return build_provider(defaults, options)
