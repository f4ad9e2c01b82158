"""FusionAuth: OpenID Connect at your instance (the issuer), scope
`openid offline_access email profile`; `tenant_id` picks a tenant."""

from __future__ import annotations

from typing import Any

from ._fields import full_name
from .oauth import Endpoint, OIDCProvider, build_provider

__all__ = ["FusionAuth"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    name = profile.get("name") or profile.get("preferred_username")
    if not name:
        parts = (profile.get("given_name"), profile.get("middle_name"), profile.get("family_name"))
        name = full_name(*parts)
    return {
        "id": profile.get("sub"),
        "email": profile.get("email"),
        "name": name,
        "image": profile.get("picture"),
    }


def FusionAuth(**options: Any) -> OIDCProvider:
    """`FusionAuth(client_id=..., client_secret=..., issuer="https://auth.example.com",
    tenant_id=...)`."""
    opts = dict(options)
    tenant = opts.pop("tenant_id", None)
    issuer = opts.get("issuer")
    base = None if issuer is None else str(issuer).rstrip("/")
    params: dict[str, Any] = {"scope": "openid offline_access email profile"}
    if tenant:
        params["tenantId"] = tenant
    defaults = OIDCProvider(
        id="fusionauth",
        name="FusionAuth",
        authorization=Endpoint(None).with_params(params),
        token=Endpoint(None if base is None else f"{base}/oauth2/token"),
        userinfo=Endpoint(None if base is None else f"{base}/oauth2/userinfo"),
        checks=("pkce", "state", "nonce"),
        profile=profile,
    )
    return build_provider(defaults, opts)
