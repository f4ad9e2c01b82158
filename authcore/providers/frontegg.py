"""Frontegg: OpenID Connect at your workspace's domain (the issuer), with the endpoints
under `/oauth`; the profile is the ID token's claims."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OIDCProvider, build_provider

__all__ = ["Frontegg"]


def Frontegg(**options: Any) -> OIDCProvider:
    """`Frontegg(client_id=..., client_secret=..., issuer="https://<workspace>.frontegg.com")`."""
    issuer = options.get("issuer")
    base = None if issuer is None else str(issuer).rstrip("/")
    defaults = OIDCProvider(
        id="frontegg",
        name="Frontegg",
        authorization=Endpoint(None if base is None else f"{base}/oauth/authorize"),
        token=Endpoint(None if base is None else f"{base}/oauth/token"),
        userinfo=Endpoint(None if base is None else f"{base}/identity/resources/users/v2/me"),
    )
    return build_provider(defaults, options)
