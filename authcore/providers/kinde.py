"""Kinde: OpenID Connect at your business domain (`https://<business>.kinde.com`)."""

from __future__ import annotations

from typing import Any

from .oauth import OIDCProvider, build_provider

__all__ = ["Kinde"]


def Kinde(**options: Any) -> OIDCProvider:
    """`Kinde(client_id=..., client_secret=..., issuer=...)`;
    issuer: your business domain."""
    defaults = OIDCProvider(
        id="kinde",
        name="Kinde",
        style={"text": "#0F0F0F", "bg": "#fff"},
        checks=("state", "pkce", "nonce"),
    )
    return build_provider(defaults, options)
