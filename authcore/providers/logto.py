"""Logto: OpenID Connect at your tenant's `/oidc` issuer, scope
`offline_access openid email profile`."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OIDCProvider, build_provider

__all__ = ["Logto"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("sub"),
        "name": profile.get("name") or profile.get("username"),
        "email": profile.get("email"),
        "image": profile.get("picture"),
    }


def Logto(**options: Any) -> OIDCProvider:
    """`Logto(client_id=..., client_secret=..., issuer=...)`;
    issuer: your tenant's `https://<tenant>.logto.app/oidc`."""
    defaults = OIDCProvider(
        id="logto",
        name="Logto",
        authorization=Endpoint(None, (("scope", "offline_access openid email profile"),)),
        profile=profile,
    )
    return build_provider(defaults, options)
