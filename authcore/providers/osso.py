"""Osso: SAML single sign-on behind an OAuth 2 facade; `issuer` is your Osso instance's URL
(with its trailing slash), the user from `/oauth/me` read with the standard mapping."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Osso"]


def Osso(**options: Any) -> OAuthProvider:
    """`Osso(client_id=..., client_secret=..., issuer="https://demo.ossoapp.com/")`."""
    base = str(options.get("issuer") or "")
    defaults = OAuthProvider(
        id="osso",
        name="Osso",
        authorization=Endpoint(f"{base}oauth/authorize"),
        token=Endpoint(f"{base}oauth/token"),
        userinfo=Endpoint(f"{base}oauth/me"),
    )
    return build_provider(defaults, options)
