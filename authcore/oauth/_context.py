"""What a provider hook gets to talk to its identity provider during a callback."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

from .._flow import Flow, call
from ..errors import AuthError, OAuthProviderError
from ._discovery import Metadata
from ._env import CheckEnv
from ._fetch import fetch_json, fetch_json_value, fetch_jwt
from ._id_token import validate_signed_userinfo
from ._proxy import proxy_callback_url

if TYPE_CHECKING:
    from ..providers.oauth import OAuthProvider

__all__ = ["USER_AGENT", "CallbackContext", "identify"]

USER_AGENT = "authcore"


def identify(request: httpx.Request) -> httpx.Request:
    """Default `user-agent` and `accept` headers: GitHub's API refuses a request without a
    user agent."""
    request.headers.setdefault("user-agent", USER_AGENT)
    request.headers.setdefault("accept", "application/json")
    return request


@dataclass(frozen=True)
class CallbackContext:
    provider: OAuthProvider
    env: CheckEnv
    metadata: Metadata

    @property
    def redirect_uri(self) -> str:
        """The token request repeats the authorization request's (RFC 6749 §4.1.3): the
        proxy's when signing in through a redirect proxy."""
        return proxy_callback_url(self.provider, self.env) or self.env.callback_url(
            self.provider.id
        )

    def fetch_json(self, request: httpx.Request, *, endpoint: str) -> Flow[dict[str, Any]]:
        """GET/POST to the provider with the configured timeout and size cap; any failure is
        an `OAuthProviderError` (see `authcore.oauth._fetch`)."""
        body: dict[str, Any] = yield from fetch_json(
            identify(request), self.env.limits, provider_id=self.provider.id, endpoint=endpoint
        )
        return body

    def fetch_json_value(self, request: httpx.Request, *, endpoint: str) -> Flow[Any]:
        """`fetch_json` for an answer that need not be an object (GitHub's email list)."""
        body = yield from fetch_json_value(
            identify(request), self.env.limits, provider_id=self.provider.id, endpoint=endpoint
        )
        return body

    def userinfo_url(self) -> str:
        url = self.provider.userinfo.url or self.metadata.userinfo_endpoint
        if url is None:
            raise OAuthProviderError(
                f"{self.provider.id}: no userinfo endpoint configured",
                provider=self.provider.id,
                endpoint="userinfo",
                reason="no_endpoint",
            )
        return url

    def userinfo(self, tokens: dict[str, Any]) -> Flow[dict[str, Any]]:
        """`GET userinfo` with `Authorization: Bearer` (RFC 6750 §2.1). A non-2xx answer is
        an error, never a profile (docs/differences.md fix). A provider with
        `userinfo_signed_response_alg` gets a signed JWT instead (OIDC Core §5.3.2), whose
        signature is checked (Auth.js reads its claims unchecked)."""
        alg = getattr(self.provider, "userinfo_signed_response_alg", None)
        request = httpx.Request(
            "GET",
            self.userinfo_url(),
            params=dict(self.provider.userinfo.params),
            headers={
                "authorization": f"Bearer {tokens['access_token']}",
                "accept": "application/jwt" if alg else "application/json",
            },
        )
        if not alg:
            body: dict[str, Any] = yield from self.fetch_json(request, endpoint="userinfo")
            return body
        token = yield from fetch_jwt(
            identify(request), self.env.limits, provider_id=self.provider.id, endpoint="userinfo"
        )
        claims: dict[str, Any] = yield from validate_signed_userinfo(
            token,
            self.env,
            provider_id=self.provider.id,
            client_id=self.provider.client_id or "",
            metadata=self.metadata,
            alg=alg,
            jwks_ttl=self.provider.discovery_ttl,
        )
        return claims

    def userinfo_hook(
        self, hook: Callable[..., Any], tokens: dict[str, Any]
    ) -> Flow[dict[str, Any]]:
        """Run a user's `userinfo.request({tokens, provider})` (sync or async); what it
        raises or returns wrong becomes an `OAuthProviderError`, never a 500."""
        pid = self.provider.id
        try:
            profile = yield from call(hook, {"tokens": tokens, "provider": self.provider})
        except AuthError:
            raise
        except Exception as exc:
            raise OAuthProviderError(
                f"{pid} userinfo request hook failed ({type(exc).__name__})",
                provider=pid,
                endpoint="userinfo",
                reason="hook_failed",
                cause=exc,
            ) from None
        if not isinstance(profile, dict):
            raise OAuthProviderError(
                f"{pid} userinfo request hook returned no dict",
                provider=pid,
                endpoint="userinfo",
                reason="hook_failed",
            )
        return profile
