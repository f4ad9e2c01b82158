"""Azure AD B2C: OpenID Connect per tenant and user flow. The issuer is the one your user
flow's discovery document names, e.g. `https://<tenant>.b2clogin.com/<tenant id>/v2.0/`;
the address comes from the `emails` claim (B2C sends a list)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .oauth import OIDCProvider, build_provider

__all__ = ["AzureADB2C", "AzureADB2CProvider"]

REGISTER_URL = (
    "https://learn.microsoft.com/azure/active-directory-b2c/tutorial-register-applications"
)


@dataclass(frozen=True, kw_only=True)
class AzureADB2CProvider(OIDCProvider):
    def default_profile(self, profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
        emails = profile.get("emails")
        email = emails[0] if isinstance(emails, list) and emails else profile.get("email")
        return {
            "id": profile.get("sub"),
            "name": profile.get("name") or profile.get("preferred_username"),
            "email": email if isinstance(email, str) else None,
            "image": None,
        }


def AzureADB2C(**options: Any) -> AzureADB2CProvider:
    """`AzureADB2C(issuer=..., client_id=..., client_secret=...)`; or set
    `AUTH_AZURE_AD_B2C_ISSUER`."""
    defaults = AzureADB2CProvider(
        id="azure-ad-b2c", name="Azure AD B2C", style={"text": "#fff", "bg": "#0072c6"}
    )
    return build_provider(defaults, options)
