"""The generic (GitHub-like) OAuth 2.0 flavour: RFC 6749 client auth, PKCE S256, single use."""

from __future__ import annotations

import httpx
import pytest

from authcore.testing import MockIdP, OAuth2Email, OAuth2User
from tests.support.mockidp import (
    HTTP,
    REDIRECT,
    authorize,
    get_code,
    pkce_pair,
    redirect_params,
    rfc_token,
)


def token_for(idp: MockIdP, scope: str = "read:user user:email") -> str:
    resp = rfc_token(idp, "oauth2", get_code(idp, "oauth2", scope=scope))
    assert resp.status_code == 200, resp.text
    value: str = resp.json()["access_token"]
    return value


@pytest.mark.parametrize("basic", [True, False], ids=["client_secret_basic", "client_secret_post"])
def test_code_flow_with_either_client_auth(mock_idp: MockIdP, basic: bool) -> None:
    params, fragment = redirect_params(authorize(mock_idp, "oauth2"))
    assert params["state"] == "state-123" and fragment == "" and "iss" not in params
    resp = rfc_token(mock_idp, "oauth2", params["code"], basic=basic)
    assert resp.status_code == 200
    assert resp.headers["cache-control"] == "no-store"
    body = resp.json()
    assert body["token_type"] == "bearer"
    assert body["scope"] == "read:user,user:email"  # GitHub joins granted scopes with commas
    assert body["access_token"].startswith("gho_")
    sent = mock_idp.requests_to("/oauth2/token")[-1]
    if basic:
        assert sent.basic_auth == ("mock-client-id", "mock-client-secret")
        assert "client_secret" not in sent.form
    else:
        assert sent.basic_auth is None and sent.form["client_secret"] == "mock-client-secret"


def test_basic_credentials_are_form_decoded(mock_idp: MockIdP) -> None:
    """RFC 6749 §2.3.1: id and secret are form-urlencoded before base64 (Auth.js
    `src/lib/actions/callback/oauth/callback.ts`)."""
    mock_idp.add_client("id:1", "sec ret")
    code = get_code(mock_idp, "oauth2", client_id="id:1")
    form = {"grant_type": "authorization_code", "redirect_uri": REDIRECT, "code": code}
    resp = HTTP.post(
        f"{mock_idp.url}/oauth2/token",
        data=form,
        headers={"Authorization": "Basic aWQlM0ExOnNlYytyZXQ="},
    )
    assert resp.status_code == 200, resp.text


def test_both_client_auth_methods_at_once_is_invalid_request(mock_idp: MockIdP) -> None:
    code = get_code(mock_idp, "oauth2")
    resp = rfc_token(mock_idp, "oauth2", code, client_secret="mock-client-secret")
    assert resp.status_code == 400
    assert resp.json()["error"] == "invalid_request"


@pytest.mark.parametrize("basic", [True, False])
def test_wrong_secret_is_invalid_client(mock_idp: MockIdP, basic: bool) -> None:
    code = get_code(mock_idp, "oauth2")
    if basic:
        resp = HTTP.post(
            f"{mock_idp.url}/oauth2/token",
            data={"grant_type": "authorization_code", "redirect_uri": REDIRECT, "code": code},
            auth=httpx.BasicAuth("mock-client-id", "nope"),
        )
    else:
        resp = rfc_token(mock_idp, "oauth2", code, basic=False, client_secret="nope")
    assert resp.status_code == 401
    assert resp.json()["error"] == "invalid_client"
    assert "www-authenticate" in resp.headers


def test_no_client_auth_is_invalid_client(mock_idp: MockIdP) -> None:
    code = get_code(mock_idp, "oauth2")
    resp = HTTP.post(
        f"{mock_idp.url}/oauth2/token",
        data={"grant_type": "authorization_code", "redirect_uri": REDIRECT, "code": code},
    )
    assert resp.status_code == 401 and resp.json()["error"] == "invalid_client"


def test_code_is_single_use_and_replay_revokes_the_token(mock_idp: MockIdP) -> None:
    code = get_code(mock_idp, "oauth2")
    first = rfc_token(mock_idp, "oauth2", code)
    token = first.json()["access_token"]
    userinfo = f"{mock_idp.url}/oauth2/userinfo"
    assert HTTP.get(userinfo, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    again = rfc_token(mock_idp, "oauth2", code)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    assert HTTP.get(userinfo, headers={"Authorization": f"Bearer {token}"}).status_code == 401


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"redirect_uri": REDIRECT + "?x=1"}, "invalid_grant"),
        ({"redirect_uri": ""}, "invalid_grant"),
        ({"grant_type": "password"}, "unsupported_grant_type"),
        ({"code": "unknown"}, "invalid_grant"),
        ({"code_verifier": "a" * 43}, "invalid_grant"),  # verifier without a challenge
    ],
)
def test_token_request_errors(mock_idp: MockIdP, overrides: dict[str, str], error: str) -> None:
    resp = rfc_token(mock_idp, "oauth2", get_code(mock_idp, "oauth2"), extra=overrides)
    assert resp.status_code == 400
    assert resp.json()["error"] == error


