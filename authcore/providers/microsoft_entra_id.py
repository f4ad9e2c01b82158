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

import re
from dataclasses import dataclass
from typing import Any

from ._templated import issuer_from_parts
from .oauth import Endpoint, OAuthProvider, OIDCProvider, build_provider

__all__ = ["MicrosoftEntraID", "MicrosoftEntraIDProvider"]

COMMON_ISSUER = "https://login.microsoftonline.com/common/v2.0"
REGISTER_URL = (
    "https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade"
)
_TENANT_ID = re.compile(r"^[\w.-]{1,64}$")
_TEMPLATE = "{tenantid}"


@dataclass(frozen=True, kw_only=True)
class MicrosoftEntraIDProvider(OIDCProvider):
    def with_env_defaults(
        self, *, client_id: str | None, client_secret: str | None, issuer: str | None
    ) -> OAuthProvider:
        filled = super().with_env_defaults(
            client_id=client_id, client_secret=client_secret, issuer=issuer
        )
        return filled if filled.issuer else filled.evolve(issuer=COMMON_ISSUER)

    def accepts_metadata_issuer(self, issuer: str) -> bool:
        """A `{tenantid}` template whose tenant slot the configured issuer fills (`common`,
        `organizations`, `consumers` or a tenant id), as Auth.js compares them."""
        prefix, sep, suffix = issuer.partition(_TEMPLATE)
        configured = self.issuer or ""
        if not sep or not configured.startswith(prefix) or not configured.endswith(suffix):
            return False
        tenant = configured[len(prefix) : len(configured) - len(suffix)]
        return bool(_TENANT_ID.match(tenant))

    def id_token_issuer(self, metadata_issuer: str, claims: dict[str, Any]) -> str:
        if _TEMPLATE not in metadata_issuer:
            return metadata_issuer
        tid = claims.get("tid")
        if not isinstance(tid, str) or not _TENANT_ID.match(tid):
            return metadata_issuer  # cannot match a real `iss`: refused
        return metadata_issuer.replace(_TEMPLATE, tid)


def MicrosoftEntraID(**options: Any) -> MicrosoftEntraIDProvider:
    """`MicrosoftEntraID(client_id=..., client_secret=..., tenant_id=...)`; without a tenant,
    any work, school or personal Microsoft account (`common`)."""
    opts = issuer_from_parts(
        "microsoft-entra-id",
        options,
        "https://login.microsoftonline.com/{tenant_id}/v2.0",
        ("tenant_id",),
    )
    defaults = MicrosoftEntraIDProvider(
        id="microsoft-entra-id",
        name="Microsoft Entra ID",
        authorization=Endpoint(None, (("scope", "openid profile email User.Read"),)),
        style={"text": "#fff", "bg": "#0072c6"},
    )
    provider = build_provider(defaults, opts)
    return provider
