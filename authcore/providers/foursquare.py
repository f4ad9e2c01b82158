"""Foursquare: OAuth 2; `/v2/users/self` wants the token as the `oauth_token` query
parameter and an API version date `v` (option `api_version`). The token answer is only
`{"access_token"}`, which Auth.js refuses; here it is taken as Bearer (docs/differences.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._fields import full_name, nested, with_bearer_type
from .oauth import Endpoint, OAuthProvider, build_provider

if TYPE_CHECKING:
    from .._flow import Flow
    from ..oauth._context import CallbackContext

__all__ = ["Foursquare", "FoursquareProvider"]


@dataclass(frozen=True, kw_only=True)
class FoursquareProvider(OAuthProvider):
    def fetch_profile(self, ctx: CallbackContext, tokens: dict[str, Any]) -> Flow[dict[str, Any]]:
        import httpx

        params = {**dict(self.userinfo.params), "oauth_token": tokens["access_token"]}
        request = httpx.Request("GET", ctx.userinfo_url(), params=params)
        profile: dict[str, Any] = yield from ctx.fetch_json(request, endpoint="userinfo")
        return profile


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    user = nested(profile, "response", "user")
    photo = nested(user, "photo")
    prefix, suffix = nested(photo, "prefix"), nested(photo, "suffix")
    return {
        "id": nested(user, "id"),
        "name": full_name(nested(user, "firstName"), nested(user, "lastName")),
        "email": nested(user, "contact", "email"),
        "image": f"{prefix}original{suffix}" if prefix and suffix else None,
    }


def Foursquare(**options: Any) -> FoursquareProvider:
    """`Foursquare(client_id=..., client_secret=..., api_version="20230131")`."""
    opts = dict(options)
    version = str(opts.pop("api_version", "20230131"))
    defaults = FoursquareProvider(
        id="foursquare",
        name="Foursquare",
        style={"bg": "#000", "text": "#fff"},
        authorization=Endpoint("https://foursquare.com/oauth2/authenticate"),
        token=Endpoint("https://foursquare.com/oauth2/access_token"),
        userinfo=Endpoint("https://api.foursquare.com/v2/users/self", (("v", version),)),
        conform=with_bearer_type,
        profile=profile,
    )
    return build_provider(defaults, opts)
