"""SimpleLogin (Proton): OpenID Connect at `https://app.simplelogin.io`; the picture is
`avatar_url`."""

from __future__ import annotations

from typing import Any

from .oauth import OIDCProvider, build_provider

__all__ = ["SimpleLogin"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("sub"),
        "name": profile.get("name"),
        "email": profile.get("email"),
        "image": profile.get("avatar_url"),
    }


def SimpleLogin(**options: Any) -> OIDCProvider:
    """`SimpleLogin(client_id=..., client_secret=...)`."""
    defaults = OIDCProvider(
        id="simplelogin",
        name="SimpleLogin",
        style={"brandColor": "#e3156a"},
        issuer="https://app.simplelogin.io",
        profile=profile,
    )
    return build_provider(defaults, options)
