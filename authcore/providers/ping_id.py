"""Ping Identity (PingOne): OpenID Connect at your environment's issuer."""

from __future__ import annotations

from typing import Any

from .oauth import OIDCProvider, build_provider

__all__ = ["PingId"]


def PingId(**options: Any) -> OIDCProvider:
    """`PingId(client_id=..., client_secret=..., issuer=...)`;
    issuer: your environment's `https://auth.pingone.com/<env>/as`."""
    defaults = OIDCProvider(
        id="ping-id",
        name="Ping Identity",
    )
    return build_provider(defaults, options)
