"""Kakao: OAuth 2 with the secret in the form body (scopes are the app's consent items, so
the request carries an empty `scope`); the user from `/v2/user/me` with a numeric id."""

from __future__ import annotations

from typing import Any

from ._fields import nested
from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Kakao"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("id"),
        "name": nested(profile, "kakao_account", "profile", "nickname"),
        "email": nested(profile, "kakao_account", "email"),
        "image": nested(profile, "kakao_account", "profile", "profile_image_url"),
    }


def Kakao(**options: Any) -> OAuthProvider:
    """`Kakao(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="kakao",
        name="Kakao",
        authorization=Endpoint("https://kauth.kakao.com/oauth/authorize", (("scope", ""),)),
        token=Endpoint("https://kauth.kakao.com/oauth/token"),
        userinfo=Endpoint("https://kapi.kakao.com/v2/user/me"),
        token_endpoint_auth_method="client_secret_post",
        profile=profile,
    )
    return build_provider(defaults, options)
