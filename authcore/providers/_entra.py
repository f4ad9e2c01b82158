"""Microsoft Entra ID's provider class, shared by `microsoft_entra_id` and its deprecated
alias `azure_ad` (Auth.js `providers/azure-ad.ts` spreads Entra ID under another id), so
importing either module loads no other catalog module."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ._templated import issuer_from_parts
from .oauth import Endpoint, OAuthProvider, OIDCProvider, build_provider

__all__ = ["COMMON_ISSUER", "MicrosoftEntraIDProvider", "entra_provider"]

COMMON_ISSUER = "https://login.microsoftonline.com/common/v2.0"
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


def entra_provider(
    provider_id: str, name: str, options: dict[str, Any]
) -> MicrosoftEntraIDProvider:
    """Entra ID's defaults under `provider_id`, with `tenant_id` spelling the issuer."""
    opts = issuer_from_parts(
        provider_id,
        options,
        "https://login.microsoftonline.com/{tenant_id}/v2.0",
        ("tenant_id",),
    )
    defaults = MicrosoftEntraIDProvider(
        id=provider_id,
        name=name,
        authorization=Endpoint(None, (("scope", "openid profile email User.Read"),)),
        style={"text": "#fff", "bg": "#0072c6"},
    )
    return build_provider(defaults, opts)
