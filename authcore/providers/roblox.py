"""Roblox: OpenID Connect (discovery at `https://apis.roblox.com/oauth/`), scope
`openid profile`; Roblox has no email."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OIDCProvider, build_provider

__all__ = ["Roblox"]


def Roblox(**options: Any) -> OIDCProvider:
    """`Roblox(client_id=..., client_secret=...)`."""
    defaults = OIDCProvider(
        id="roblox",
        name="Roblox",
        style={"bg": "#5865F2", "text": "#fff"},
        authorization=Endpoint(None, (("scope", "openid profile"),)),
        issuer="https://apis.roblox.com/oauth/",
        checks=("pkce", "state", "nonce"),
    )
    return build_provider(defaults, options)
