"""Vipps MobilePay: OpenID Connect whose profile comes from the userinfo endpoint (the ID
token holds only the subject), scope `openid name email`."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OIDCProvider, build_provider

__all__ = ["Vipps"]


def Vipps(**options: Any) -> OIDCProvider:
    """`Vipps(client_id=..., client_secret=...)`."""
    defaults = OIDCProvider(
        id="vipps",
        name="Vipps",
        style={"brandColor": "#f05c18"},
        authorization=Endpoint(None, (("scope", "openid name email"),)),
        issuer="https://api.vipps.no/access-management-1.0/access/",
        id_token=False,
    )
    return build_provider(defaults, options)
