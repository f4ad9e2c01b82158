"""The OpenID Connect flavour: discovery, JWKS, signed ID tokens, RFC 9207 `iss`."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from ._authorize import Rules, authorize
from ._jws import b64url
from ._models import OIDCUser, RecordedRequest
from ._reply import Reply, Route, json_reply
from ._rfc6749 import bearer, exchange_code, oauth_error, refresh
from ._store import Grant

if TYPE_CHECKING:
    from ._server import MockIdP

__all__ = ["ROUTES"]

LIFETIME = 3600

RULES = Rules(
    flavour="oidc",
    brand="Mock OpenID Provider",
    split_scope=lambda raw: raw.split(),
    check_scope=lambda scope: None if "openid" in scope else "the openid scope is required",
    pkce=True,
    iss=True,
)


def _authorize(idp: MockIdP, req: RecordedRequest) -> Reply:
    return authorize(idp, req, RULES)


def discovery(idp: MockIdP) -> dict[str, Any]:
    iss = idp.issuer
    return {
        "issuer": iss,
        "authorization_endpoint": f"{iss}/authorize",
        "token_endpoint": f"{iss}/token",
        "userinfo_endpoint": f"{iss}/userinfo",
        "jwks_uri": f"{iss}/jwks",
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "form_post"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256", "ES256", "EdDSA"],
        "token_endpoint_auth_methods_supported": list(idp.oidc_token_auth_methods),
        "token_endpoint_auth_signing_alg_values_supported": ["HS256", "RS256", "ES256", "EdDSA"],
        "scopes_supported": ["openid", "profile", "email"],
        "claims_supported": [
            "iss",
            "sub",
            "aud",
            "exp",
            "iat",
            "auth_time",
            "nonce",
            "name",
            "picture",
            "email",
            "email_verified",
        ],
        "code_challenge_methods_supported": ["S256"],
        "authorization_response_iss_parameter_supported": True,
    }


def _discovery(idp: MockIdP, req: RecordedRequest) -> Reply:
    return json_reply(discovery(idp))


def _multi_tenant_discovery(idp: MockIdP, req: RecordedRequest) -> Reply:
    """Microsoft's multi-tenant metadata: the issuer is a `{tenantid}` template and no `iss`
    comes back on the redirect."""
    doc = discovery(idp)
    doc["issuer"] = f"{idp.issuer}/{{tenantid}}"
    doc["authorization_response_iss_parameter_supported"] = False
    return json_reply(doc)


def _jwks(idp: MockIdP, req: RecordedRequest) -> Reply:
    return json_reply(idp.jwks())


def user_claims(idp: MockIdP, user: OIDCUser, scope: list[str]) -> dict[str, Any]:
    """Standard claims released by scope (OIDC Core §5.4)."""
    claims: dict[str, Any] = {}
    if "profile" in scope:
        claims["name"] = user.name
        claims["picture"] = idp.picture_url(user)
    if "email" in scope:
        claims["email"] = user.email
        claims["email_verified"] = user.email_verified
    return claims


def id_token(idp: MockIdP, grant: Grant) -> str:
    user = grant.user
    assert isinstance(user, OIDCUser)
    fault = idp.faults.id_token
    now = int(idp.now())
    iat = now + 3600 if fault == "future_iat" else now - 7200 if fault == "expired" else now
    claims: dict[str, Any] = {
        "iss": f"{idp.url}/oidc-other" if fault == "wrong_iss" else idp.issuer,
        "sub": user.sub,
        "aud": grant.client_id,
        "exp": iat + LIFETIME,
        "iat": iat,
        "auth_time": int(grant.issued_at),
    }
    if idp.tenant is not None and fault != "wrong_iss":
        claims["iss"] = f"{idp.issuer}/{idp.tenant}"
        claims["tid"] = idp.tenant
    if grant.nonce is not None:
        claims["nonce"] = grant.nonce
    if idp.faults.wrong_nonce:
        claims["nonce"] = f"wrong-{grant.nonce}" if grant.nonce else "unexpected-nonce"
    claims.update(user_claims(idp, user, grant.scope))
    if fault == "wrong_aud":
        claims["aud"] = "another-client"
    elif fault == "multiple_aud_no_azp":
        claims["aud"] = [grant.client_id, "another-client"]
    elif fault in ("missing_sub", "missing_iat", "missing_exp"):
        del claims[fault.removeprefix("missing_")]
    if fault == "malformed":
        return "not-a.jws"
    header: dict[str, Any] = {}
    alg: str = idp.oidc_alg
    if fault == "unsigned":
        alg, header["kid"] = "none", None
    elif fault == "hs256_with_public_key":
        alg, header["kid"] = "HS256", idp.keys.kids["RS256"]
    elif fault == "missing_kid":
        header["kid"] = None
    elif fault == "unknown_kid":
        header["kid"] = "unknown-" + idp.keys.kids[alg]
    jws = idp.keys.sign(claims, alg, header)
    if fault == "bad_signature":
        head, payload, sig = jws.split(".")
        raw = bytearray(_b64decode(sig))
        raw[-1] ^= 0x01
        jws = f"{head}.{payload}.{b64url(bytes(raw))}"
    return jws


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _token(idp: MockIdP, req: RecordedRequest) -> Reply:
    if req.form.get("grant_type") == "refresh_token":
        refreshed = refresh(idp, req, "oidc", LIFETIME)
        if isinstance(refreshed, Reply):
            return refreshed
        token, refresh_token = refreshed
        return json_reply(
            {
                "access_token": token.value,
                "token_type": "Bearer",
                "expires_in": LIFETIME,
                "refresh_token": refresh_token,
                "scope": " ".join(token.scope),
            }
        )
    issued = exchange_code(idp, req, "oidc", LIFETIME)
    if isinstance(issued, Reply):
        return issued
    grant, token = issued
    return json_reply(
        {
            "access_token": token.value,
            "token_type": "Bearer",
            "expires_in": LIFETIME,
            "refresh_token": idp._store.issue_refresh(
                "oidc", grant.client_id, grant.user, grant.scope
            ),
            "id_token": id_token(idp, grant),
        }
    )


def _userinfo(idp: MockIdP, req: RecordedRequest) -> Reply:
    """Header or form body only: a token in the query is refused (security.md, RFC 6750 §2.3)."""
    if "access_token" in req.query:
        return oauth_error("invalid_request", "access token in the query string is not accepted")
    token = bearer(idp, req, "oidc")
    if isinstance(token, Reply):
        return token
    user = token.user
    assert isinstance(user, OIDCUser)
    sub = f"{user.sub}-other" if idp.faults.userinfo_sub_mismatch else user.sub
    return json_reply({"sub": sub, **user_claims(idp, user, token.scope)})


_FAULT = {"error": "server_error", "error_description": "mock fault"}

ROUTES = [
    Route("GET", r"/oidc/\.well-known/openid-configuration", _discovery),
    Route("GET", r"/oidc/common/\.well-known/openid-configuration", _multi_tenant_discovery),
    Route("GET", r"/oidc/jwks", _jwks),
    Route("GET POST", r"/oidc/authorize", _authorize),
    Route("POST", r"/oidc/token", _token, "token", _FAULT),
    Route("GET POST", r"/oidc/userinfo", _userinfo, "userinfo", _FAULT),
]
