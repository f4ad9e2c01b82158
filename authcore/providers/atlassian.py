"""Atlassian (Jira, Confluence): OAuth 2.0 (3LO) with `audience=api.atlassian.com`; the
profile is `GET https://api.atlassian.com/me` (scope `read:me`)."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Atlassian"]

REGISTER_URL = "https://developer.atlassian.com/console/myapps/"


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("account_id"),
        "name": profile.get("name"),
        "email": profile.get("email"),
        "image": profile.get("picture"),
    }


def Atlassian(**options: Any) -> OAuthProvider:
    """`Atlassian(client_id=..., client_secret=...)`; add scopes with `scope=`."""
    defaults = OAuthProvider(
        id="atlassian",
        name="Atlassian",
        authorization=Endpoint(
            "https://auth.atlassian.com/authorize",
            (("audience", "api.atlassian.com"), ("scope", "read:me")),
        ),
        token=Endpoint("https://auth.atlassian.com/oauth/token"),
        userinfo=Endpoint("https://api.atlassian.com/me"),
        checks=("state",),
        profile=profile,
        style={"bg": "#fff", "text": "#0052cc"},
    )
    return build_provider(defaults, options)
