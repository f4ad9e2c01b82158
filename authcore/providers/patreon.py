"""Patreon: OAuth 2 with scope `identity identity[email]`; the JSON:API user is `data` with
its `attributes`."""

from __future__ import annotations

from typing import Any

from ._fields import nested
from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Patreon"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": nested(profile, "data", "id"),
        "name": nested(profile, "data", "attributes", "full_name"),
        "email": nested(profile, "data", "attributes", "email"),
        "image": nested(profile, "data", "attributes", "image_url"),
    }


def Patreon(**options: Any) -> OAuthProvider:
    """`Patreon(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="patreon",
        name="Patreon",
        style={"bg": "#e85b46", "text": "#fff"},
        authorization=Endpoint(
            "https://www.patreon.com/oauth2/authorize", (("scope", "identity identity[email]"),)
        ),
        token=Endpoint("https://www.patreon.com/api/oauth2/token"),
        userinfo=Endpoint("https://www.patreon.com/api/oauth2/api/current_user"),
        profile=profile,
    )
    return build_provider(defaults, options)
