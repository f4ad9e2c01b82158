"""Microsoft Entra ID (formerly Azure AD): OpenID Connect, single- or multi-tenant.

The issuer is `https://login.microsoftonline.com/<tenant>/v2.0`; `tenant_id` spells it, and
without one it is the multi-tenant `common` endpoint (or `AUTH_MICROSOFT_ENTRA_ID_ISSUER`).
Multi-tenant metadata names the template issuer `.../{tenantid}/v2.0`: it is accepted for the
configured tenant, and each ID token must then name its own tenant (`tid`) in `iss`, as
Microsoft's token validation guide asks.

Unlike Auth.js no profile photo is fetched from Microsoft Graph: Auth.js inlines it as a
base64 `data:` URL into the user, and so into the session cookie (docs/differences.md).
"""

from __future__ import annotations

from typing import Any

from ._entra import MicrosoftEntraIDProvider, entra_provider

__all__ = ["MicrosoftEntraID", "MicrosoftEntraIDProvider"]

REGISTER_URL = (
    "https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade"
)


def MicrosoftEntraID(**options: Any) -> MicrosoftEntraIDProvider:
    """`MicrosoftEntraID(client_id=..., client_secret=..., tenant_id=...)`; without a tenant,
    any work, school or personal Microsoft account (`common`)."""
    return entra_provider("microsoft-entra-id", "Microsoft Entra ID", options)
