"""WorkOS SSO: OAuth 2 in front of each customer's SAML or OIDC connection. Pick the
connection with `connection=` (or pass `organization` / `provider` as authorization params).
The token answer has no `token_type`; it is a Bearer token for `/sso/profile`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._fields import full_name, with_bearer_type
from ._templated import InstanceProvider
from .oauth import Endpoint, build_provider

__all__ = ["WorkOS", "WorkOSProvider"]

ISSUER = "https://api.workos.com/"
REGISTER_URL = "https://dashboard.workos.com/"


@dataclass(frozen=True, kw_only=True)
class WorkOSProvider(InstanceProvider):
    def default_profile(self, profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
        name = full_name(profile.get("first_name"), profile.get("last_name"))
        raw = profile.get("raw_attributes")
        return {
            "id": profile.get("id"),
            "name": name,
            "email": profile.get("email"),
            "image": raw.get("picture") if isinstance(raw, dict) else None,
        }


def WorkOS(*, connection: str = "", **options: Any) -> WorkOSProvider:
    """`WorkOS(client_id=..., client_secret=<API key>, connection="conn_...")`."""
    defaults = WorkOSProvider(
        id="workos",
        name="WorkOS",
        issuer=ISSUER,
        authorization=Endpoint(None, (("connection", connection),)),
        paths=(
            ("authorization", "/sso/authorize"),
            ("token", "/sso/token"),
            ("userinfo", "/sso/profile"),
        ),
        token_endpoint_auth_method="client_secret_post",
        conform=with_bearer_type,
        style={"bg": "#6363f1", "text": "#fff"},
    )
    provider = build_provider(defaults, options).resolved()
    assert isinstance(provider, WorkOSProvider)
    return provider
