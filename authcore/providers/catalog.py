"""The catalog of built-in providers: what `authcore providers` lists and what
`scripts/gen_provider_docs.py` writes a page for.

`ids()` reads the index only; `entry(id)` imports that one provider module; `entries()`
imports them all (the command line and the docs generator, never `import authcore`).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from importlib import import_module

from ._registry import builtin_index
from .oauth import OAuthProvider, OIDCProvider

__all__ = ["DOCS_DIR", "CatalogEntry", "entries", "entry", "ids"]

DOCS_DIR = "docs/providers/catalog"


@dataclass(frozen=True)
class CatalogEntry:
    """One provider as its module defines it, with no options given."""

    id: str
    name: str
    type: str
    module: str
    export: str
    summary: str  # the module docstring's first paragraph
    details: str  # the rest of it: quirks and differences
    usage: str  # the factory's docstring
    issuer: str | None
    authorization_url: str | None
    token_url: str | None
    userinfo_url: str | None
    scope: str | None
    checks: tuple[str, ...]
    client_auth: str
    profile_source: str  # "ID token", "userinfo"
    register_url: str | None

    @property
    def env_prefix(self) -> str:
        return f"AUTH_{self.id.upper().replace('-', '_')}"

    @property
    def docs_path(self) -> str:
        return f"{DOCS_DIR}/{self.id}.md"


def ids() -> list[str]:
    return sorted(builtin_index())


def entry(provider_id: str) -> CatalogEntry:
    """The catalog entry of one built-in provider (`KeyError` for an unknown id)."""
    module_name, export = builtin_index()[provider_id]
    module = import_module(module_name)
    factory = getattr(module, export)
    provider = factory()
    if not isinstance(provider, OAuthProvider):
        raise TypeError(f"{module_name}.{export}() is not an OAuth provider")
    doc = inspect.cleandoc(module.__doc__ or "")
    summary, _, details = doc.partition("\n\n")
    uses_claims = isinstance(provider, OIDCProvider) and provider.id_token
    return CatalogEntry(
        id=provider.id,
        name=provider.name,
        type=provider.type,
        module=module_name,
        export=export,
        summary=" ".join(summary.split()),
        details=details.strip(),
        usage=inspect.cleandoc(factory.__doc__ or ""),
        issuer=provider.issuer,
        authorization_url=provider.authorization.url,
        token_url=provider.token.url,
        userinfo_url=provider.userinfo.url,
        scope=provider.authorization.param("scope")
        or ("openid profile email" if provider.type == "oidc" else None),
        checks=provider.checks,
        client_auth=provider.token_endpoint_auth_method
        or ("from discovery, Basic first" if provider.type == "oidc" else "client_secret_basic"),
        profile_source="ID token" if uses_claims else "userinfo",
        register_url=getattr(module, "REGISTER_URL", None),
    )


def entries() -> list[CatalogEntry]:
    return [entry(provider_id) for provider_id in ids()]
