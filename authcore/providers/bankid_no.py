"""BankID Norway (BankID Norge): OpenID Connect whose profile is the userinfo answer, a JWT
signed by BankID (RS256).

The ID token carries only the subject: the name and address come from the userinfo
endpoint, which answers `application/jwt`. Its signature is checked against BankID's keys
and its `iss` / `aud`, when present, must name BankID and the app (Auth.js reads the claims
without checking the signature). The token call posts the client secret in the form
(`client_secret_post`); the login page is Norwegian (`ui_locales=no`) and starts with BankID
(`login_hint=BIS`). No picture.
"""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OIDCProvider, build_provider

__all__ = ["BankIDNorway"]

REGISTER_URL = "https://confluence.bankidnorge.no/confluence/pdoidcl"


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("sub"),
        "name": profile.get("name"),
        "email": profile.get("email"),
        "image": None,
    }


def BankIDNorway(**options: Any) -> OIDCProvider:
    """`BankIDNorway(client_id=..., client_secret=...)`; the test environment:
    `issuer="https://auth.current.bankid.no/auth/realms/current"`."""
    defaults = OIDCProvider(
        id="bankid-no",
        name="BankID Norge",
        issuer="https://auth.bankid.no/auth/realms/prod",
        token_endpoint_auth_method="client_secret_post",
        userinfo_signed_response_alg="RS256",
        id_token=False,
        authorization=Endpoint(None, (("ui_locales", "no"), ("login_hint", "BIS"))),
        checks=("pkce", "state", "nonce"),
        profile=profile,
        style={"text": "#fff", "bg": "#39134c"},
    )
    return build_provider(defaults, options)
