"""The authorization endpoint, shared by the three flavours (RFC 6749 §4.1.1-§4.1.2)."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ._models import Flavour, InstagramUser, OAuth2User, RecordedRequest
from ._pages import consent_page, error_page, form_post_page
from ._reply import Reply, html, redirect, with_params
from ._store import Grant

if TYPE_CHECKING:
    from ._server import MockIdP

__all__ = ["Rules", "authorize"]

_PKCE_CHALLENGE = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")  # RFC 7636 §4.2 (S256 is 43 chars)


@dataclass(frozen=True)
class Rules:
    flavour: Flavour
    brand: str
    split_scope: Callable[[str], list[str]]
    check_scope: Callable[[list[str]], str | None]  # an error message, or None
    # verify code_challenge (S256 only); Instagram ignores PKCE (docs/providers/instagram.md#pkce)
    pkce: bool
    # Instagram appends "#_" to the success redirect (docs/providers/instagram.md#the-redirect-back)
    fragment: str = ""
    errors_on_page: bool = False  # Instagram shows request errors instead of redirecting
    iss: bool = False  # RFC 9207 `iss` on the redirect


def authorize(idp: MockIdP, req: RecordedRequest, rules: Rules) -> Reply:
    pairs = [*req.query_pairs, *req.form_pairs]
    params = dict(reversed(pairs))  # first occurrence wins

    dup = req.duplicates()
    if dup and rules.flavour != "instagram":
        return _error_page(rules.brand, f"invalid_request: repeated parameter {sorted(dup)[0]}")
    client = idp.client(params.get("client_id", ""))
    if client is None:
        return _error_page(
            rules.brand,
            "Invalid platform app" if rules.flavour == "instagram" else "invalid_client",
        )
    redirect_uri = params.get("redirect_uri", "")
    problem = _redirect_problem(redirect_uri, client.redirect_uris)
    if problem:
        return _error_page(rules.brand, problem)

    # From here on the redirect URI is trusted: errors go back to the client (RFC 6749 §4.1.2.1).
    state = params.get("state")
    if idp.faults.wrong_state:
        state = f"tampered-{state}" if state else "unexpected-state"

    form_post = params.get("response_mode") == "form_post" and rules.flavour != "instagram"

    def back(extra: list[tuple[str, str]], fragment: str = "") -> Reply:
        out = list(extra)
        if state is not None:
            out.append(("state", state))
        if rules.iss and not idp.faults.missing_iss and idp.tenant is None:
            out.append(("iss", f"{idp.url}/oidc-other" if idp.faults.wrong_iss else idp.issuer))
        if form_post:
            return html(form_post_page(action=redirect_uri, fields=out))
        return redirect(with_params(redirect_uri, out, fragment))

    def fail(error: str, description: str) -> Reply:
        if rules.errors_on_page:
            return _error_page(
                rules.brand, f"Invalid Request: Request parameters are invalid: {description}"
            )
        return back([("error", error), ("error_description", description)])

    if params.get("response_type") != "code":
        return fail("unsupported_response_type", "Unsupported response_type")
    scope = rules.split_scope(params.get("scope", ""))
    scope_problem = rules.check_scope(scope)
    if scope_problem:
        return fail("invalid_scope", scope_problem)
    challenge = params.get("code_challenge") if rules.pkce else None
    if challenge is not None:
        if params.get("code_challenge_method") != "S256":
            return fail("invalid_request", "code_challenge_method must be S256")
        if not _PKCE_CHALLENGE.match(challenge):
            return fail("invalid_request", "malformed code_challenge")

    denied = [
        ("error", "access_denied"),
        ("error_reason", "user_denied"),
        ("error_description", "The user denied your request"),
    ]
    if idp.faults.error:
        if idp.faults.error == "access_denied" and rules.flavour == "instagram":
            return back(denied)
        return back(
            [("error", idp.faults.error), ("error_description", "Mock fault: faults.error")]
        )
    decision = params.get("decision")
    if decision == "deny":
        return back(denied if rules.flavour == "instagram" else denied[::2])
    user = idp.user(rules.flavour)
    if decision != "allow" and not idp.auto_approve:
        return html(
            consent_page(
                brand=rules.brand,
                login=_login(user),
                picture=idp.picture_url(user),
                client_id=client.client_id,
                scope=" ".join(scope),
                action=f"{idp.url}{req.path}",
                params=pairs,
            )
        )

    now = idp.now()
    code = secrets.token_urlsafe(32)
    grant = Grant(
        code=code,
        flavour=rules.flavour,
        client_id=client.client_id,
        redirect_uri=redirect_uri,
        scope=scope,
        user=user,
        issued_at=now,
        expires_at=now + idp.code_lifetime_for(rules.flavour),
        nonce=params.get("nonce"),
        code_challenge=challenge,
    )
    idp._store.add_grant(grant)
    answer = [("code", code)]
    if form_post and idp.form_post_user is not None:
        # Apple posts the user's name once, on the first consent of each client and user
        first = idp._store.first_consent(client.client_id, _login(user))
        if first:
            answer.append(("user", json.dumps(idp.form_post_user, separators=(",", ":"))))
    return back(answer, rules.fragment)


def _error_page(brand: str, message: str) -> Reply:
    """Errors before the redirect URI is verified never redirect (RFC 6749 §4.1.2.1)."""
    return html(error_page(brand=brand, message=message), status=400)


def _redirect_problem(uri: str, registered: tuple[str, ...] | None) -> str | None:
    if not uri:
        return "Invalid redirect_uri: missing"
    if len(uri) > 2048 or not uri.isprintable():
        return "Invalid redirect_uri"
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.fragment or "#" in uri:
        return "Invalid redirect_uri: must be an absolute http(s) URL without fragment"
    if registered is not None and uri not in registered:
        return "Invalid redirect_uri: not registered for this client"
    return None


def _login(user: object) -> str:
    if isinstance(user, InstagramUser):
        return f"@{user.username}"
    if isinstance(user, OAuth2User):
        return f"@{user.login}"
    return str(getattr(user, "email", None) or getattr(user, "name", None) or "user")
