"""Shared helpers for the mock IdP tests: drive an authorize step, decode JWTs by hand."""

from __future__ import annotations

import atexit
import base64
import hashlib
import json
import secrets
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from authcore.testing import MockIdP

HTTP = httpx.Client(timeout=30)  # one pooled client: HTTP.get() builds an SSL context per call
atexit.register(HTTP.close)

REDIRECT = "http://127.0.0.1:9/api/auth/callback/mock"
IG_SCOPE = "instagram_business_basic"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(32)
    return verifier, b64url(hashlib.sha256(verifier.encode()).digest())


def authorize_params(flavour: str, **extra: str) -> dict[str, str]:
    scope = {
        "instagram": IG_SCOPE,
        "oauth2": "read:user user:email",
        "oidc": "openid profile email",
    }
    params = {
        "client_id": "mock-client-id",
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": scope[flavour],
        "state": "state-123",
    }
    params.update(extra)
    return {k: v for k, v in params.items() if v != ""}


def authorize(idp: MockIdP, flavour: str, **extra: str) -> httpx.Response:
    return HTTP.get(
        f"{idp.url}/{flavour}/{'oauth/authorize' if flavour == 'instagram' else 'authorize'}",
        params=authorize_params(flavour, **extra),
    )


def redirect_params(resp: httpx.Response) -> tuple[dict[str, str], str]:
    """(query parameters, fragment) of a 302 back to the client."""
    assert resp.status_code == 302, resp.text
    parts = urlsplit(resp.headers["location"])
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == REDIRECT
    return {k: v[0] for k, v in parse_qs(parts.query).items()}, parts.fragment


def get_code(idp: MockIdP, flavour: str, **extra: str) -> str:
    params, _ = redirect_params(authorize(idp, flavour, **extra))
    return params["code"]


def ig_token(idp: MockIdP, code: str, /, **overrides: str) -> httpx.Response:
    form = {
        "client_id": "mock-client-id",
        "client_secret": "mock-client-secret",
        "grant_type": "authorization_code",
        "redirect_uri": REDIRECT,
        "code": code,
    }
    form.update(overrides)
    return HTTP.post(f"{idp.url}/instagram/oauth/access_token", data=form)


def rfc_token(
    idp: MockIdP,
    flavour: str,
    code: str,
    /,
    *,
    basic: bool = True,
    extra: dict[str, str] | None = None,
    **overrides: str,
) -> httpx.Response:
    form = {"grant_type": "authorization_code", "redirect_uri": REDIRECT, "code": code}
    if not basic:
        form.update(client_id="mock-client-id", client_secret="mock-client-secret")
    form.update(extra or {})
    form.update(overrides)
    form = {k: v for k, v in form.items() if v != ""}
    url = f"{idp.url}/{flavour}/token"
    if basic:
        return HTTP.post(url, data=form, auth=("mock-client-id", "mock-client-secret"))
    return HTTP.post(url, data=form)


def ig_access_token(idp: MockIdP) -> str:
    resp = ig_token(idp, get_code(idp, "instagram"))
    assert resp.status_code == 200, resp.text
    token: str = resp.json()["access_token"]
    return token


def jwt_parts(token: str) -> tuple[dict[str, Any], dict[str, Any], bytes, bytes]:
    head, payload, sig = token.split(".")
    return (
        json.loads(b64url_decode(head)),
        json.loads(b64url_decode(payload)),
        f"{head}.{payload}".encode(),
        b64url_decode(sig),
    )


def verify(jwks: dict[str, Any], token: str) -> dict[str, Any]:
    """Verify with cryptography directly (not with the mock's signing code)."""
    header, claims, signing_input, sig = jwt_parts(token)
    (jwk,) = [k for k in jwks["keys"] if k["kid"] == header["kid"]]
    assert jwk["alg"] == header["alg"]
    if header["alg"] == "RS256":
        n = int.from_bytes(b64url_decode(jwk["n"]), "big")
        e = int.from_bytes(b64url_decode(jwk["e"]), "big")
        rsa.RSAPublicNumbers(e, n).public_key().verify(
            sig, signing_input, padding.PKCS1v15(), hashes.SHA256()
        )
    elif header["alg"] == "ES256":
        assert len(sig) == 64  # raw r||s, not DER
        x = int.from_bytes(b64url_decode(jwk["x"]), "big")
        y = int.from_bytes(b64url_decode(jwk["y"]), "big")
        key = ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()
        der = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
        key.verify(der, signing_input, ec.ECDSA(hashes.SHA256()))
    elif header["alg"] == "EdDSA":
        assert jwk["crv"] == "Ed25519"
        ed25519.Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"])).verify(
            sig, signing_input
        )
    else:
        raise AssertionError(header["alg"])
    return claims
