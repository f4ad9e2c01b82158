"""Reddit: OAuth 2 with Basic client authentication and no PKCE; the profile is
`/api/v1/me` (scope `identity`). Reddit gives no email."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Reddit"]

REGISTER_URL = "https://www.reddit.com/prefs/apps"


def Reddit(**options: Any) -> OAuthProvider:
    """`Reddit(client_id=..., client_secret=...)` (a "web app"); add
    `authorization={"params": {"duration": "permanent"}}` for a refresh token."""
    defaults = OAuthProvider(
        id="reddit",
        name="Reddit",
        authorization=Endpoint("https://www.reddit.com/api/v1/authorize", (("scope", "identity"),)),
        token=Endpoint("https://www.reddit.com/api/v1/access_token"),
        userinfo=Endpoint("https://oauth.reddit.com/api/v1/me"),
        checks=("state",),
        style={"brandColor": "#FF4500"},
    )
    return build_provider(defaults, options)
