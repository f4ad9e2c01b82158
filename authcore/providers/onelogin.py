"""OneLogin: OpenID Connect; the issuer is `https://<subdomain>.onelogin.com/oidc/2`."""

from __future__ import annotations

from typing import Any

from .oauth import OIDCProvider, build_provider

__all__ = ["OneLogin"]


def OneLogin(**options: Any) -> OIDCProvider:
    """`OneLogin(client_id=..., client_secret=..., issuer=...)`;
    issuer: your `https://<subdomain>.onelogin.com/oidc/2`."""
    defaults = OIDCProvider(
        id="onelogin",
        name="OneLogin",
    )
    return build_provider(defaults, options)
