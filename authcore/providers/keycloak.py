"""Keycloak: OpenID Connect per realm, issuer `https://<host>/realms/<realm>` (Keycloak 17+;
older servers add `/auth` before `/realms`)."""

from __future__ import annotations

from typing import Any

from ._templated import issuer_from_parts
from .oauth import OIDCProvider, build_provider

__all__ = ["Keycloak"]

REGISTER_URL = "https://www.keycloak.org/docs/latest/server_admin/#_oidc_clients"


def Keycloak(**options: Any) -> OIDCProvider:
    """`Keycloak(issuer="https://kc.example.com/realms/my-realm")` or
    `Keycloak(base_url="https://kc.example.com", realm="my-realm")`; or set
    `AUTH_KEYCLOAK_ISSUER`."""
    opts = issuer_from_parts(
        "keycloak", options, "{base_url}/realms/{realm}", ("base_url", "realm")
    )
    defaults = OIDCProvider(id="keycloak", name="Keycloak", style={"brandColor": "#428bca"})
    return build_provider(defaults, opts)
