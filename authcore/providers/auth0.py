"""Auth0: OpenID Connect at your tenant's domain (`https://<tenant>.<region>.auth0.com/`,
or a custom domain). The issuer ends with `/`, as Auth0's discovery document spells it."""

from __future__ import annotations

from typing import Any

from ._templated import issuer_from_parts
from .oauth import OIDCProvider, build_provider

__all__ = ["Auth0"]

REGISTER_URL = "https://manage.auth0.com/"


def Auth0(**options: Any) -> OIDCProvider:
    """`Auth0(issuer="https://my-tenant.us.auth0.com/")` or
    `Auth0(domain="my-tenant.us.auth0.com")`; or set `AUTH_AUTH0_ISSUER`."""
    opts = issuer_from_parts("auth0", options, "https://{domain}/", ("domain",))
    defaults = OIDCProvider(id="auth0", name="Auth0", style={"text": "#fff", "bg": "#EB5424"})
    return build_provider(defaults, opts)
