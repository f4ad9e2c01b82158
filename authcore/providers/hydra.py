"""Ory Hydra (Auth.js's `ory-hydra`, id `hydra`): OpenID Connect at your Hydra or Ory
Network project's issuer; the user from the ID token's standard claims."""

from __future__ import annotations

from typing import Any

from .oauth import OIDCProvider, build_provider

__all__ = ["OryHydra"]


def OryHydra(**options: Any) -> OIDCProvider:
    """`OryHydra(client_id=..., client_secret=..., issuer="https://<project>.projects.oryapis.com")`."""
    defaults = OIDCProvider(id="hydra", name="Hydra", style={"bg": "#fff", "text": "#0F172A"})
    return build_provider(defaults, options)
