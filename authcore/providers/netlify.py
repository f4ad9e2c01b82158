"""Netlify: OAuth 2 (no scopes, so the request carries an empty `scope`); the user from
`/api/v1/user`."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Netlify"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("id"),
        "name": profile.get("full_name"),
        "email": profile.get("email"),
        "image": profile.get("avatar_url"),
    }


def Netlify(**options: Any) -> OAuthProvider:
    """`Netlify(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="netlify",
        name="Netlify",
        style={"brandColor": "#32e6e2"},
        authorization=Endpoint("https://app.netlify.com/authorize", (("scope", ""),)),
        token=Endpoint("https://api.netlify.com/oauth/token"),
        userinfo=Endpoint("https://api.netlify.com/api/v1/user"),
        profile=profile,
    )
    return build_provider(defaults, options)
