"""LinkedIn: "Sign In with LinkedIn using OpenID Connect" (the product that replaced the
`r_liteprofile` API in 2023). The secret travels in the form body; LinkedIn supports no
PKCE for web apps, so the checks are state and the ID token's nonce (Auth.js: state only)."""

from __future__ import annotations

from typing import Any

from .oauth import OIDCProvider, build_provider

__all__ = ["LinkedIn"]

REGISTER_URL = "https://www.linkedin.com/developers/apps"


def LinkedIn(**options: Any) -> OIDCProvider:
    """`LinkedIn(client_id=..., client_secret=...)`; scope `openid profile email`."""
    defaults = OIDCProvider(
        id="linkedin",
        name="LinkedIn",
        issuer="https://www.linkedin.com/oauth",
        token_endpoint_auth_method="client_secret_post",
        checks=("state", "nonce"),
        style={"bg": "#069", "text": "#fff"},
    )
    return build_provider(defaults, options)
