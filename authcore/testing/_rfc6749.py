"""Token-endpoint rules shared by the generic OAuth 2.0 and OpenID Connect flavours."""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import TYPE_CHECKING

from ._assertion import ASSERTION_TYPE, verify_assertion, verify_signed_secret
from ._jws import b64url
from ._models import Flavour, MockClient, RecordedRequest
from ._reply import Reply, json_reply
from ._store import Grant, Token

if TYPE_CHECKING:
    from ._server import MockIdP

__all__ = [
    "authenticate_client",
    "bearer",
    "exchange_code",
    "oauth_error",
    "redeem_code",
    "refresh",
]

_VERIFIER = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")  # RFC 7636 §4.1


def oauth_error(error: str, description: str, status: int = 400) -> Reply:
    """RFC 6749 §5.2 error body."""
    reply = json_reply({"error": error, "error_description": description}, status)
    if status == 401:
        reply = reply.with_header("WWW-Authenticate", 'Basic realm="mock-idp"')
    return reply


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def authenticate_client(
    idp: MockIdP, req: RecordedRequest, flavour: Flavour | None = None
) -> MockClient | Reply:
    """Exactly one client authentication method (RFC 6749 §2.3): Basic, the secret in the
    form, a client assertion (RFC 7523 §3), or the bare client_id of a public client."""
    header = req.headers.get("authorization", "")
    basic = req.basic_auth
    if header.lower().startswith("basic") and basic is None:
        return oauth_error("invalid_client", "malformed Basic credentials", 401)
    form_secret = req.form.get("client_secret")
    assertion = req.form.get("client_assertion")
    if sum(x is not None for x in (basic, form_secret, assertion)) > 1:
        return oauth_error("invalid_request", "more than one client authentication method")
    if flavour == "oidc" and (basic is not None or form_secret is not None):
        used = "client_secret_basic" if basic is not None else "client_secret_post"
        if used not in idp.oidc_token_auth_methods:  # only what discovery advertises
            return oauth_error("invalid_client", f"{used} is not supported here", 401)
    if assertion is not None:
        return _assertion_client(idp, req, assertion)
    if basic is not None:
        client_id, secret = basic
        if req.form.get("client_id", client_id) != client_id:
            return oauth_error("invalid_request", "client_id differs from the Basic credentials")
        method = "client_secret_basic"
    elif form_secret is not None:
        client_id, secret, method = req.form.get("client_id", ""), form_secret, "client_secret_post"
    else:
        public = idp.client(req.form.get("client_id", ""))
        if public is not None and public.auth_method == "none":
            return public
        return oauth_error("invalid_client", "client authentication required", 401)
    client = idp.client(client_id)
    if client is None or not _secret_ok(idp, client, secret, flavour):
        return oauth_error("invalid_client", "client authentication failed", 401)
    if client.auth_method not in (None, method):
        return oauth_error("invalid_client", f"this client must use {client.auth_method}", 401)
    return client


def _secret_ok(idp: MockIdP, client: MockClient, secret: str, flavour: Flavour | None) -> bool:
    """The registered secret; for a client with a public key but no secret, a secret JWT
    signed by it for this flavour's issuer (Sign in with Apple)."""
    if client.public_key is not None and not client.client_secret:
        audience = f"{idp.url}/{flavour}" if flavour == "scripted" else None
        return verify_signed_secret(idp, client, secret, audience)
    return bool(client.client_secret) and _same(secret, client.client_secret)


def _assertion_client(idp: MockIdP, req: RecordedRequest, assertion: str) -> MockClient | Reply:
    if req.form.get("client_assertion_type") != ASSERTION_TYPE:
        return oauth_error("invalid_request", "unsupported client_assertion_type")
    client = idp.client(req.form.get("client_id", ""))
    if client is None:
        return oauth_error("invalid_client", "unknown client", 401)
    problem = verify_assertion(idp, client, assertion, token_url=f"{idp.url}{req.path}")
    if problem is not None:
        return oauth_error("invalid_client", problem, 401)
    return client


