"""Coinbase (Sign in with Coinbase): OAuth 2; `/v2/user` wraps the user in `data`."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Coinbase"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    data = profile.get("data")
    data = data if isinstance(data, dict) else {}
    return {
        "id": data.get("id"),
        "name": data.get("name"),
        "email": data.get("email"),
        "image": data.get("avatar_url"),
    }


def Coinbase(**options: Any) -> OAuthProvider:
    """`Coinbase(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="coinbase",
        name="Coinbase",
        style={"brandColor": "#0052ff"},
        authorization=Endpoint(
            "https://login.coinbase.com/oauth2/auth",
            (("scope", "wallet:user:email wallet:user:read"),),
        ),
        token=Endpoint("https://login.coinbase.com/oauth2/token"),
        userinfo=Endpoint("https://api.coinbase.com/v2/user"),
        profile=profile,
    )
    return build_provider(defaults, options)
