"""Medium: OAuth 2 with scope `basicProfile`; `/v1/me` wraps the user in `data`, no email.
The token answer's `scope` is a JSON array, which Auth.js refuses; here it is joined
(docs/differences.md)."""

from __future__ import annotations

from typing import Any

from ._fields import nested, scope_as_text
from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Medium"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": nested(profile, "data", "id"),
        "name": nested(profile, "data", "name"),
        "email": None,
        "image": nested(profile, "data", "imageUrl"),
    }


def Medium(**options: Any) -> OAuthProvider:
    """`Medium(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="medium",
        name="Medium",
        authorization=Endpoint(
            "https://medium.com/m/oauth/authorize", (("scope", "basicProfile"),)
        ),
        token=Endpoint("https://api.medium.com/v1/tokens"),
        userinfo=Endpoint("https://api.medium.com/v1/me"),
        conform=scope_as_text,
        profile=profile,
    )
    return build_provider(defaults, options)
