"""GitHub: OAuth 2 whose `/user` hides private addresses (`email: null`), so a second
request to `/user/emails` finds the primary verified one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from .._flow import Flow
from ..errors import OAuthProviderError
from ..oauth._context import CallbackContext
from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["GitHub", "GitHubProvider"]


@dataclass(frozen=True, kw_only=True)
class GitHubProvider(OAuthProvider):
    """`emails`: the `/user/emails` URL (GitHub Enterprise has its own host)."""

    emails: str = "https://api.github.com/user/emails"

    def fetch_profile(self, ctx: CallbackContext, tokens: dict[str, Any]) -> Flow[dict[str, Any]]:
        profile: dict[str, Any] = yield from ctx.userinfo(tokens)
        if not profile.get("email"):
            request = httpx.Request(
                "GET", self.emails, headers={"authorization": f"Bearer {tokens['access_token']}"}
            )
            emails = yield from ctx.fetch_json_value(request, endpoint="emails")
            if not isinstance(emails, list):
                raise OAuthProviderError(
                    f"{self.id} emails endpoint: not a JSON array",
                    provider=self.id,
                    endpoint="emails",
                    reason="not_array",
                )
            profile = {**profile, "email": _primary_verified(emails)}
        return profile

    def default_profile(self, profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": None if profile.get("id") is None else str(profile["id"]),
            "name": profile.get("name") or profile.get("login"),
            "email": profile.get("email"),
            "image": profile.get("avatar_url"),
        }


def _primary_verified(emails: list[Any]) -> str | None:
    for entry in emails:
        if isinstance(entry, dict) and entry.get("primary") and entry.get("verified"):
            email = entry.get("email")
            return email if isinstance(email, str) else None
    return None


def GitHub(**options: Any) -> GitHubProvider:
    defaults = GitHubProvider(
        id="github",
        name="GitHub",
        style={"brandColor": "#24292f", "logo": "github.svg", "bg": "#24292f", "text": "#fff"},
        authorization=Endpoint(
            "https://github.com/login/oauth/authorize", (("scope", "read:user user:email"),)
        ),
        token=Endpoint("https://github.com/login/oauth/access_token"),
        userinfo=Endpoint("https://api.github.com/user"),
        checks=("pkce", "state"),
    )
    return build_provider(defaults, options)
