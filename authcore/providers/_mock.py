"""`AUTH_MOCK_IDP_URL`: point the configured providers at a running `authcore mock-idp`.

One setting turns a dev app (or a test) from Instagram, GitHub and OpenID Connect issuers to
the mock's flavours of them, with the mock's default client credentials. Only a loopback
URL is accepted, so the setting cannot send real users anywhere.
"""

from __future__ import annotations

import dataclasses
from urllib.parse import urlsplit

from ..errors import ConfigError
from ._base import Provider
from .github import GitHubProvider
from .instagram import InstagramProvider
from .oauth import Endpoint, OAuthProvider, OIDCProvider

__all__ = ["MOCK_CLIENT_ID", "MOCK_CLIENT_SECRET", "point_at_mock"]

MOCK_CLIENT_ID = "mock-client-id"  # `authcore mock-idp`'s defaults
MOCK_CLIENT_SECRET = "mock-client-secret"
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def _checked(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.hostname not in _LOOPBACK:
        raise ConfigError(
            f"AUTH_MOCK_IDP_URL must be the loopback URL `authcore mock-idp` prints "
            f"(http://127.0.0.1:<port>), not {url!r}",
            option="AUTH_MOCK_IDP_URL",
        )
    return url.rstrip("/")


def point_at_mock(provider: Provider, url: str) -> Provider:
    """`provider` talking to the mock at `url` (Instagram → /instagram, GitHub → /oauth2,
    OpenID Connect → /oidc); any other provider unchanged."""
    base = _checked(url)
    if not isinstance(provider, OAuthProvider):
        return provider
    if isinstance(provider, InstagramProvider):
        root = f"{base}/instagram"
        return dataclasses.replace(
            provider,
            client_id=MOCK_CLIENT_ID,
            client_secret=MOCK_CLIENT_SECRET,
            authorization=Endpoint(f"{root}/oauth/authorize", provider.authorization.params),
            token=Endpoint(f"{root}/oauth/access_token", provider.token.params),
            userinfo=Endpoint(f"{root}/graph/me", provider.userinfo.params),
            graph_url=f"{root}/graph",
        )
    if isinstance(provider, GitHubProvider):
        root = f"{base}/oauth2"
        return dataclasses.replace(
            provider,
            client_id=MOCK_CLIENT_ID,
            client_secret=MOCK_CLIENT_SECRET,
            authorization=Endpoint(f"{root}/authorize", provider.authorization.params),
            token=Endpoint(f"{root}/token", provider.token.params),
            userinfo=Endpoint(f"{root}/userinfo", provider.userinfo.params),
            emails=f"{root}/user/emails",
        )
    if isinstance(provider, OIDCProvider):
        return dataclasses.replace(
            provider,
            client_id=MOCK_CLIENT_ID,
            client_secret=MOCK_CLIENT_SECRET,
            issuer=f"{base}/oidc",
            authorization=Endpoint(None, provider.authorization.params),
            token=Endpoint(None, provider.token.params),
            userinfo=Endpoint(None, provider.userinfo.params),
        )
    return provider
