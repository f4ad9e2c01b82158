"""Passage by 1Password: OpenID Connect at your app's issuer, client secret in HTTP Basic."""

from __future__ import annotations

from typing import Any

from .oauth import OIDCProvider, build_provider

__all__ = ["Passage"]


def Passage(**options: Any) -> OIDCProvider:
    """`Passage(client_id=..., client_secret=..., issuer=...)`;
    issuer: your app's `https://<app>.withpassage.com`."""
    defaults = OIDCProvider(
        id="passage",
        name="Passage",
        style={"brandColor": "#3d53f6"},
        token_endpoint_auth_method="client_secret_basic",
    )
    return build_provider(defaults, options)
