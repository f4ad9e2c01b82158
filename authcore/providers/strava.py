"""Strava: OAuth 2 with the secret in the form body; the athlete from `/api/v3/athlete`
(numeric id, no email)."""

from __future__ import annotations

from typing import Any

from ._fields import full_name
from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Strava"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("id"),
        "name": full_name(profile.get("firstname"), profile.get("lastname")),
        "email": None,
        "image": profile.get("profile"),
    }


def Strava(**options: Any) -> OAuthProvider:
    """`Strava(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="strava",
        name="Strava",
        authorization=Endpoint(
            "https://www.strava.com/api/v3/oauth/authorize",
            (
                ("scope", "read"),
                ("approval_prompt", "auto"),
                ("response_type", "code"),
            ),
        ),
        token=Endpoint("https://www.strava.com/api/v3/oauth/token"),
        userinfo=Endpoint("https://www.strava.com/api/v3/athlete"),
        token_endpoint_auth_method="client_secret_post",
        profile=profile,
    )
    return build_provider(defaults, options)
