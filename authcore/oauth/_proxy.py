"""The redirect proxy (Auth.js `redirectProxyUrl`): preview deployments sign in through the
one deployment whose callback URL is registered with the provider.

As in `@auth/core@0.41.3` (`lib/actions/signin/authorization-url.ts`,
`lib/actions/callback/index.ts`): a deployment that is not the proxy sends the proxy's
callback URL as `redirect_uri` and puts its own callback URL in the state, which is a JWE
under the shared secret; the proxy decodes the state and forwards the callback parameters
there. The deployment then checks the state against its own cookie and redeems the code with
the same `redirect_uri`. Only the proxy forwards, and only to what a holder of the secret
sealed in the state within the last 15 minutes; authcore also requires the target to be an
http(s) URL ending in `/callback/<provider id>`, so a state can never send the code anywhere
else on a host.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit

from .. import jwt
from .._redirect import is_plausible_url
from ..errors import InvalidCheck
from ._checks import STATE_SALT
from ._env import CheckEnv

if TYPE_CHECKING:
    from ..providers.oauth import OAuthProvider

__all__ = ["forward_target", "proxy_callback_url"]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _on_proxy(provider: OAuthProvider, env: CheckEnv) -> bool:
    proxy = provider.redirect_proxy_url
    return proxy is not None and _origin(proxy) == env.origin.lower()


def proxy_callback_url(provider: OAuthProvider, env: CheckEnv) -> str | None:
    """The proxy's callback URL when this deployment signs in through a proxy, else None."""
    proxy = provider.redirect_proxy_url
    if proxy is None or _on_proxy(provider, env):
        return None
    return f"{proxy}/callback/{provider.id}"


def forward_target(provider: OAuthProvider, env: CheckEnv, params: Mapping[str, str]) -> str | None:
    """On the proxy: where to forward this callback (`<origin>?<params>`), or None when it is
    the proxy's own sign-in. A state that does not decode is `InvalidCheck`."""
    state = params.get("state")
    if not state or not _on_proxy(provider, env):
        return None
    try:
        payload = jwt.decode(token=state, secret=env.secrets, salt=STATE_SALT, now=env.now())
    except jwt.InvalidToken as exc:
        raise InvalidCheck(f"State could not be decoded ({exc.code})", check="state") from None
    origin = payload.get("origin")
    if origin is None:
        return None
    if (
        not isinstance(origin, str)
        or origin.startswith("/")
        or not is_plausible_url(origin, max_chars=env.limits.max_callback_url_chars)
        or not urlsplit(origin).path.endswith(f"/callback/{provider.id}")
        or "?" in origin
        or "#" in origin
    ):
        raise InvalidCheck("the state's origin is not a callback URL", check="state")
    if _origin(origin) == env.origin.lower():
        return None  # Auth.js: the proxy's own sign-in carries on here
    return f"{origin}?{urlencode(dict(params))}"
