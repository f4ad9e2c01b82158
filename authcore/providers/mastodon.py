"""Mastodon: OAuth 2 at each server; `issuer` is the instance URL (`https://mastodon.social`)
and the endpoints live under it. Register the app on that instance (Preferences →
Development). Mastodon gives no email."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._templated import InstanceProvider
from .oauth import Endpoint, build_provider

__all__ = ["Mastodon", "MastodonProvider"]

REGISTER_URL = "https://docs.joinmastodon.org/client/token/"


@dataclass(frozen=True, kw_only=True)
class MastodonProvider(InstanceProvider):
    def default_profile(self, profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": profile.get("id"),
            "name": profile.get("username"),
            "email": None,
            "image": profile.get("avatar_static"),
        }


def Mastodon(**options: Any) -> MastodonProvider:
    """`Mastodon(issuer="https://mastodon.social", client_id=..., client_secret=...)`; or
    set `AUTH_MASTODON_ISSUER`. Scope `read`."""
    defaults = MastodonProvider(
        id="mastodon",
        name="Mastodon",
        authorization=Endpoint(None, (("scope", "read"),)),
        paths=(
            ("authorization", "/oauth/authorize"),
            ("token", "/oauth/token"),
            ("userinfo", "/api/v1/accounts/verify_credentials"),
        ),
    )
    provider = build_provider(defaults, options).resolved()
    assert isinstance(provider, MastodonProvider)
    return provider
