"""GitHub: OAuth 2 whose `/user` hides private addresses (`email: null`), so a second
request to `/user/emails` finds the primary verified one.

As in `@auth/core@0.41.3` `packages/core/src/providers/github.ts`: the issuer is
`<base>/login/oauth`, so the RFC 9207 `iss` GitHub sends on the callback is checked, and
`enterprise={"baseUrl": ...}` points every URL at a GitHub Enterprise Server."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..errors import ConfigError, OAuthProviderError
from .oauth import Endpoint, OAuthProvider, build_provider

if TYPE_CHECKING:
    from .._flow import Flow
    from ..oauth._context import CallbackContext

__all__ = ["GitHub", "GitHubProvider"]

REGISTER_URL = "https://github.com/settings/developers"


@dataclass(frozen=True, kw_only=True)
class GitHubProvider(OAuthProvider):
    """`emails`: the `/user/emails` URL (GitHub Enterprise has its own host)."""

    emails: str = "https://api.github.com/user/emails"

    def fetch_profile(self, ctx: CallbackContext, tokens: dict[str, Any]) -> Flow[dict[str, Any]]:
        import httpx

        profile: dict[str, Any] = yield from ctx.userinfo(tokens)
        if not profile.get("email"):
            request = httpx.Request(
                "GET", self.emails, headers={"authorization": f"Bearer {tokens['access_token']}"}
            )
            try:
                emails = yield from ctx.fetch_json_value(request, endpoint="emails")
            except OAuthProviderError as exc:
                # A GitHub App without the email permission, or `scope="read:user"`: GitHub
                # answers 403/404. Auth.js carries on without an email; so does this.
                if exc.details.get("status") in (403, 404):
                    return {**profile, "email": None}
                raise
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
    """`GitHub(client_id=..., client_secret=...)`; `enterprise={"baseUrl": "https://ghe.example"}`
    (or `base_url`) for GitHub Enterprise Server."""
    opts = dict(options)
    base, api = "https://github.com", "https://api.github.com"
    enterprise = opts.pop("enterprise", None)
    if enterprise is not None:
        base = _enterprise_base(enterprise)
        api = f"{base}/api/v3"
    defaults = GitHubProvider(
        id="github",
        name="GitHub",
        style={"brandColor": "#24292f", "logo": "github.svg", "bg": "#24292f", "text": "#fff"},
        issuer=f"{base}/login/oauth",
        authorization=Endpoint(
            f"{base}/login/oauth/authorize", (("scope", "read:user user:email"),)
        ),
        token=Endpoint(f"{base}/login/oauth/access_token"),
        userinfo=Endpoint(f"{api}/user"),
        emails=f"{api}/user/emails",
        checks=("pkce", "state"),
    )
    return build_provider(defaults, opts)


def _enterprise_base(enterprise: Any) -> str:
    if not isinstance(enterprise, Mapping):
        raise ConfigError("enterprise must be a mapping {'baseUrl': ...}", option="enterprise")
    unknown = set(enterprise) - {"baseUrl", "base_url"}
    if unknown or len(enterprise) != 1:
        raise ConfigError(
            f"enterprise takes one key, 'baseUrl' (or 'base_url'), not {sorted(enterprise)}",
            option="enterprise",
        )
    base = next(iter(enterprise.values()))
    parts = urlsplit(base) if isinstance(base, str) else None
    if parts is None or parts.scheme not in ("https", "http") or not parts.netloc:
        raise ConfigError("enterprise baseUrl must be an absolute http(s) URL", option="enterprise")
    return str(base).rstrip("/")
