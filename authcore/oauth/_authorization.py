"""The authorization request, RFC 6749 §4.1.1 with PKCE (RFC 7636) and OIDC's nonce.

Parameters are built like Auth.js (Auth.js `src/lib/actions/signin/authorization-url.ts`,
order): the provider's params, then `response_type`, `client_id`, `redirect_uri`, then
allow-listed extras from the sign-in request's query, then `state`, `code_challenge`,
`code_challenge_method`, `nonce`. Unlike Auth.js the query can neither override the protocol
parameters nor add arbitrary ones (docs/differences.md row 7).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit, urlunsplit

from .._cookies import Cookie
from .._flow import Flow
from ..errors import OAuthSignInError
from ._checks import checks_for, pkce_challenge, random_token, seal, state_param
from ._discovery import discover
from ._env import CheckEnv
from ._proxy import proxy_callback_url

if TYPE_CHECKING:
    from ..providers.oauth import OAuthProvider

__all__ = ["PROTECTED_PARAMS", "SigninStart", "begin_signin"]

PROTECTED_PARAMS = frozenset(
    {
        "response_type",
        "client_id",
        "client_secret",
        "redirect_uri",
        "state",
        "code_challenge",
        "code_challenge_method",
        "nonce",
        "response_mode",
        "request",
        "request_uri",
    }
)
_MAX_EXTRA_VALUE = 1024


@dataclass
class SigninStart:
    url: str  # the authorization URL to 302 to
    # state / pkce / nonce check cookies, in that order (Auth.js
    # `src/lib/actions/signin/authorization-url.ts`)
    cookies: list[Cookie]


def _insecure(url: str) -> bool:
    """An http:// URL on a host that is not loopback (which providers such as Meta refuse as
    a redirect URI; `localhost` is the development exception)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    loopback = host in ("localhost", "127.0.0.1", "::1") or host.endswith(".localhost")
    return parts.scheme == "http" and not loopback


def begin_signin(
    provider: OAuthProvider, env: CheckEnv, *, query: Mapping[str, str]
) -> Flow[SigninStart]:
    endpoint = provider.authorization.url
    if endpoint is None:
        if provider.issuer is None:
            raise OAuthSignInError(
                f"{provider.id}: no authorization URL and no issuer", provider=provider.id
            )
        meta = yield from discover(
            provider.issuer,
            env,
            provider_id=provider.id,
            ttl=provider.discovery_ttl,
            accept=provider.accepts_metadata_issuer,
        )
        endpoint = meta.authorization_endpoint
    assert endpoint is not None

    parts = urlsplit(endpoint)
    params: dict[str, str] = dict(provider.authorization.params)
    params["response_type"] = provider.response_type
    params["client_id"] = provider.client_id or ""
    proxied = proxy_callback_url(provider, env)
    params["redirect_uri"] = proxied or env.callback_url(provider.id)
    if getattr(provider, "https_redirect_only", False) and _insecure(params["redirect_uri"]):
        env.logger.warn("insecure-redirect-uri")
    params.update(provider.authorization_params())
    allowed = set(provider.authorization_query_params) - PROTECTED_PARAMS
    for key, value in query.items():
        if key in allowed and isinstance(value, str) and 0 < len(value) <= _MAX_EXTRA_VALUE:
            text = value
            if key == "scope" and provider.scope_separator != " ":
                text = provider.scope_separator.join(value.replace(",", " ").split())
            params[key] = text

    cookies: list[Cookie] = []
    checks = checks_for(env, cross_site=provider.response_mode == "form_post")
    if "state" in provider.checks:
        state = state_param(env, env.callback_url(provider.id) if proxied else None)
        params["state"] = state
        cookies.append(seal(env, checks["state"], state, provider.id))
    if "pkce" in provider.checks:
        verifier = random_token()
        params["code_challenge"] = pkce_challenge(verifier)
        params["code_challenge_method"] = "S256"
        cookies.append(seal(env, checks["pkce"], verifier, provider.id))
    if "nonce" in provider.checks:
        nonce = random_token()
        params["nonce"] = nonce
        cookies.append(seal(env, checks["nonce"], nonce, provider.id))
    if provider.type == "oidc" and "scope" not in params:
        # OIDC needs `openid`; plain OAuth 2 providers get no default scope (docs/differences.md row
        # 6).
        params["scope"] = "openid profile email"

    query_string = urlencode(params)
    if parts.query:
        query_string = f"{parts.query}&{query_string}"
    url = urlunsplit((parts.scheme, parts.netloc, parts.path, query_string, ""))
    return SigninStart(url=url, cookies=cookies)
