"""Yandex ID: OAuth 2; the user from `login.yandex.ru/info?format=json`, the picture built
from `default_avatar_id` unless the avatar is empty."""

from __future__ import annotations

from typing import Any

from ._fields import nested
from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Yandex"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    avatar = profile.get("default_avatar_id")
    return {
        "id": profile.get("id"),
        "name": profile.get("display_name")
        or profile.get("real_name")
        or profile.get("first_name"),
        "email": profile.get("default_email") or nested(profile, "emails", 0),
        "image": None
        if profile.get("is_avatar_empty") or not avatar
        else f"https://avatars.yandex.net/get-yapic/{avatar}/islands-200",
    }


def Yandex(**options: Any) -> OAuthProvider:
    """`Yandex(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="yandex",
        name="Yandex",
        style={"bg": "#ffcc00", "text": "#000"},
        authorization=Endpoint(
            "https://oauth.yandex.ru/authorize", (("scope", "login:info login:email login:avatar"),)
        ),
        token=Endpoint("https://oauth.yandex.ru/token"),
        userinfo=Endpoint("https://login.yandex.ru/info", (("format", "json"),)),
        profile=profile,
    )
    return build_provider(defaults, options)
