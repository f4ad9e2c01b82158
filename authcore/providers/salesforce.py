"""Salesforce: OpenID Connect at `https://login.salesforce.com` (`https://test.salesforce.com`
for sandboxes, or your My Domain); the profile is the userinfo answer, whose `sub` must equal
the ID token's."""

from __future__ import annotations

from typing import Any

from .oauth import OIDCProvider, build_provider

__all__ = ["Salesforce"]

REGISTER_URL = "https://help.salesforce.com/s/articleView?id=sf.connected_app_create.htm"


def Salesforce(**options: Any) -> OIDCProvider:
    """`Salesforce(client_id=..., client_secret=...)`; `issuer=` for a sandbox or My Domain."""
    defaults = OIDCProvider(
        id="salesforce",
        name="Salesforce",
        issuer="https://login.salesforce.com",
        id_token=False,
        checks=("pkce", "state", "nonce"),
        style={"bg": "#00a1e0"},
    )
    return build_provider(defaults, options)
