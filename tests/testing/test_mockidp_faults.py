"""Every misbehaviour switch, observed from the client side."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from authcore.testing import Faults, MockIdP
from tests.support.mockidp import (
    HTTP,
    authorize,
    b64url_decode,
    get_code,
    ig_access_token,
    ig_token,
    jwt_parts,
    redirect_params,
    rfc_token,
    verify,
)


def code_exchange(idp: MockIdP, flavour: str, **kw: Any) -> httpx.Response:
    if flavour == "instagram":
        return ig_token(idp, get_code(idp, "instagram"))
    return rfc_token(idp, flavour, get_code(idp, flavour))


def userinfo(idp: MockIdP, flavour: str, **kw: Any) -> httpx.Response:
    if flavour == "instagram":
        token = ig_access_token(idp)
        return HTTP.get(
            f"{idp.url}/instagram/graph/me",
            params={"access_token": token, "fields": "id,username"},
            **kw,
        )
    token = rfc_token(idp, flavour, get_code(idp, flavour)).json()["access_token"]
    return HTTP.get(
        f"{idp.url}/{flavour}/userinfo", headers={"Authorization": f"Bearer {token}"}, **kw
    )


FLAVOURS = ["instagram", "oauth2", "oidc"]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_token_status(mock_idp: MockIdP, flavour: str) -> None:
    mock_idp.faults.token_status = 503
    resp = code_exchange(mock_idp, flavour)
    assert resp.status_code == 503
    body = resp.json()
    assert "access_token" not in body
    if flavour == "instagram":
        assert body["error_type"] == "OAuthException"
    else:
        assert body["error"] == "server_error"


def test_token_status_2xx_keeps_the_body(mock_idp: MockIdP) -> None:
    mock_idp.faults.token_status = 201
    resp = code_exchange(mock_idp, "oauth2")
    assert resp.status_code == 201 and "access_token" in resp.json()


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_token_body_invalid_json(mock_idp: MockIdP, flavour: str) -> None:
    mock_idp.faults.token_body = "invalid_json"
    resp = code_exchange(mock_idp, flavour)
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("application/json")
    with pytest.raises(json.JSONDecodeError):
        resp.json()


def test_token_body_html_empty_not_object_huge(mock_idp: MockIdP) -> None:
    mock_idp.faults.token_body = "html"
    html = code_exchange(mock_idp, "instagram")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert html.text.startswith("<!DOCTYPE html>")
    mock_idp.faults.token_body = "empty"
    assert code_exchange(mock_idp, "instagram").content == b""
    mock_idp.faults.token_body = "not_object"
    assert code_exchange(mock_idp, "instagram").json() == []
    mock_idp.faults.token_body = "huge"
    huge = code_exchange(mock_idp, "instagram")
    assert len(huge.content) > 4 * 1024 * 1024
    assert int(huge.headers["content-length"]) == len(huge.content)
    assert isinstance(huge.json(), dict)


@pytest.mark.parametrize("shape", ["flat", "data_wrapped"])
def test_token_body_missing_access_token(mock_idp: MockIdP, shape: str) -> None:
    mock_idp.instagram_token_shape = shape  # type: ignore[assignment]
    mock_idp.faults.token_body = "missing_access_token"
    body = code_exchange(mock_idp, "instagram").json()
    entry = body["data"][0] if shape == "data_wrapped" else body
    assert "access_token" not in entry and "user_id" in entry


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_userinfo_status_and_missing_id(mock_idp: MockIdP, flavour: str) -> None:
    mock_idp.faults.userinfo_status = 500
    assert userinfo(mock_idp, flavour).status_code == 500
    mock_idp.reset()
    mock_idp.faults.userinfo_body = "missing_id"
    body = userinfo(mock_idp, flavour).json()
    assert not {"id", "sub", "user_id"} & set(body)
    assert body  # the other fields are still there


def test_userinfo_body_html(mock_idp: MockIdP) -> None:
    mock_idp.faults.userinfo_body = "html"
    resp = userinfo(mock_idp, "instagram")
    assert resp.headers["content-type"].startswith("text/html")


def test_content_type(mock_idp: MockIdP) -> None:
    mock_idp.faults.content_type = "text/plain"
    assert code_exchange(mock_idp, "oauth2").headers["content-type"] == "text/plain"
    assert userinfo(mock_idp, "oidc").headers["content-type"] == "text/plain"


def test_exchange_and_emails_faults(mock_idp: MockIdP) -> None:
    short = ig_access_token(mock_idp)
    mock_idp.faults.exchange_status = 500
    resp = HTTP.get(
        f"{mock_idp.url}/instagram/graph/access_token",
        params={
            "grant_type": "ig_exchange_token",
            "client_secret": "mock-client-secret",
            "access_token": short,
        },
    )
    assert resp.status_code == 500 and resp.json()["error"]["type"] == "OAuthException"
    mock_idp.faults.emails_body = "invalid_json"
    token = rfc_token(mock_idp, "oauth2", get_code(mock_idp, "oauth2")).json()["access_token"]
    emails = HTTP.get(
        f"{mock_idp.url}/oauth2/user/emails", headers={"Authorization": f"Bearer {token}"}
    )
    with pytest.raises(json.JSONDecodeError):
        emails.json()


def test_token_delay_makes_a_client_time_out(mock_idp: MockIdP) -> None:
    mock_idp.faults.token_delay = 5.0
    code = get_code(mock_idp, "oauth2")
    with pytest.raises(httpx.ReadTimeout):
        HTTP.post(
            f"{mock_idp.url}/oauth2/token",
            data={"grant_type": "authorization_code", "code": code},
            auth=httpx.BasicAuth("mock-client-id", "mock-client-secret"),
            timeout=0.2,
        )


def test_userinfo_delay_makes_a_client_time_out(mock_idp: MockIdP) -> None:
    mock_idp.faults.userinfo_delay = 5.0
    with pytest.raises(httpx.ReadTimeout):
        userinfo(mock_idp, "instagram", timeout=0.2)


def test_token_redirect(mock_idp: MockIdP) -> None:
    mock_idp.faults.token_redirect = True
    resp = code_exchange(mock_idp, "instagram")
    assert resp.status_code == 302
    assert resp.headers["location"] == f"{mock_idp.url}/redirected/token"
    followed = HTTP.get(resp.headers["location"])
    assert followed.json()["access_token"] == "followed-a-redirect"
    assert mock_idp.requests_to("/redirected/token")


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_wrong_state(mock_idp: MockIdP, flavour: str) -> None:
    mock_idp.faults.wrong_state = True
    params, _ = redirect_params(authorize(mock_idp, flavour))
    assert params["state"] != "state-123" and "code" in params
    params, _ = redirect_params(authorize(mock_idp, flavour, state=""))
    assert params["state"] == "unexpected-state"


def test_error_instagram_access_denied(mock_idp: MockIdP) -> None:
    mock_idp.faults.error = "access_denied"
    params, fragment = redirect_params(authorize(mock_idp, "instagram"))
    assert params == {
        "error": "access_denied",
        "error_reason": "user_denied",
        "error_description": "The user denied your request",
        "state": "state-123",
    }
    assert fragment == ""


@pytest.mark.parametrize("flavour", ["oauth2", "oidc"])
def test_error_other(mock_idp: MockIdP, flavour: str) -> None:
    mock_idp.faults.error = "temporarily_unavailable"
    params, _ = redirect_params(authorize(mock_idp, flavour))
    assert params["error"] == "temporarily_unavailable" and "code" not in params


def test_wrong_and_missing_iss(mock_idp: MockIdP) -> None:
    mock_idp.faults.wrong_iss = True
    params, _ = redirect_params(authorize(mock_idp, "oidc"))
    assert params["iss"] != mock_idp.issuer
    mock_idp.faults.wrong_iss = False
    mock_idp.faults.missing_iss = True
    params, _ = redirect_params(authorize(mock_idp, "oidc"))
    assert "iss" not in params


def id_token(idp: MockIdP, nonce: str = "abc") -> str:
    params, _ = redirect_params(authorize(idp, "oidc", nonce=nonce))
    token: str = rfc_token(idp, "oidc", params["code"]).json()["id_token"]
    return token


def test_wrong_nonce(mock_idp: MockIdP) -> None:
    mock_idp.faults.wrong_nonce = True
    _, claims, _, _ = jwt_parts(id_token(mock_idp))
    assert claims["nonce"] != "abc"


def test_userinfo_sub_mismatch(mock_idp: MockIdP) -> None:
    mock_idp.faults.userinfo_sub_mismatch = True
    params, _ = redirect_params(authorize(mock_idp, "oidc"))
    body = rfc_token(mock_idp, "oidc", params["code"]).json()
    _, claims, _, _ = jwt_parts(body["id_token"])
    info = HTTP.get(
        f"{mock_idp.url}/oidc/userinfo", headers={"Authorization": f"Bearer {body['access_token']}"}
    ).json()
    assert info["sub"] != claims["sub"]


def jwks(idp: MockIdP) -> dict[str, Any]:
    data: dict[str, Any] = HTTP.get(f"{idp.url}/oidc/jwks").json()
    return data


@pytest.mark.parametrize(
    ("fault", "check"),
    [
        ("expired", lambda h, c, now: c["exp"] < now),
        ("future_iat", lambda h, c, now: c["iat"] > now),
        ("wrong_aud", lambda h, c, now: c["aud"] != "mock-client-id"),
        ("multiple_aud_no_azp", lambda h, c, now: len(c["aud"]) == 2 and "azp" not in c),
        ("wrong_iss", lambda h, c, now: c["iss"] != f"{c['_url']}/oidc"),
        ("missing_sub", lambda h, c, now: "sub" not in c),
        ("missing_iat", lambda h, c, now: "iat" not in c),
        ("missing_exp", lambda h, c, now: "exp" not in c),
        ("missing_kid", lambda h, c, now: "kid" not in h),
    ],
)
def test_id_token_claim_faults_are_still_validly_signed(
    mock_idp: MockIdP, fault: str, check: Any
) -> None:
    """Only the named defect: the signature stays valid, so a client must check the claim."""
    mock_idp.now = lambda: 1_800_000_000.0
    mock_idp.faults.id_token = fault  # type: ignore[assignment]
    token = id_token(mock_idp)
    header, claims, _, _ = jwt_parts(token)
    assert check(header, {**claims, "_url": mock_idp.url}, 1_800_000_000)
    if fault != "missing_kid":
        verify(jwks(mock_idp), token)


def test_id_token_unknown_kid(mock_idp: MockIdP) -> None:
    mock_idp.faults.id_token = "unknown_kid"
    header, _, _, _ = jwt_parts(id_token(mock_idp))
    assert header["kid"] not in {k["kid"] for k in jwks(mock_idp)["keys"]}


def test_id_token_unsigned(mock_idp: MockIdP) -> None:
    mock_idp.faults.id_token = "unsigned"
    token = id_token(mock_idp)
    assert token.endswith(".")
    header, claims, _, sig = jwt_parts(token)
    assert header["alg"] == "none" and sig == b"" and claims["aud"] == "mock-client-id"


@pytest.mark.parametrize("alg", ["RS256", "ES256", "EdDSA"])
def test_id_token_bad_signature(mock_idp: MockIdP, alg: str) -> None:
    from cryptography.exceptions import InvalidSignature

    mock_idp.oidc_alg = alg  # type: ignore[assignment]
    mock_idp.faults.id_token = "bad_signature"
    with pytest.raises(InvalidSignature):
        verify(jwks(mock_idp), id_token(mock_idp))


def test_id_token_hs256_keyed_with_the_rsa_public_key(mock_idp: MockIdP) -> None:
    mock_idp.faults.id_token = "hs256_with_public_key"
    header, _, signing_input, sig = jwt_parts(id_token(mock_idp))
    assert header["alg"] == "HS256"
    (rsa_jwk,) = [k for k in jwks(mock_idp)["keys"] if k["kty"] == "RSA"]
    assert header["kid"] == rsa_jwk["kid"]
    n = int.from_bytes(b64url_decode(rsa_jwk["n"]), "big")
    e = int.from_bytes(b64url_decode(rsa_jwk["e"]), "big")
    pem = (
        rsa.RSAPublicNumbers(e, n)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    assert hmac.compare_digest(sig, hmac.new(pem, signing_input, hashlib.sha256).digest())


def test_id_token_malformed(mock_idp: MockIdP) -> None:
    mock_idp.faults.id_token = "malformed"
    assert id_token(mock_idp).count(".") != 2


def test_switches_are_validated() -> None:
    faults = Faults()
    with pytest.raises(AttributeError):
        faults.token_stauts = 500  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="token_body"):
        faults.token_body = "garbage"  # type: ignore[assignment]
    with pytest.raises(ValueError):
        faults.token_status = 99
    with pytest.raises(ValueError):
        faults.token_delay = 3600
    with pytest.raises(ValueError):
        faults.wrong_state = 1  # type: ignore[assignment]
    with pytest.raises(ValueError):
        faults.id_token = "nope"  # type: ignore[assignment]
    with pytest.raises(ValueError):
        Faults(token_status=True)  # bool is not a status


def test_misbehave_and_reset(mock_idp: MockIdP) -> None:
    mock_idp.misbehave(token_status=500, userinfo_delay=1.5, wrong_state=True)
    assert mock_idp.faults.token_status == 500 and mock_idp.faults.userinfo_delay == 1.5
    with pytest.raises(AttributeError):
        mock_idp.misbehave(nonsense=True)
    mock_idp.reset()
    assert mock_idp.faults == Faults()
