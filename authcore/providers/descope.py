"""Descope: OpenID Connect whose issuer is derived from the project id (the client id):
`https://api.descope.com/<project id>`, also when the id comes from `AUTH_DESCOPE_ID`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from .oauth import OIDCProvider, build_provider

__all__ = ["Descope", "DescopeProvider"]

API = "https://api.descope.com"


@dataclass(frozen=True, kw_only=True)
class DescopeProvider(OIDCProvider):
    def with_env_defaults(
        self, *, client_id: str | None, client_secret: str | None, issuer: str | None
    ) -> DescopeProvider:
        filled = super().with_env_defaults(
            client_id=client_id, client_secret=client_secret, issuer=issuer
        )
        assert isinstance(filled, DescopeProvider)
        if filled.issuer is None and filled.client_id:
            return dataclasses.replace(filled, issuer=f"{API}/{filled.client_id}")
        return filled


def Descope(**options: Any) -> DescopeProvider:
    """`Descope(client_id=<project id>, client_secret=<access key>)`; `issuer=` for a custom
    domain."""
    opts = dict(options)
    if opts.get("issuer") is None and opts.get("client_id"):
        opts["issuer"] = f"{API}/{opts['client_id']}"
    defaults = DescopeProvider(
        id="descope",
        name="Descope",
        style={"bg": "#1C1C23", "text": "#ffffff"},
        checks=("pkce", "state", "nonce"),
    )
    return build_provider(defaults, opts)
