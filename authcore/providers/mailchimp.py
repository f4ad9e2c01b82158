"""Mailchimp: OAuth 2. The token answer has no `token_type` (Auth.js refuses it); here it is
taken as Bearer (docs/differences.md). The user from `/oauth2/metadata`."""

from __future__ import annotations

from typing import Any

from ._fields import nested, with_bearer_type
from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Mailchimp"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": nested(profile, "login", "login_id"),
        "name": profile.get("accountname"),
        "email": nested(profile, "login", "email"),
        "image": None,
    }


def Mailchimp(**options: Any) -> OAuthProvider:
    """`Mailchimp(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="mailchimp",
        name="Mailchimp",
        style={"bg": "#000", "text": "#fff"},
        authorization=Endpoint("https://login.mailchimp.com/oauth2/authorize"),
        token=Endpoint("https://login.mailchimp.com/oauth2/token"),
        userinfo=Endpoint("https://login.mailchimp.com/oauth2/metadata"),
        conform=with_bearer_type,
        profile=profile,
    )
    return build_provider(defaults, options)
