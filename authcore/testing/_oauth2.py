"""The generic OAuth 2.0 flavour, shaped like GitHub (RFC 6749 + PKCE S256)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ._authorize import Rules, authorize
from ._models import OAuth2User, RecordedRequest
from ._reply import Reply, Route, json_reply
from ._rfc6749 import bearer, exchange_code

if TYPE_CHECKING:
    from ._server import MockIdP

__all__ = ["ROUTES"]

RULES = Rules(
    flavour="oauth2",
    brand="Mock OAuth 2.0",
    split_scope=lambda raw: [s for s in re.split(r"[,\s]+", raw) if s],
    check_scope=lambda scope: None,
    pkce=True,
)


def _authorize(idp: MockIdP, req: RecordedRequest) -> Reply:
    return authorize(idp, req, RULES)


def _token(idp: MockIdP, req: RecordedRequest) -> Reply:
    issued = exchange_code(idp, req, "oauth2", None)  # GitHub OAuth app tokens do not expire
    if isinstance(issued, Reply):
        return issued
    grant, token = issued
    # GitHub answers the granted scopes comma-joined.
    return json_reply(
        {"access_token": token.value, "token_type": "bearer", "scope": ",".join(grant.scope)}
    )


def _unauthorized() -> Reply:
    return json_reply(
        {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}, 401
    )


def _userinfo(idp: MockIdP, req: RecordedRequest) -> Reply:
    token = bearer(idp, req, "oauth2", schemes=("bearer", "token"))
    if isinstance(token, Reply):
        return _unauthorized()
    user = token.user
    assert isinstance(user, OAuth2User)
    return json_reply(
        {
            "id": user.id,
            "login": user.login,
            "name": user.name,
            "email": user.email,
            "avatar_url": idp.picture_url(user),
        }
    )


def _emails(idp: MockIdP, req: RecordedRequest) -> Reply:
    """Needs the `user:email` (or `user`) scope, as on GitHub; without it: 404."""
    token = bearer(idp, req, "oauth2", schemes=("bearer", "token"))
    if isinstance(token, Reply):
        return _unauthorized()
    if not {"user", "user:email"} & set(token.scope):
        return json_reply(
            {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}, 404
        )
    user = token.user
    assert isinstance(user, OAuth2User)
    return json_reply(
        [
            {
                "email": e.email,
                "primary": e.primary,
                "verified": e.verified,
                "visibility": e.visibility,
            }
            for e in user.emails
        ]
    )


_FAULT_TOKEN = {"error": "server_error", "error_description": "mock fault"}
_FAULT_API = {"message": "Server Error"}

ROUTES = [
    Route("GET POST", r"/oauth2/authorize", _authorize),
    Route("POST", r"/oauth2/token", _token, "token", _FAULT_TOKEN),
    Route("GET", r"/oauth2/userinfo", _userinfo, "userinfo", _FAULT_API),
    Route("GET", r"/oauth2/user/emails", _emails, "emails", _FAULT_API),
]
