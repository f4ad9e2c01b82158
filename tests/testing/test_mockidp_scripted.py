"""The scripted flavour: bodies given by the test, the protocol still checked for real."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from authcore.testing import MockIdP, Scripted, TokenCall
from tests.support.mockidp import HTTP, REDIRECT, b64url_decode


def _code(idp: MockIdP, **extra: str) -> str:
    params = {
        "client_id": "mock-client-id",
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": "identify email",
        "state": "s",
        **extra,
    }
    res = HTTP.get(f"{idp.url}/scripted/authorize", params=params)
    assert res.status_code == 302, res.text
    return parse_qs(urlsplit(res.headers["location"]).query)["code"][0]


def _token(idp: MockIdP, code: str) -> tuple[int, dict[str, object]]:
    res = HTTP.post(
        f"{idp.url}/scripted/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT},
        auth=("mock-client-id", "mock-client-secret"),
    )
    body: dict[str, object] = res.json()
    return res.status_code, body


def test_serves_the_script_with_an_issued_token(mock_idp: MockIdP) -> None:
    mock_idp.scripted = Scripted(
        token={"access_token": "doc-sample", "token_type": "Bearer", "scope": ["a", "b"]},
        userinfo={"id": 9007199254740993, "login": "nelly"},
    )
    status, body = _token(mock_idp, _code(mock_idp))
    assert status == 200
    assert body["scope"] == ["a", "b"]
    token = body["access_token"]
    assert isinstance(token, str) and token != "doc-sample"
    me = HTTP.get(f"{mock_idp.url}/scripted/userinfo", headers={"authorization": f"OAuth {token}"})
    assert me.status_code == 200
    assert b"9007199254740993" in me.content  # served as given, digit for digit
    by_query = HTTP.get(f"{mock_idp.url}/scripted/userinfo", params={"access_token": token})
    assert by_query.json()["login"] == "nelly"
    in_path = HTTP.get(f"{mock_idp.url}/scripted/userinfo/{token}")
    assert in_path.json()["login"] == "nelly"
    assert HTTP.get(f"{mock_idp.url}/scripted/userinfo/not-issued").status_code == 401


def test_userinfo_refuses_tokens_it_did_not_issue(mock_idp: MockIdP) -> None:
    res = HTTP.get(
        f"{mock_idp.url}/scripted/userinfo", headers={"authorization": "Bearer doc-sample"}
    )
    assert res.status_code == 401
    assert res.json()["error"] == "invalid_token"


def test_error_status_serves_the_error_body(mock_idp: MockIdP) -> None:
    mock_idp.scripted = Scripted(token={"error": "invalid_grant"}, token_status=400)
    status, body = _token(mock_idp, _code(mock_idp))
    assert (status, body) == (400, {"error": "invalid_grant"})


def test_code_is_still_checked(mock_idp: MockIdP) -> None:
    code = _code(mock_idp)
    assert _token(mock_idp, code)[0] == 200
    status, body = _token(mock_idp, code)
    assert (status, body["error"]) == (400, "invalid_grant")


def test_id_token_claims_signed_with_protocol_claims(mock_idp: MockIdP) -> None:
    mock_idp.scripted = Scripted(id_token_claims={"sub": "u1", "iss": "forged", "name": "N"})
    status, body = _token(mock_idp, _code(mock_idp, nonce="n-1"))
    assert status == 200
    id_token = body["id_token"]
    assert isinstance(id_token, str)
    claims = json.loads(b64url_decode(id_token.split(".")[1]))
    assert claims["iss"] == f"{mock_idp.url}/scripted"
    assert (claims["sub"], claims["name"], claims["nonce"]) == ("u1", "N", "n-1")
    assert claims["aud"] == "mock-client-id"
    meta = HTTP.get(f"{mock_idp.url}/scripted/.well-known/openid-configuration").json()
    assert meta["issuer"] == claims["iss"]
    assert HTTP.get(meta["jwks_uri"]).json()["keys"]


WECHAT = TokenCall(
    method="GET",
    names={"client_id": "appid", "client_secret": "secret"},
    redirect_uri=REDIRECT,
)


def test_token_call_reads_a_provider_own_call_and_still_checks_it(mock_idp: MockIdP) -> None:
    mock_idp.scripted = Scripted(token_call=WECHAT)
    wechat = {
        "appid": "mock-client-id",
        "code": _code(mock_idp),
        "grant_type": "authorization_code",
    }
    res = HTTP.get(f"{mock_idp.url}/scripted/token", params={**wechat, "secret": "wrong"})
    assert (res.status_code, res.json()["error"]) == (401, "invalid_client")
    res = HTTP.get(
        f"{mock_idp.url}/scripted/token", params={**wechat, "secret": "mock-client-secret"}
    )
    assert res.status_code == 200, res.text  # the code was not spent by the refused call
    res = HTTP.post(
        f"{mock_idp.url}/scripted/token", data={**wechat, "secret": "mock-client-secret"}
    )
    assert res.status_code == 405  # WeChat's call is a GET
    # a call under the standard names is not WeChat's: its client_id is ignored
    res = HTTP.get(
        f"{mock_idp.url}/scripted/token",
        params={"client_id": "mock-client-id", "secret": "mock-client-secret", "code": "x"},
    )
    assert res.status_code == 401


def test_token_call_grant_type_and_missing_client(mock_idp: MockIdP) -> None:
    bearer = "urn:ietf:params:oauth:grant-type:jwt-bearer"
    mock_idp.scripted = Scripted(
        token_call=TokenCall(
            names={"client_secret": "client_assertion", "code": "assertion"},
            grant_type=bearer,
            client_id="mock-client-id",
        ),
        response_type="Assertion",
    )
    res = HTTP.get(
        f"{mock_idp.url}/scripted/authorize",
        params={"client_id": "mock-client-id", "redirect_uri": REDIRECT, "response_type": "code"},
    )
    assert "unsupported_response_type" in (res.headers.get("location", "") + res.text)
    form = {
        "client_assertion": "mock-client-secret",
        "assertion": _code(mock_idp, response_type="Assertion"),
        "redirect_uri": REDIRECT,
    }
    res = HTTP.post(
        f"{mock_idp.url}/scripted/token", data={**form, "grant_type": "authorization_code"}
    )
    assert res.json()["error"] == "unsupported_grant_type"
    form["assertion"] = _code(mock_idp, response_type="Assertion")
    res = HTTP.post(f"{mock_idp.url}/scripted/token", data={**form, "grant_type": bearer})
    assert res.status_code == 200, res.text
