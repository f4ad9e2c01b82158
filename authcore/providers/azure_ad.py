"""Azure Active Directory: the deprecated id of Microsoft Entra ID, kept for apps whose
callback URL and stored accounts say `azure-ad`.

The same provider as `microsoft-entra-id` (issuer, tenant handling, scope, no photo request)
under the id `azure-ad` and the name "Azure Active Directory", as Auth.js's alias. New apps
use `MicrosoftEntraID`; switching changes the callback URL and the `provider` of stored
accounts.
"""

from __future__ import annotations

from typing import Any

from ._entra import MicrosoftEntraIDProvider, entra_provider

__all__ = ["AzureAD"]

REGISTER_URL = (
    "https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade"
)


def AzureAD(**options: Any) -> MicrosoftEntraIDProvider:
    """Deprecated: use `MicrosoftEntraID`. `AzureAD(client_id=..., client_secret=...,
    tenant_id=...)`."""
    return entra_provider("azure-ad", "Azure Active Directory", options)
