"""GitLab (gitlab.com or a self-managed instance through `base_url`): OAuth 2, the user from
`/api/v4/user` with its numeric id."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["GitLab"]


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    ident = profile.get("sub", profile.get("id"))
    return {
        "id": None if ident is None else str(ident),
        "name": profile.get("name") or profile.get("username"),
        "email": profile.get("email"),
        "image": profile.get("avatar_url"),
    }


def GitLab(**options: Any) -> OAuthProvider:
    """`GitLab(client_id=..., client_secret=..., base_url="https://gitlab.example.com")`;
    scope `read_user`."""
    opts = dict(options)
    base = str(opts.pop("base_url", "https://gitlab.com")).rstrip("/")
    defaults = OAuthProvider(
        id="gitlab",
        name="GitLab",
        style={"bg": "#FC6D26", "text": "#fff"},
        authorization=Endpoint(f"{base}/oauth/authorize", (("scope", "read_user"),)),
        token=Endpoint(f"{base}/oauth/token"),
        userinfo=Endpoint(f"{base}/api/v4/user"),
        profile=profile,
    )
    return build_provider(defaults, opts)
