"""Naver: OAuth 2; `/v1/nid/me` wraps the user in `response`."""

from __future__ import annotations

from typing import Any

from ._fields import nested
from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Naver"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": nested(profile, "response", "id"),
        "name": nested(profile, "response", "nickname"),
        "email": nested(profile, "response", "email"),
        "image": nested(profile, "response", "profile_image"),
    }


def Naver(**options: Any) -> OAuthProvider:
    """`Naver(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="naver",
        name="Naver",
        authorization=Endpoint("https://nid.naver.com/oauth2.0/authorize"),
        token=Endpoint("https://nid.naver.com/oauth2.0/token"),
        userinfo=Endpoint("https://openapi.naver.com/v1/nid/me"),
        profile=profile,
    )
    return build_provider(defaults, options)
