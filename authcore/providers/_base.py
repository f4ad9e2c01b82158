"""What every provider plugin has in common (Auth.js `src/providers/oauth.ts`)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

__all__ = ["Provider", "ProviderType"]

ProviderType = Literal["oauth", "oidc", "credentials", "email", "webauthn"]


@dataclass(frozen=True, kw_only=True)
class Provider:
    """Base of all providers. Subclasses add their own fields; instances are immutable so a
    normalised config can share them between requests."""

    id: str
    name: str
    type: ProviderType
    style: dict[str, Any] = field(default_factory=dict)

    def with_env_defaults(
        self,
        *,
        client_id: str | None,
        client_secret: str | None,
        issuer: str | None,
    ) -> Provider:
        """Fill unset credentials from `AUTH_<ID>_ID/_SECRET/_ISSUER` (Auth.js
        `src/lib/utils/env.ts`). Providers without client credentials ignore them."""
        return self

    def with_redirect_proxy(self, url: str | None) -> Provider:
        """Apply the config-wide `redirect_proxy_url` (OAuth providers only)."""
        return self

    def validate(self) -> None:
        """Raise `authcore.errors.ConfigError` naming the bad option. Called once at
        config normalisation."""

    def evolve(self, **changes: Any) -> Provider:
        return replace(self, **changes)
