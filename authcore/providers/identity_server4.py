"""IdentityServer4 (unmaintained since 2022, succeeded by Duende IdentityServer): OpenID
Connect at your server's issuer."""

from __future__ import annotations

from typing import Any

from .oauth import OIDCProvider, build_provider

__all__ = ["IdentityServer4"]


def IdentityServer4(**options: Any) -> OIDCProvider:
    """`IdentityServer4(client_id=..., client_secret=..., issuer=...)`;
    issuer: your server's."""
    defaults = OIDCProvider(
        id="identity-server4",
        name="IdentityServer4",
    )
    return build_provider(defaults, options)
