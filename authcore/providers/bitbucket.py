"""Bitbucket Cloud: OAuth 2 with scope `account`; `/2.0/user` has no email (that needs the
`email` scope and `/2.0/user/emails`), so the user has none, as in Auth.js."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Bitbucket"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    links = profile.get("links")
    avatar = links.get("avatar") if isinstance(links, dict) else None
    return {
        "id": profile.get("account_id"),
        "name": profile.get("display_name") or profile.get("username"),
        "email": None,
        "image": avatar.get("href") if isinstance(avatar, dict) else None,
    }


def Bitbucket(**options: Any) -> OAuthProvider:
    """`Bitbucket(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="bitbucket",
        name="Bitbucket",
        style={"text": "#fff", "bg": "#205081"},
        authorization=Endpoint(
            "https://bitbucket.org/site/oauth2/authorize", (("scope", "account"),)
        ),
        token=Endpoint("https://bitbucket.org/site/oauth2/access_token"),
        userinfo=Endpoint("https://api.bitbucket.org/2.0/user"),
        profile=profile,
    )
    return build_provider(defaults, options)
