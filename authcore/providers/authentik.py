"""authentik: OpenID Connect per application, issuer
`https://<host>/application/o/<application slug>/`."""

from __future__ import annotations

from typing import Any

from ._templated import issuer_from_parts
from .oauth import OIDCProvider, build_provider

__all__ = ["Authentik"]

REGISTER_URL = "https://docs.goauthentik.io/docs/add-secure-apps/providers/oauth2/"


def Authentik(**options: Any) -> OIDCProvider:
    """`Authentik(issuer="https://auth.example.com/application/o/my-app/")` or
    `Authentik(base_url="https://auth.example.com", slug="my-app")`; or set
    `AUTH_AUTHENTIK_ISSUER`."""
    opts = issuer_from_parts(
        "authentik", options, "{base_url}/application/o/{slug}/", ("base_url", "slug")
    )
    return build_provider(OIDCProvider(id="authentik", name="Authentik"), opts)
