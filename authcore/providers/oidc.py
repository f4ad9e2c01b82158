"""A generic OpenID Connect provider from an issuer URL: endpoints, keys and algorithms come
from discovery; the profile is the validated ID token's claims."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OIDCProvider, build_provider

__all__ = ["OIDC"]


def OIDC(**options: Any) -> OIDCProvider:
    """`OIDC(issuer="https://id.example.com", client_id=..., client_secret=...)`;
    `id` / `name` default to `"oidc"` / `"OpenID Connect"`."""
    opts = dict(options)
    defaults = OIDCProvider(
        id=opts.pop("id", "oidc"),
        name=opts.pop("name", "OpenID Connect"),
        authorization=Endpoint(None, (("scope", "openid profile email"),)),
    )
    return build_provider(defaults, opts)
