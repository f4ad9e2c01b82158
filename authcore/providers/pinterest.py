"""Pinterest: OAuth 2 with scope `user_accounts:read`; `/v5/user_account` has no stable
numeric id, so the username is the id, as in Auth.js."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Pinterest"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("username"),
        "name": profile.get("username"),
        "email": None,
        "image": profile.get("profile_image"),
    }


def Pinterest(**options: Any) -> OAuthProvider:
    """`Pinterest(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="pinterest",
        name="Pinterest",
        style={"brandColor": "#bd081c"},
        authorization=Endpoint(
            "https://www.pinterest.com/oauth", (("scope", "user_accounts:read"),)
        ),
        token=Endpoint("https://api.pinterest.com/v5/oauth/token"),
        userinfo=Endpoint("https://api.pinterest.com/v5/user_account"),
        profile=profile,
    )
    return build_provider(defaults, options)
