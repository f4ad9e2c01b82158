"""Twitter / X: OAuth 2.0 with PKCE (the OAuth 1.0a flow is not offered). The profile is
`GET /2/users/me`, whose answer wraps the user in `data`. Confidential clients authenticate
with Basic; a public client sets `token_endpoint_auth_method="none"`."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Twitter"]

REGISTER_URL = "https://developer.x.com/en/portal/dashboard"


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    data = profile.get("data")
    user = data if isinstance(data, dict) else {}
    return {
        "id": user.get("id"),
        "name": user.get("name"),
        "email": user.get("email"),
        "image": user.get("profile_image_url"),
    }


def Twitter(**options: Any) -> OAuthProvider:
    """`Twitter(client_id=..., client_secret=...)` (the OAuth 2.0 Client ID and Secret);
    scope `users.read tweet.read offline.access`."""
    defaults = OAuthProvider(
        id="twitter",
        name="Twitter",
        authorization=Endpoint(
            "https://x.com/i/oauth2/authorize", (("scope", "users.read tweet.read offline.access"),)
        ),
        token=Endpoint("https://api.x.com/2/oauth2/token"),
        userinfo=Endpoint("https://api.x.com/2/users/me", (("user.fields", "profile_image_url"),)),
        checks=("pkce", "state"),
        profile=profile,
        style={"bg": "#1da1f2", "text": "#fff"},
    )
    return build_provider(defaults, options)
