"""WordPress.com: OAuth 2 with scope `auth`; the user from `/rest/v1/me` (numeric `ID`)."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["WordPress"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("ID"),
        "name": profile.get("display_name"),
        "email": profile.get("email"),
        "image": profile.get("avatar_URL"),
    }


def WordPress(**options: Any) -> OAuthProvider:
    """`WordPress(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="wordpress",
        name="WordPress.com",
        authorization=Endpoint(
            "https://public-api.wordpress.com/oauth2/authorize", (("scope", "auth"),)
        ),
        token=Endpoint("https://public-api.wordpress.com/oauth2/token"),
        userinfo=Endpoint("https://public-api.wordpress.com/rest/v1/me"),
        profile=profile,
    )
    return build_provider(defaults, options)
