"""Duende IdentityServer 6: OpenID Connect at your server's issuer."""

from __future__ import annotations

from typing import Any

from .oauth import OIDCProvider, build_provider

__all__ = ["DuendeIdentityServer6"]


def DuendeIdentityServer6(**options: Any) -> OIDCProvider:
    """`DuendeIdentityServer6(client_id=..., client_secret=..., issuer=...)`;
    issuer: your server's."""
    defaults = OIDCProvider(
        id="duende-identity-server6",
        name="DuendeIdentityServer6",
    )
    return build_provider(defaults, options)
