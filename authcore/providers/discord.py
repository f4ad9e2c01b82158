"""Discord: OAuth 2 with the user from `/users/@me`; the avatar URL is built from the id and
avatar hash, or Discord's default avatar when the user has none."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Discord"]

CDN = "https://cdn.discordapp.com"


def _avatar(profile: dict[str, Any]) -> str:
    avatar = profile.get("avatar")
    if isinstance(avatar, str) and avatar:
        extension = "gif" if avatar.startswith("a_") else "png"
        return f"{CDN}/avatars/{profile['id']}/{avatar}.{extension}"
    # Default avatars: (id >> 22) % 6 for migrated usernames, discriminator % 5 before.
    discriminator = str(profile.get("discriminator") or "0")
    number = (int(profile["id"]) >> 22) % 6 if discriminator == "0" else int(discriminator) % 5
    return f"{CDN}/embed/avatars/{number}.png"


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("id"),
        "name": profile.get("global_name") or profile.get("username"),
        "email": profile.get("email"),
        "image": _avatar(profile),
    }


def Discord(**options: Any) -> OAuthProvider:
    """`Discord(client_id=..., client_secret=...)`; scope `identify email`."""
    defaults = OAuthProvider(
        id="discord",
        name="Discord",
        style={"bg": "#5865F2", "text": "#fff"},
        authorization=Endpoint(
            "https://discord.com/api/oauth2/authorize", (("scope", "identify email"),)
        ),
        token=Endpoint("https://discord.com/api/oauth2/token"),
        userinfo=Endpoint("https://discord.com/api/users/@me"),
        profile=profile,
    )
    return build_provider(defaults, options)
