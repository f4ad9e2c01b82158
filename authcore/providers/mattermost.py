"""Mattermost: OAuth 2 at your server (`issuer` is its URL), secret in the form body; the
user from `/api/v4/users/me`."""

from __future__ import annotations

from typing import Any

from ._fields import full_name
from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Mattermost"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("id"),
        "name": profile.get("username")
        or full_name(profile.get("first_name"), profile.get("last_name")),
        "email": profile.get("email"),
        "image": None,
    }


def Mattermost(**options: Any) -> OAuthProvider:
    """`Mattermost(client_id=..., client_secret=..., issuer="https://chat.example.com")`;
    the issuer only places the endpoints (Mattermost is no OpenID issuer)."""
    opts = dict(options)
    base = str(opts.pop("issuer", None) or "").rstrip("/")
    defaults = OAuthProvider(
        id="mattermost",
        name="Mattermost",
        style={"bg": "#000", "text": "#fff"},
        authorization=Endpoint(f"{base}/oauth/authorize"),
        token=Endpoint(f"{base}/oauth/access_token"),
        userinfo=Endpoint(f"{base}/api/v4/users/me"),
        token_endpoint_auth_method="client_secret_post",
        profile=profile,
    )
    return build_provider(defaults, opts)
