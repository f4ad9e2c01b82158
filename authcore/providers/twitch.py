"""Twitch: OpenID Connect (discovery at `https://id.twitch.tv/oauth2`) with the secret in
the form body. Twitch answers `scope` as a JSON array, which RFC 6749 §5.1 does not allow:
it is joined with spaces. The ID token carries email, picture and preferred_username
because the `claims` parameter asks for them."""

from __future__ import annotations

from typing import Any

from ._fields import scope_as_text
from .oauth import Endpoint, OIDCProvider, build_provider

__all__ = ["Twitch"]

ISSUER = "https://id.twitch.tv/oauth2"
CLAIMS = {"id_token": {"email": None, "picture": None, "preferred_username": None}}


def Twitch(**options: Any) -> OIDCProvider:
    """`Twitch(client_id=..., client_secret=...)`; scope `openid user:read:email`."""
    defaults = OIDCProvider(
        id="twitch",
        name="Twitch",
        issuer=ISSUER,
        style={"bg": "#65459B", "text": "#fff"},
        authorization=Endpoint(None).with_params(
            {"scope": "openid user:read:email", "claims": CLAIMS}
        ),
        token_endpoint_auth_method="client_secret_post",
        conform=scope_as_text,
    )
    return build_provider(defaults, options)
