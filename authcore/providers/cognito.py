"""Amazon Cognito: OpenID Connect per user pool, issuer
`https://cognito-idp.<region>.amazonaws.com/<user pool id>` (not the hosted-UI domain)."""

from __future__ import annotations

from typing import Any

from ._templated import issuer_from_parts
from .oauth import OIDCProvider, build_provider

__all__ = ["Cognito"]

REGISTER_URL = (
    "https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-client-apps.html"
)


def Cognito(**options: Any) -> OIDCProvider:
    """`Cognito(region="eu-west-1", user_pool_id="eu-west-1_AbCdEf")` or the `issuer`; or set
    `AUTH_COGNITO_ISSUER`."""
    opts = issuer_from_parts(
        "cognito",
        options,
        "https://cognito-idp.{region}.amazonaws.com/{user_pool_id}",
        ("region", "user_pool_id"),
    )
    defaults = OIDCProvider(id="cognito", name="Cognito", style={"brandColor": "#C17B9E"})
    return build_provider(defaults, opts)
