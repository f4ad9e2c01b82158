"""The Instagram flavour: "Instagram API with Instagram Login" as
docs/providers/instagram.md#how-instagrams-api-behaves describes it.

Token endpoint errors use `{"error_type","code","error_message"}`; graph.instagram.com errors
use the Graph shape `{"error":{"message","type","code","fbtrace_id"}}`
(docs/providers/instagram.md#error-shapes)."""

from __future__ import annotations

import hmac
import re
import secrets
from typing import TYPE_CHECKING, Any

from ._authorize import Rules, authorize
from ._models import InstagramUser, RecordedRequest
from ._reply import Reply, Route, json_reply
from ._store import Token

if TYPE_CHECKING:
    from ._server import MockIdP

__all__ = ["ROUTES", "graph_error", "ig_error"]

SHORT_LIVED = 3600  # docs/providers/instagram.md#the-token-endpoint
LONG_LIVED = 5183944  # docs/providers/instagram.md#long-lived-tokens-and-refresh
SCOPES = frozenset(
    {
        "instagram_business_basic",
        "instagram_business_content_publish",
        "instagram_business_manage_messages",
        "instagram_business_manage_comments",
        "instagram_business_manage_insights",
    }
)
ME_FIELDS = frozenset(
    {
        "id",
        "user_id",
        "username",
        "name",
        "account_type",
        "profile_picture_url",
        "followers_count",
        "follows_count",
        "media_count",
    }
)
CODE_NOT_FOUND = "Matching code was not found or was already used"
REDIRECT_MISMATCH = (
    "Error validating verification code. Please make sure your redirect_uri is identical "
    "to the one you used in the OAuth dialog request"
)
BAD_TOKEN = "Invalid OAuth access token - Cannot parse access token"


def ig_error(message: str, status: int = 400) -> Reply:
    return json_reply(
        {"error_type": "OAuthException", "code": 400, "error_message": message}, status
    )


def graph_error(
    message: str, code: int = 190, status: int = 400, subcode: int | None = None
) -> Reply:
    err: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code}
    if subcode is not None:
        err["error_subcode"] = subcode
    err["fbtrace_id"] = "Amock" + secrets.token_urlsafe(12)
    return json_reply({"error": err}, status)


def _split_scope(raw: str) -> list[str]:
    return [s for s in re.split(r"[,\s]+", raw) if s]


def _check_scope(scope: list[str]) -> str | None:
    if not scope:
        return "Invalid scope: []"
    for name in scope:
        if name not in SCOPES:
            return f"Invalid scope: {name}"
    return None


RULES = Rules(
    flavour="instagram",
    brand="Mock Instagram",
    split_scope=_split_scope,
    check_scope=_check_scope,
    pkce=False,
    fragment="_",
    errors_on_page=True,
)


def _authorize(idp: MockIdP, req: RecordedRequest) -> Reply:
    return authorize(idp, req, RULES)


def _access_token(idp: MockIdP, req: RecordedRequest) -> Reply:
    """Code -> short-lived token. client_secret_post only (next-auth PR #4705)."""
    if req.headers.get("authorization", "").lower().startswith("basic"):
        return ig_error(
            "HTTP Basic client authentication is not supported: "
            "send client_id and client_secret in the form body"
        )
    form = req.form
    for name in ("client_id", "client_secret", "grant_type", "redirect_uri", "code"):
        if not form.get(name):
            return ig_error(f"Missing required parameter: {name}")
    client = idp.client(form["client_id"])
    if client is None:
        return ig_error("Invalid platform app")
    if not hmac.compare_digest(form["client_secret"].encode(), client.client_secret.encode()):
        return ig_error("Error validating client secret.")
    if form["grant_type"] != "authorization_code":
        return ig_error(f"Unsupported grant_type: {form['grant_type']}")
    grant, first_use = idp._store.redeem(form["code"], replayable=idp.replayable_codes)
    if grant is None or not first_use or grant.flavour != "instagram":
        return ig_error(CODE_NOT_FOUND)
    if grant.client_id != client.client_id:
        return ig_error(CODE_NOT_FOUND)
    if idp.now() >= grant.expires_at:
        return ig_error("This authorization code has expired.")
    if form["redirect_uri"] != grant.redirect_uri:
        return ig_error(REDIRECT_MISMATCH)
    user = grant.user
    assert isinstance(user, InstagramUser)
    token = idp._store.issue(
        flavour="instagram",
        client_id=client.client_id,
        user=user,
        scope=grant.scope,
        now=idp.now(),
        lifetime=SHORT_LIVED,
        grant=grant,
        replayable=idp.replayable_codes,
    )
    return json_reply(_token_body(idp.instagram_token_shape, token.value, user, grant.scope))