def test_code_issued_to_another_client_is_refused(mock_idp: MockIdP) -> None:
    mock_idp.add_client("other", "other-secret")
    code = get_code(mock_idp, "oauth2", client_id="other")
    assert rfc_token(mock_idp, "oauth2", code).json()["error"] == "invalid_grant"


def test_pkce_s256_verified(mock_idp: MockIdP) -> None:
    verifier, challenge = pkce_pair()
    extra = {"code_challenge": challenge, "code_challenge_method": "S256"}
    code = get_code(mock_idp, "oauth2", **extra)
    assert rfc_token(mock_idp, "oauth2", code, code_verifier=verifier).status_code == 200
    assert mock_idp.requests_to("/oauth2/token")[-1].form["code_verifier"] == verifier

    other, _ = pkce_pair()
    code = get_code(mock_idp, "oauth2", **extra)
    wrong = rfc_token(mock_idp, "oauth2", code, code_verifier=other)
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"

    code = get_code(mock_idp, "oauth2", **extra)
    missing = rfc_token(mock_idp, "oauth2", code)
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_grant"


@pytest.mark.parametrize("method", ["plain", ""])
def test_pkce_plain_is_refused_at_authorize(mock_idp: MockIdP, method: str) -> None:
    _, challenge = pkce_pair()
    resp = authorize(mock_idp, "oauth2", code_challenge=challenge, code_challenge_method=method)
    params, _ = redirect_params(resp)
    assert params["error"] == "invalid_request"
    assert params["state"] == "state-123"
    assert "code" not in params


def test_authorize_errors(mock_idp: MockIdP) -> None:
    bad_client = authorize(mock_idp, "oauth2", client_id="nope")
    assert bad_client.status_code == 400 and "location" not in bad_client.headers
    params, _ = redirect_params(authorize(mock_idp, "oauth2", response_type="token"))
    assert params["error"] == "unsupported_response_type"
    repeated = HTTP.get(
        f"{mock_idp.url}/oauth2/authorize"
        f"?client_id=mock-client-id&client_id=mock-client-id&redirect_uri={REDIRECT}&response_type=code"
    )
    assert repeated.status_code == 400 and "location" not in repeated.headers


def test_redirect_uri_keeps_its_own_query(mock_idp: MockIdP) -> None:
    resp = authorize(mock_idp, "oauth2", redirect_uri=REDIRECT + "?tenant=a")
    location = resp.headers["location"]
    assert location.startswith(REDIRECT + "?tenant=a&code=")


def test_userinfo_and_emails(mock_idp: MockIdP) -> None:
    token = token_for(mock_idp)
    headers = {"Authorization": f"Bearer {token}"}
    user = HTTP.get(f"{mock_idp.url}/oauth2/userinfo", headers=headers)
    assert user.json() == {
        "id": 1234,
        "login": "octo",
        "name": "Octo Cat",
        "email": None,
        "avatar_url": f"{mock_idp.url}/static/avatar.svg",
    }
    emails = HTTP.get(f"{mock_idp.url}/oauth2/user/emails", headers=headers)
    assert emails.status_code == 200
    assert emails.json()[0] == {
        "email": "octo@example.com",
        "primary": True,
        "verified": True,
        "visibility": "private",
    }
    assert {"email", "primary", "verified", "visibility"} == set(emails.json()[1])


def test_emails_need_the_user_email_scope(mock_idp: MockIdP) -> None:
    token = token_for(mock_idp, scope="read:user")
    resp = HTTP.get(
        f"{mock_idp.url}/oauth2/user/emails", headers={"Authorization": f"Bearer {token}"}
    )
    assert resp.status_code == 404


def test_userinfo_bad_token(mock_idp: MockIdP) -> None:
    resp = HTTP.get(f"{mock_idp.url}/oauth2/userinfo", headers={"Authorization": "Bearer nope"})
    assert resp.status_code == 401
    assert resp.json()["message"] == "Bad credentials"
    assert HTTP.get(f"{mock_idp.url}/oauth2/userinfo").status_code == 401


def test_configured_user(mock_idp: MockIdP) -> None:
    mock_idp.oauth2_user = OAuth2User(
        id=99,
        login="hubot",
        name=None,
        email="hubot@example.com",
        emails=(OAuth2Email("hubot@example.com", primary=True),),
    )
    token = token_for(mock_idp)
    user = HTTP.get(f"{mock_idp.url}/oauth2/userinfo", headers={"Authorization": f"Bearer {token}"})
    assert user.json()["login"] == "hubot" and user.json()["email"] == "hubot@example.com"
    assert user.json()["name"] is None
