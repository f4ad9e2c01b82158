"""The scripted flavour: any provider's response shapes, given as JSON by the test.

The protocol stays real (client authentication, single-use codes, PKCE, the bearer check);
only the bodies are the test's: `idp.scripted = Scripted(token={...}, userinfo={...})`.
An `access_token` in the scripted token answer is replaced by one the mock issued, so the
userinfo endpoint still refuses any other token. With `id_token_claims` the token answer
also carries an ID token signed with the mock's keys, and `/scripted` is an OpenID issuer.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._authorize import Rules, authorize
from ._models import RecordedRequest
from ._reply import Reply, Route, json_reply
from ._rfc6749 import exchange_code

if TYPE_CHECKING:
    from ._server import MockIdP

__all__ = ["ROUTES", "Scripted", "TokenCall", "discovery"]

LIFETIME = 3600

RULES = Rules(
    flavour="scripted",
    brand="Mock Provider",
    split_scope=lambda raw: [s for s in re.split(r"[,\s]+", raw) if s],
    check_scope=lambda scope: None,
    pkce=True,
)


@dataclass(frozen=True)
class TokenCall:
    """A provider's own token call, read back into RFC 6749's before the usual checks
    (client authentication, single-use code, redirect URI, PKCE) run on it.

    `names`: RFC 6749 parameter -> the provider's name for it (WeChat
    `{"client_id": "appid", "client_secret": "secret"}`, Azure DevOps
    `{"client_secret": "client_assertion", "code": "assertion"}`); a parameter under the
    standard name is then ignored. `method`: `GET` puts them in the query (WeChat).
    `grant_type`: the provider's value for the code grant. `client_id`: the client a call
    that names none is for; `redirect_uri`: the one a call that sends none is taken to
    repeat."""

    method: str = "POST"
    names: dict[str, str] = field(default_factory=dict)
    grant_type: str = "authorization_code"
    client_id: str | None = None
    redirect_uri: str | None = None


@dataclass
class Scripted:
    """What `/scripted/token` and `/scripted/userinfo` answer (JSON bodies and statuses).

    `token_status`/`userinfo_status` other than 200 serve the body as an error answer, e.g.
    `Scripted(token={"error": "invalid_grant"}, token_status=400)`. `userinfo` may be any
    JSON value. `token_schemes` are the `Authorization` schemes userinfo accepts besides an
    `access_token` (or `oauth_token`) query or form parameter and a last path segment
    (`/scripted/userinfo/<token>`). `id_token_alg="HS256"` signs the ID token with the
    client's secret (LINE) instead of the mock's keys; `userinfo_jwt` serves the userinfo
    answer as an `application/jwt` signed by the mock's keys (BankID Norway)."""

    token: dict[str, Any] = field(
        default_factory=lambda: {"access_token": "issued", "token_type": "bearer"}
    )
    token_status: int = 200
    userinfo: Any = field(default_factory=lambda: {"id": "1", "name": "Scripted User"})
    userinfo_status: int = 200
    id_token_claims: dict[str, Any] | None = None
    token_schemes: tuple[str, ...] = ("bearer", "oauth", "token")
    id_token_alg: str | None = None
    userinfo_jwt: bool = False
    token_call: TokenCall | None = None
    response_type: str = "code"


def issuer(idp: MockIdP) -> str:
    return f"{idp.url}/scripted"


def discovery(idp: MockIdP) -> dict[str, Any]:
    iss = issuer(idp)
    return {
        "issuer": iss,
        "authorization_endpoint": f"{iss}/authorize",
        "token_endpoint": f"{iss}/token",
        "userinfo_endpoint": f"{iss}/userinfo",
        "jwks_uri": f"{idp.url}/oidc/jwks",
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256", "ES256", "EdDSA"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
    }


def _authorize(idp: MockIdP, req: RecordedRequest) -> Reply:
    wanted = idp.scripted.response_type
    if wanted != "code":  # the provider's own response_type stands for the code flow
        pairs = tuple(
            (k, ("code" if v == wanted else f"not:{v}") if k == "response_type" else v)
            for k, v in req.query_pairs
        )
        req = dataclasses.replace(req, query_pairs=pairs)
    return authorize(idp, req, RULES)


