"""Pipedrive: OAuth 2; `/users/me` wraps the user in `data` (numeric id)."""

from __future__ import annotations

from typing import Any

from ._fields import nested
from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Pipedrive"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    ident = nested(profile, "data", "id")
    return {
        "id": None if ident is None else str(ident),
        "name": nested(profile, "data", "name"),
        "email": nested(profile, "data", "email"),
        "image": nested(profile, "data", "icon_url"),
    }


def Pipedrive(**options: Any) -> OAuthProvider:
    """`Pipedrive(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="pipedrive",
        name="Pipedrive",
        authorization=Endpoint("https://oauth.pipedrive.com/oauth/authorize"),
        token=Endpoint("https://oauth.pipedrive.com/oauth/token"),
        userinfo=Endpoint("https://api.pipedrive.com/users/me"),
        profile=profile,
    )
    return build_provider(defaults, options)
