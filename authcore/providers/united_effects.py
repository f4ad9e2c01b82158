"""United Effects (Core EOS): OpenID Connect at your authgroup's issuer, which is also sent
as the `resource` indicator (RFC 8707)."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OIDCProvider, build_provider

__all__ = ["UnitedEffects"]


def UnitedEffects(**options: Any) -> OIDCProvider:
    """`UnitedEffects(client_id=..., client_secret=..., issuer="https://auth.unitedeffects.com/<authgroup>")`."""
    params: dict[str, Any] = {"scope": "openid email profile", "resource": options.get("issuer")}
    defaults = OIDCProvider(
        id="united-effects", name="United Effects", authorization=Endpoint(None).with_params(params)
    )
    return build_provider(defaults, options)