def redeem_code(
    idp: MockIdP, req: RecordedRequest, client: MockClient, flavour: Flavour
) -> Grant | Reply:
    """RFC 6749 §4.1.3 checks, single use, plus PKCE (RFC 7636 §4.6, RFC 9700 §2.1.1)."""
    dup = req.duplicates()
    if dup:
        return oauth_error("invalid_request", f"repeated parameter {sorted(dup)[0]}")
    form = req.form
    if form.get("grant_type") != "authorization_code":
        return oauth_error("unsupported_grant_type", "grant_type must be authorization_code")
    if not form.get("code"):
        return oauth_error("invalid_request", "missing code")
    grant, first_use = idp._store.redeem(form["code"], replayable=idp.replayable_codes)
    if grant is None or grant.flavour != flavour or grant.client_id != client.client_id:
        return oauth_error("invalid_grant", "unknown authorization code")
    if not first_use:
        return oauth_error("invalid_grant", "authorization code already used")
    if idp.now() >= grant.expires_at:
        return oauth_error("invalid_grant", "authorization code expired")
    if form.get("redirect_uri") != grant.redirect_uri:
        return oauth_error("invalid_grant", "redirect_uri does not match the authorization request")
    verifier = form.get("code_verifier")
    if grant.code_challenge is None and client.auth_method == "none":
        return oauth_error("invalid_grant", "a public client must use PKCE")
    if grant.code_challenge is None:
        if verifier is not None:  # a downgrade attempt: no challenge was sent (RFC 9700 §2.1.1)
            return oauth_error("invalid_grant", "code_verifier sent but no code_challenge was")
        return grant
    if verifier is None or not _VERIFIER.match(verifier):
        return oauth_error("invalid_grant", "code_verifier missing or malformed")
    if not _same(b64url(hashlib.sha256(verifier.encode("ascii")).digest()), grant.code_challenge):
        return oauth_error("invalid_grant", "PKCE verification failed")
    return grant


def exchange_code(
    idp: MockIdP, req: RecordedRequest, flavour: Flavour, lifetime: float | None
) -> tuple[Grant, Token] | Reply:
    """The token endpoint up to the access token: client authentication, the code redeemed,
    a token issued (and tied to the grant, so a replayed code revokes it)."""
    client = authenticate_client(idp, req, flavour)
    if isinstance(client, Reply):
        return client
    grant = redeem_code(idp, req, client, flavour)
    if isinstance(grant, Reply):
        return grant
    token = idp._store.issue(
        flavour=flavour,
        client_id=client.client_id,
        user=grant.user,
        scope=grant.scope,
        now=idp.now(),
        lifetime=lifetime,
        grant=grant,
        replayable=idp.replayable_codes,
    )
    return grant, token


def refresh(
    idp: MockIdP, req: RecordedRequest, flavour: Flavour, lifetime: float | None
) -> tuple[Token, str] | Reply:
    """`grant_type=refresh_token` (RFC 6749 §6): a new access token and a rotated refresh
    token; a spent, unknown or foreign refresh token is `invalid_grant`."""
    client = authenticate_client(idp, req, flavour)
    if isinstance(client, Reply):
        return client
    value = req.form.get("refresh_token", "")
    if not value:
        return oauth_error("invalid_request", "missing refresh_token")
    found, first_use = idp._store.use_refresh(value, flavour)
    if found is None or found.client_id != client.client_id:
        return oauth_error("invalid_grant", "unknown refresh token")
    if not first_use:
        return oauth_error("invalid_grant", "refresh token already used")
    scope = found.scope
    asked = req.form.get("scope")
    if asked is not None:
        narrowed = asked.split()
        if not set(narrowed) <= set(scope):  # §6: no scope beyond the original grant
            return oauth_error("invalid_scope", "scope exceeds the original grant")
        scope = narrowed
    token = idp._store.issue(
        flavour=flavour,
        client_id=client.client_id,
        user=found.user,
        scope=scope,
        now=idp.now(),
        lifetime=lifetime,
    )
    return token, idp._store.issue_refresh(flavour, client.client_id, found.user, scope)


def bearer(
    idp: MockIdP, req: RecordedRequest, flavour: Flavour, *, schemes: tuple[str, ...] = ("bearer",)
) -> Token | Reply:
    """An access token from the Authorization header (or a form body, RFC 6750 §2.2)."""
    scheme, _, value = req.headers.get("authorization", "").partition(" ")
    if scheme.lower() not in schemes or not value.strip():
        value = req.form.get("access_token", "") if req.method == "POST" else ""
    token = idp._store.token(value.strip(), flavour) if value.strip() else None
    if token is None or (token.expires_at is not None and idp.now() >= token.expires_at):
        reply = json_reply(
            {"error": "invalid_token", "error_description": "invalid or expired access token"}, 401
        )
        return reply.with_header("WWW-Authenticate", 'Bearer error="invalid_token"')
    return token
