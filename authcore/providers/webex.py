"""Webex: OAuth 2 (`api_base_url` for another Webex API host); the address is the first of
`emails` in `/people/me`. The documented token answer has no `token_type`, which Auth.js
refuses; here it is taken as Bearer (docs/differences.md)."""

from __future__ import annotations

from typing import Any

from ._fields import nested, with_bearer_type
from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Webex"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("id"),
        "name": profile.get("displayName"),
        "email": nested(profile, "emails", 0),
        "image": profile.get("avatar"),
    }


def Webex(**options: Any) -> OAuthProvider:
    """`Webex(client_id=..., client_secret=..., api_base_url=...)`."""
    opts = dict(options)
    base = str(opts.pop("api_base_url", "https://webexapis.com/v1")).rstrip("/")
    defaults = OAuthProvider(
        id="webex",
        name="Webex",
        authorization=Endpoint(f"{base}/authorize", (("scope", "spark:kms spark:people_read"),)),
        token=Endpoint(f"{base}/access_token"),
        userinfo=Endpoint(f"{base}/people/me"),
        conform=with_bearer_type,
        profile=profile,
    )
    return build_provider(defaults, opts)