def _token_body(shape: str, access_token: str, user: InstagramUser, scope: list[str]) -> Any:
    uid = user.app_scoped_id
    body: dict[str, Any] = {"access_token": access_token, "user_id": uid, "permissions": scope}
    if shape == "data_wrapped":  # exactly as Meta's Business Login doc, Step 2
        return {"data": [{**body, "user_id": str(uid), "permissions": ",".join(scope)}]}
    if shape == "string_user_id":
        body["user_id"] = str(uid)
    elif shape == "with_token_type":
        body["token_type"] = "bearer"
    elif shape == "permissions_string":
        body["permissions"] = ",".join(scope)
    return body


def _bearer_or_query(req: RecordedRequest) -> str | None:
    return req.query.get("access_token") or req.bearer_token


def _valid_token(idp: MockIdP, value: str | None) -> Token | Reply:
    if not value:
        return graph_error(
            "An active access token must be used to query information about the current user.",
            code=2500,
        )
    token = idp._store.token(value, "instagram")
    if token is None:
        return graph_error(BAD_TOKEN)
    if token.expires_at is not None and idp.now() >= token.expires_at:
        return graph_error("Error validating access token: Session has expired.", subcode=463)
    return token


def _exchange(idp: MockIdP, req: RecordedRequest) -> Reply:
    """Short-lived -> 60-day token (docs/providers/instagram.md#long-lived-tokens-and-refresh);
    needs the app secret."""
    if req.query.get("grant_type") != "ig_exchange_token":
        return graph_error("(#100) grant_type must be ig_exchange_token", code=100)
    token = _valid_token(idp, req.query.get("access_token"))
    if isinstance(token, Reply):
        return token
    client = idp.client(token.client_id)
    secret = req.query.get("client_secret", "")
    if client is None or not hmac.compare_digest(secret.encode(), client.client_secret.encode()):
        return graph_error("Error validating client secret.", code=1)
    if token.long_lived:
        return graph_error("(#100) ig_exchange_token expects a short-lived token", code=100)
    return _long_lived(idp, token)


def _refresh(idp: MockIdP, req: RecordedRequest) -> Reply:
    """Refresh a 60-day token (docs/providers/instagram.md#long-lived-tokens-and-refresh): no
    secret, no refresh_token."""
    if req.query.get("grant_type") != "ig_refresh_token":
        return graph_error("(#100) grant_type must be ig_refresh_token", code=100)
    token = _valid_token(idp, req.query.get("access_token"))
    if isinstance(token, Reply):
        return token
    if not token.long_lived:
        return graph_error("(#100) ig_refresh_token expects a long-lived token", code=100)
    if idp.now() - token.issued_at < idp.instagram_refresh_min_age:
        return graph_error("(#100) The access token is too recent to be refreshed", code=100)
    return _long_lived(idp, token)


def _long_lived(idp: MockIdP, token: Token) -> Reply:
    new = idp._store.issue(
        flavour="instagram",
        client_id=token.client_id,
        user=token.user,
        scope=token.scope,
        now=idp.now(),
        lifetime=LONG_LIVED,
        long_lived=True,
    )
    return json_reply({"access_token": new.value, "token_type": "bearer", "expires_in": LONG_LIVED})


def _me(idp: MockIdP, req: RecordedRequest) -> Reply:
    """Graph `/me`; the token as `access_token` query parameter or `Authorization: Bearer`."""
    token = _valid_token(idp, _bearer_or_query(req))
    if isinstance(token, Reply):
        return token
    if "instagram_business_basic" not in token.scope:
        return graph_error("(#10) Application does not have permission for this action", code=10)
    user = token.user
    assert isinstance(user, InstagramUser)
    wanted = [f.strip() for f in req.query.get("fields", "").split(",") if f.strip()]
    for name in wanted:
        if name not in ME_FIELDS:
            return graph_error(
                f"(#100) Tried accessing nonexisting field ({name}) on node type (User)", code=100
            )
    values: dict[str, Any] = {
        "id": str(user.app_scoped_id),  # Graph ids are strings
        "user_id": str(user.user_id),
        "username": user.username,
        "name": user.name,
        "account_type": user.account_type,
        "profile_picture_url": idp.picture_url(user),
        "followers_count": user.followers_count,
        "follows_count": user.follows_count,
        "media_count": user.media_count,
    }
    out = {name: values[name] for name in wanted if name != "id"}
    return json_reply({**out, "id": values["id"]})  # Graph always includes id, last


_TOKEN_FAULT = {
    "error_type": "OAuthException",
    "code": 2,
    "error_message": "Service temporarily unavailable",
}
_GRAPH_FAULT = {
    "error": {"message": "An unexpected error has occurred.", "type": "OAuthException", "code": 2}
}

ROUTES = [
    Route("GET POST", r"/instagram/oauth/authorize", _authorize),
    Route("POST", r"/instagram/oauth/access_token", _access_token, "token", _TOKEN_FAULT),
    Route("GET", r"/instagram/graph/access_token", _exchange, "exchange", _GRAPH_FAULT),
    Route("GET", r"/instagram/graph/refresh_access_token", _refresh, "exchange", _GRAPH_FAULT),
    Route("GET", r"/instagram/graph(?:/v\d{1,3}\.0)?/me", _me, "userinfo", _GRAPH_FAULT),
]
