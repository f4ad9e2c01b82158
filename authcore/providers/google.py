"""Google: OpenID Connect through discovery at `https://accounts.google.com`."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OIDCProvider, build_provider

__all__ = ["Google"]

REGISTER_URL = "https://console.cloud.google.com/apis/credentials"

ISSUER = "https://accounts.google.com"


def Google(**options: Any) -> OIDCProvider:
    """`Google(client_id=..., client_secret=...)`; `authorization={"params": {"prompt":
    "consent", "access_type": "offline"}}` for a refresh token."""
    defaults = OIDCProvider(
        id="google",
        name="Google",
        issuer=ISSUER,
        style={"brandColor": "#1e8e3e", "logo": "google.svg", "bg": "#fff", "text": "#000"},
        authorization=Endpoint(None, (("scope", "openid profile email"),)),
    )
    return build_provider(defaults, options)
