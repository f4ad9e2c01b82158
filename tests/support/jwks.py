"""An RS256 signing key served as a JWKS by a flow driver with no network: for tests that
validate a signed ID token or userinfo answer (`authcore.oauth._id_token`) directly."""

from __future__ import annotations

from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric import rsa

from authcore._flow import Flow, Send
from authcore.jose.base64url import encode as b64
from authcore.oauth._discovery import Metadata

__all__ = ["ISSUER", "JWKS", "JWKS_URI", "KEY", "METADATA", "run_with_jwks"]

ISSUER = "https://idp.example.test"
JWKS_URI = f"{ISSUER}/jwks"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
_numbers = KEY.public_key().public_numbers()
JWKS: dict[str, Any] = {
    "keys": [
        {
            "kty": "RSA",
            "kid": "k1",
            "alg": "RS256",
            "use": "sig",
            "n": b64(_numbers.n.to_bytes(256, "big")),
            "e": b64(_numbers.e.to_bytes(3, "big")),
        }
    ]
}
METADATA = Metadata(
    issuer=ISSUER,
    authorization_endpoint=None,
    token_endpoint=None,
    userinfo_endpoint=None,
    jwks_uri=JWKS_URI,
)


def run_with_jwks(flow: Flow[dict[str, Any]]) -> dict[str, Any]:
    """Drive the flow, answering its JWKS request (the only request it may make)."""
    value: Any = None
    while True:
        try:
            effect = flow.send(value)
        except StopIteration as stop:
            result: dict[str, Any] = stop.value
            return result
        assert isinstance(effect, Send) and str(effect.request.url) == JWKS_URI
        value = httpx.Response(200, json=JWKS, request=effect.request)
