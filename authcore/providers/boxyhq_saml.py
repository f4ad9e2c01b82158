"""BoxyHQ SAML Jackson: SAML single sign-on behind an OAuth 2 facade; `issuer` is your
Jackson service's URL, the endpoints live under `/api/oauth`."""

from __future__ import annotations

from typing import Any

from ._fields import full_name
from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["BoxyHQSAML"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("id"),
        "email": profile.get("email"),
        "name": full_name(profile.get("firstName"), profile.get("lastName")) or "",
        "image": None,
    }


def BoxyHQSAML(**options: Any) -> OAuthProvider:
    """`BoxyHQSAML(client_id="dummy", client_secret="dummy", issuer="https://jackson.example.com")`
    (tenant and product travel as the client id, see BoxyHQ's docs)."""
    base = str(options.get("issuer") or "").rstrip("/")
    defaults = OAuthProvider(
        id="boxyhq-saml",
        name="BoxyHQ SAML",
        style={"brandColor": "#25c2a0"},
        authorization=Endpoint(f"{base}/api/oauth/authorize", (("provider", "saml"),)),
        token=Endpoint(f"{base}/api/oauth/token"),
        userinfo=Endpoint(f"{base}/api/oauth/userinfo"),
        profile=profile,
    )
    return build_provider(defaults, options)
