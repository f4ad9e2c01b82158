"""Facebook Login: OAuth 2 against the Graph API; the profile is
`/me?fields=id,name,email,picture` and the picture URL sits in `picture.data.url`."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Facebook"]

REGISTER_URL = "https://developers.facebook.com/apps/"


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    picture = profile.get("picture")
    data = picture.get("data") if isinstance(picture, dict) else None
    return {
        "id": profile.get("id"),
        "name": profile.get("name"),
        "email": profile.get("email"),
        "image": data.get("url") if isinstance(data, dict) else None,
    }


def Facebook(**options: Any) -> OAuthProvider:
    """`Facebook(client_id=<App ID>, client_secret=<App Secret>)`; scope `email`."""
    defaults = OAuthProvider(
        id="facebook",
        name="Facebook",
        authorization=Endpoint(
            "https://www.facebook.com/v19.0/dialog/oauth", (("scope", "email"),)
        ),
        token=Endpoint("https://graph.facebook.com/oauth/access_token"),
        userinfo=Endpoint("https://graph.facebook.com/me", (("fields", "id,name,email,picture"),)),
        profile=profile,
        style={"bg": "#006aff", "text": "#fff"},
    )
    return build_provider(defaults, options)