def _standard_token_call(req: RecordedRequest, call: TokenCall) -> RecordedRequest | Reply:
    """`req` as the RFC 6749 token request it stands for (see `TokenCall`)."""
    if req.method != call.method:
        return json_reply({"error": "invalid_request", "error_description": "wrong method"}, 405)
    sent = req.query_pairs if call.method == "GET" else req.form_pairs
    theirs = {name: std for std, name in call.names.items()}
    pairs = []
    for name, value in sent:
        if name in call.names and name not in theirs:
            continue  # the standard name: the provider's own one counts
        std = theirs.get(name, name)
        if std == "grant_type":
            grant = "authorization_code" if value == call.grant_type else f"not:{value}"
            pairs.append((std, grant))
        else:
            pairs.append((std, value))
    have = {name for name, _ in pairs}
    if call.client_id is not None and "client_id" not in have:
        pairs.append(("client_id", call.client_id))
    if call.redirect_uri is not None and "redirect_uri" not in have:
        pairs.append(("redirect_uri", call.redirect_uri))
    return dataclasses.replace(req, method="POST", query_pairs=(), form_pairs=tuple(pairs))


def _discovery(idp: MockIdP, req: RecordedRequest) -> Reply:
    return json_reply(discovery(idp))


def _token(idp: MockIdP, req: RecordedRequest) -> Reply:
    call = idp.scripted.token_call
    if call is not None:
        standard = _standard_token_call(req, call)
        if isinstance(standard, Reply):
            return standard
        req = standard
    elif req.method != "POST":
        return json_reply({"error": "invalid_request", "error_description": "POST only"}, 405)
    issued = exchange_code(idp, req, "scripted", LIFETIME)
    if isinstance(issued, Reply):
        return issued
    grant, token = issued
    script = idp.scripted
    body = copy.deepcopy(script.token)
    if script.token_status != 200:
        return json_reply(body, script.token_status)
    if "access_token" in body:
        body["access_token"] = token.value
    if script.id_token_claims is not None:
        now = int(idp.now())
        claims = {
            **script.id_token_claims,
            "iss": issuer(idp),
            "aud": grant.client_id,
            "iat": now,
            "exp": now + LIFETIME,
        }
        if "azp" in claims:  # the documented sample names another client
            claims["azp"] = grant.client_id
        if grant.nonce is not None:
            claims["nonce"] = grant.nonce
        if script.id_token_alg == "HS256":
            client = idp.client(grant.client_id)
            secret = client.client_secret.encode() if client is not None else b""
            body["id_token"] = idp.keys.sign(claims, "HS256", hmac_key=secret)
        else:
            body["id_token"] = idp.keys.sign(claims, idp.oidc_alg)
    return json_reply(body)


def _userinfo(idp: MockIdP, req: RecordedRequest) -> Reply:
    script = idp.scripted
    scheme, _, value = req.headers.get("authorization", "").partition(" ")
    presented = value.strip() if scheme.lower() in script.token_schemes else ""
    presented = presented or req.param("access_token") or req.param("oauth_token") or ""
    suffix = req.path.removeprefix("/scripted/userinfo").strip("/")
    presented = presented or suffix  # a token in the path (HubSpot's token metadata)
    token = idp._store.token(presented, "scripted") if presented else None
    if token is None or (token.expires_at is not None and idp.now() >= token.expires_at):
        reply = json_reply(
            {"error": "invalid_token", "error_description": "invalid or expired access token"}, 401
        )
        return reply.with_header("WWW-Authenticate", 'Bearer error="invalid_token"')
    if script.userinfo_jwt and script.userinfo_status == 200 and isinstance(script.userinfo, dict):
        claims = {**script.userinfo, "iss": issuer(idp), "aud": token.client_id}
        jwt = idp.keys.sign(claims, idp.oidc_alg)
        return Reply(200, jwt.encode("ascii"), [("Content-Type", "application/jwt")])
    return json_reply(copy.deepcopy(script.userinfo), script.userinfo_status)


_FAULT = {"error": "server_error", "error_description": "mock fault"}

ROUTES = [
    Route("GET", r"/scripted/\.well-known/openid-configuration", _discovery),
    Route("GET POST", r"/scripted/authorize", _authorize),
    Route("GET POST", r"/scripted/token", _token, "token", _FAULT),
    Route("GET POST", r"/scripted/userinfo(?:/[^/]+)?", _userinfo, "userinfo", _FAULT),
]
