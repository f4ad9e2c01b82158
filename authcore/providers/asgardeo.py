"""Asgardeo (WSO2): OpenID Connect; the issuer is the organisation's token endpoint URL
(`https://api.asgardeo.io/t/<org>/oauth2/token`), whose discovery document sits below it."""

from __future__ import annotations

from typing import Any

from .oauth import OIDCProvider, build_provider

__all__ = ["Asgardeo"]


def Asgardeo(**options: Any) -> OIDCProvider:
    """`Asgardeo(client_id=..., client_secret=..., issuer=...)`;
    issuer: your organisation's `.../oauth2/token` URL."""
    defaults = OIDCProvider(
        id="asgardeo",
        name="Asgardeo",
        style={"bg": "#000", "text": "#fff"},
    )
    return build_provider(defaults, options)
