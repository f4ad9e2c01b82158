"""Beyond Identity: OpenID Connect (passwordless) at your tenant's issuer."""

from __future__ import annotations

from typing import Any

from .oauth import OIDCProvider, build_provider

__all__ = ["BeyondIdentity"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("sub"),
        "email": profile.get("email"),
        "name": profile.get("name"),
        "image": None,
        "preferred_username": profile.get("preferred_username"),
    }


def BeyondIdentity(**options: Any) -> OIDCProvider:
    """`BeyondIdentity(client_id=..., client_secret=..., issuer=...)`;
    issuer: your tenant's."""
    defaults = OIDCProvider(
        id="beyondidentity",
        name="Beyond Identity",
        style={"bg": "#5077c5", "text": "#fff"},
        profile=profile,
    )
    return build_provider(defaults, options)
