"""The OpenID Connect flavour: discovery, JWKS, ID tokens verified independently."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from joserfc import jwt
from joserfc.jwk import KeySet

from authcore.testing import MockIdP, OIDCUser
from tests.support.mockidp import (
    HTTP,
    authorize,
    b64url,
    b64url_decode,
    get_code,
    jwt_parts,
    pkce_pair,
    redirect_params,
    rfc_token,
    verify,
)


def tokens(idp: MockIdP, **extra: str) -> dict[str, Any]:
    params, _ = redirect_params(authorize(idp, "oidc", nonce="n-0S6_WzA2Mj", **extra))
    resp = rfc_token(idp, "oidc", params["code"])
    assert resp.status_code == 200, resp.text
    body: dict[str, Any] = resp.json()
    return body


def test_discovery(mock_idp: MockIdP) -> None:
    doc = HTTP.get(f"{mock_idp.url}/oidc/.well-known/openid-configuration").json()
    iss = f"{mock_idp.url}/oidc"
    assert doc["issuer"] == iss == mock_idp.provider_options("oidc")["issuer"]
    assert doc["authorization_endpoint"] == f"{iss}/authorize"
    assert doc["token_endpoint"] == f"{iss}/token"
    assert doc["userinfo_endpoint"] == f"{iss}/userinfo"
    assert doc["jwks_uri"] == f"{iss}/jwks"
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["authorization_response_iss_parameter_supported"] is True
    assert set(doc["id_token_signing_alg_values_supported"]) == {"RS256", "ES256", "EdDSA"}


def test_jwks_publishes_three_public_keys(mock_idp: MockIdP) -> None:
    keys = HTTP.get(f"{mock_idp.url}/oidc/jwks").json()["keys"]
    assert {(k["kty"], k["alg"]) for k in keys} == {
        ("RSA", "RS256"),
        ("EC", "ES256"),
        ("OKP", "EdDSA"),
    }
    for key in keys:
        assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)  # public parts only
        assert key["use"] == "sig" and key["kid"]


def test_redirect_carries_iss(mock_idp: MockIdP) -> None:
    params, _ = redirect_params(authorize(mock_idp, "oidc"))
    assert params["iss"] == f"{mock_idp.url}/oidc"
    assert params["state"] == "state-123"


def test_openid_scope_required(mock_idp: MockIdP) -> None:
    params, _ = redirect_params(authorize(mock_idp, "oidc", scope="profile"))
    assert params["error"] == "invalid_scope"
    assert params["iss"] == f"{mock_idp.url}/oidc"


@pytest.mark.parametrize("alg", ["RS256", "ES256", "EdDSA"])
def test_id_token_signed_and_claims(mock_idp: MockIdP, alg: str) -> None:
    mock_idp.oidc_alg = alg  # type: ignore[assignment]
    body = tokens(mock_idp)
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    jwks = HTTP.get(f"{mock_idp.url}/oidc/jwks").json()
    claims = verify(jwks, body["id_token"])
    assert claims["iss"] == f"{mock_idp.url}/oidc"
    assert claims["aud"] == "mock-client-id"
    assert claims["sub"] == "248289761001"
    assert claims["nonce"] == "n-0S6_WzA2Mj"
    assert claims["exp"] - claims["iat"] == 3600
    assert claims["email"] == "jane.doe@example.com" and claims["email_verified"] is True
    assert claims["name"] == "Jane Doe"
    assert claims["picture"] == f"{mock_idp.url}/static/avatar.svg"


@pytest.mark.filterwarnings("ignore:EdDSA is deprecated")  # RFC 9864 prefers "Ed25519"
@pytest.mark.parametrize("alg", ["RS256", "ES256", "EdDSA"])
def test_id_token_verifies_with_joserfc_too(mock_idp: MockIdP, alg: str) -> None:
    mock_idp.oidc_alg = alg  # type: ignore[assignment]
    id_token = tokens(mock_idp)["id_token"]
    keyset = KeySet.import_key_set(HTTP.get(f"{mock_idp.url}/oidc/jwks").json())
    decoded = jwt.decode(id_token, keyset, algorithms=[alg])
    assert decoded.claims["aud"] == "mock-client-id"


def test_claims_follow_scope(mock_idp: MockIdP) -> None:
    body = tokens(mock_idp, scope="openid")
    _, claims, _, _ = jwt_parts(body["id_token"])
    assert "email" not in claims and "name" not in claims
    info = HTTP.get(
        f"{mock_idp.url}/oidc/userinfo", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert info.json() == {"sub": "248289761001"}


def test_no_nonce_sent_means_no_nonce_claim(mock_idp: MockIdP) -> None:
    params, _ = redirect_params(authorize(mock_idp, "oidc"))
    _, claims, _, _ = jwt_parts(rfc_token(mock_idp, "oidc", params["code"]).json()["id_token"])
    assert "nonce" not in claims


def test_clock_drives_iat_and_exp(mock_idp: MockIdP) -> None:
    mock_idp.now = lambda: 1_800_000_000.5
    _, claims, _, _ = jwt_parts(tokens(mock_idp)["id_token"])
    assert claims["iat"] == 1_800_000_000 and claims["exp"] == 1_800_003_600


def test_userinfo(mock_idp: MockIdP) -> None:
    token = tokens(mock_idp)["access_token"]
    url = f"{mock_idp.url}/oidc/userinfo"
    info = HTTP.get(url, headers={"Authorization": f"Bearer {token}"})
    assert info.json() == {
        "sub": "248289761001",
        "name": "Jane Doe",
        "picture": f"{mock_idp.url}/static/avatar.svg",
        "email": "jane.doe@example.com",
        "email_verified": True,
    }
    assert HTTP.post(url, data={"access_token": token}).status_code == 200  # RFC 6750 §2.2
    query = HTTP.get(url, params={"access_token": token})
    assert query.status_code == 400  # never in the query
    bad = HTTP.get(url, headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    assert bad.headers["www-authenticate"].startswith("Bearer")


def test_pkce_and_post_auth(mock_idp: MockIdP) -> None:
    verifier, challenge = pkce_pair()
    code = get_code(mock_idp, "oidc", code_challenge=challenge, code_challenge_method="S256")
    resp = rfc_token(mock_idp, "oidc", code, basic=False, code_verifier=verifier)
    assert resp.status_code == 200


def test_single_use(mock_idp: MockIdP) -> None:
    code = get_code(mock_idp, "oidc")
    assert rfc_token(mock_idp, "oidc", code).status_code == 200
    assert rfc_token(mock_idp, "oidc", code).json()["error"] == "invalid_grant"


def test_configured_user(mock_idp: MockIdP) -> None:
    mock_idp.oidc_user = OIDCUser(
        sub="abc", email=None, email_verified=False, name="X", picture="https://cdn.example/x.png"
    )
    _, claims, _, _ = jwt_parts(tokens(mock_idp)["id_token"])
    assert (
        claims["sub"] == "abc"
        and claims["email"] is None
        and claims["picture"] == "https://cdn.example/x.png"
    )


def test_tampered_token_fails_our_verifier(mock_idp: MockIdP) -> None:
    """The verifier above can fail: a changed payload breaks the signature."""
    id_token = tokens(mock_idp)["id_token"]
    head, payload, sig = id_token.split(".")
    claims = json.loads(b64url_decode(payload))
    claims["sub"] = "attacker"
    forged = f"{head}.{b64url(json.dumps(claims).encode())}.{sig}"
    with pytest.raises(InvalidSignature):
        verify(HTTP.get(f"{mock_idp.url}/oidc/jwks").json(), forged)
