"""Okta: OpenID Connect at your Okta domain; the issuer is the org authorization server
(`https://<org>.okta.com`) or a custom one (`https://<org>.okta.com/oauth2/default`).
PKCE and state as in Auth.js, and the nonce too, as for every OpenID Connect provider here."""

from __future__ import annotations

from typing import Any

from ._templated import issuer_from_parts
from .oauth import OIDCProvider, build_provider

__all__ = ["Okta"]

REGISTER_URL = "https://developer.okta.com/docs/guides/sign-into-web-app-redirect/"


def Okta(**options: Any) -> OIDCProvider:
    """`Okta(issuer="https://my-org.okta.com/oauth2/default")` or `Okta(domain="my-org.okta.com")`
    (the org authorization server); or set `AUTH_OKTA_ISSUER`."""
    opts = issuer_from_parts("okta", options, "https://{domain}", ("domain",))
    defaults = OIDCProvider(
        id="okta",
        name="Okta",
        style={"bg": "#000", "text": "#fff"},
        checks=("pkce", "state", "nonce"),
    )
    return build_provider(defaults, opts)
