"""FACEIT: OAuth 2 with HTTP Basic client authentication; the user from the userinfo
endpoint, keyed on `guid`."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["FACEIT"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("guid"),
        "name": profile.get("name"),
        "email": profile.get("email"),
        "image": profile.get("picture"),
    }


def FACEIT(**options: Any) -> OAuthProvider:
    """`FACEIT(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="faceit",
        name="FACEIT",
        authorization=Endpoint(
            "https://accounts.faceit.com/accounts", (("redirect_popup", "true"),)
        ),
        token=Endpoint("https://api.faceit.com/auth/v1/oauth/token"),
        userinfo=Endpoint("https://api.faceit.com/auth/v1/resources/userinfo"),
        profile=profile,
    )
    return build_provider(defaults, options)
