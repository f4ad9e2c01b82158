"""Battle.net: OpenID Connect with a regional issuer (`https://oauth.battle.net`, or
`https://oauth.battlenet.com.cn` in China); the name is the BattleTag, there is no email."""

from __future__ import annotations

from typing import Any

from .oauth import OIDCProvider, build_provider

__all__ = ["BattleNet"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("sub"),
        "name": profile.get("battle_tag"),
        "email": None,
        "image": None,
    }


def BattleNet(**options: Any) -> OIDCProvider:
    """`BattleNet(client_id=..., client_secret=..., issuer=...)`;
    issuer: your region's (`https://oauth.battle.net`)."""
    defaults = OIDCProvider(
        id="battlenet",
        name="Battle.net",
        style={"bg": "#148eff", "text": "#fff"},
        profile=profile,
    )
    return build_provider(defaults, options)
