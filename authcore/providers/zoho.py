"""Zoho: OAuth 2 with scope `AaaServer.profile.Read`; the user from `/oauth/user/info`
(numeric `ZUID`)."""

from __future__ import annotations

from typing import Any

from ._fields import full_name
from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Zoho"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("ZUID"),
        "name": full_name(profile.get("First_Name"), profile.get("Last_Name")),
        "email": profile.get("Email"),
        "image": None,
    }


def Zoho(**options: Any) -> OAuthProvider:
    """`Zoho(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="zoho",
        name="Zoho",
        authorization=Endpoint(
            "https://accounts.zoho.com/oauth/v2/auth", (("scope", "AaaServer.profile.Read"),)
        ),
        token=Endpoint("https://accounts.zoho.com/oauth/v2/token"),
        userinfo=Endpoint("https://accounts.zoho.com/oauth/user/info"),
        profile=profile,
    )
    return build_provider(defaults, options)
