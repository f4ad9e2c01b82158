"""The Instagram flavour against docs/providers/instagram.md#how-instagrams-api-behaves."""

from __future__ import annotations

import json

import httpx
import pytest

from authcore.testing import InstagramUser, MockIdP
from tests.support.mockidp import (
    HTTP,
    IG_SCOPE,
    REDIRECT,
    authorize,
    get_code,
    ig_access_token,
    ig_token,
    redirect_params,
)

BIG = 17841405793187219  # /me `user_id`: the professional account id
APP_ID = 27054281962813457  # /me `id` and the token's `user_id`: another number by default
CODE_GONE = {
    "error_type": "OAuthException",
    "code": 400,
    "error_message": "Matching code was not found or was already used",
}


def test_authorize_redirects_with_code_state_and_hash_underscore(mock_idp: MockIdP) -> None:
    params, fragment = redirect_params(authorize(mock_idp, "instagram"))
    assert params["state"] == "state-123"
    assert len(params["code"]) >= 32
    assert fragment == "_"  # Instagram appends #_ (docs/providers/instagram.md#the-redirect-back)


@pytest.mark.parametrize(
    "scope",
    [
        "instagram_business_basic",
        "instagram_business_basic,instagram_business_manage_messages",
        "instagram_business_basic instagram_business_content_publish",
    ],
)
def test_authorize_accepts_comma_or_space_separated_scopes(mock_idp: MockIdP, scope: str) -> None:
    params, _ = redirect_params(authorize(mock_idp, "instagram", scope=scope))
    token = ig_token(mock_idp, params["code"]).json()
    assert token["permissions"] == [s for s in scope.replace(",", " ").split()]


@pytest.mark.parametrize(
    ("scope", "message"),
    [
        ("user_profile", "Invalid scope: user_profile"),
        ("user_profile,user_media", "Invalid scope: user_profile"),
        ("business_basic", "Invalid scope: business_basic"),
        ("", "Invalid scope: []"),
    ],
)
def test_authorize_rejects_retired_scopes_on_a_page(
    mock_idp: MockIdP, scope: str, message: str
) -> None:
    resp = authorize(mock_idp, "instagram", scope=scope)
    assert resp.status_code == 400
    assert "location" not in resp.headers
    assert resp.headers["content-type"].startswith("text/html")
    assert f"Invalid Request: Request parameters are invalid: {message}" in resp.text


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"client_id": "nope"}, "Invalid platform app"),
        ({"client_id": ""}, "Invalid platform app"),
        ({"redirect_uri": ""}, "Invalid redirect_uri"),
        ({"redirect_uri": "javascript:alert(1)"}, "Invalid redirect_uri"),
        ({"redirect_uri": "/relative"}, "Invalid redirect_uri"),
        ({"redirect_uri": REDIRECT + "#frag"}, "Invalid redirect_uri"),
        ({"response_type": "token"}, "Unsupported response_type"),
    ],
)
def test_authorize_errors_never_redirect(
    mock_idp: MockIdP, extra: dict[str, str], message: str
) -> None:
    resp = authorize(mock_idp, "instagram", **extra)
    assert resp.status_code == 400
    assert "location" not in resp.headers
    assert message in resp.text


def test_registered_redirect_uris_must_match_exactly(mock_idp: MockIdP) -> None:
    mock_idp.add_client("strict", "s3cret", redirect_uris=(REDIRECT,))
    ok = authorize(mock_idp, "instagram", client_id="strict")
    assert ok.status_code == 302
    slash = authorize(mock_idp, "instagram", client_id="strict", redirect_uri=REDIRECT + "/")
    assert slash.status_code == 400
    assert "not registered" in slash.text


def test_token_flat_shape_keeps_every_digit_of_user_id(mock_idp: MockIdP) -> None:
    resp = ig_token(mock_idp, get_code(mock_idp, "instagram"))
    assert resp.status_code == 200
    assert f'"user_id":{APP_ID},' in resp.text  # a JSON number, written digit for digit
    body = json.loads(resp.text)
    assert body["user_id"] == APP_ID and APP_ID % 2 == 1 and APP_ID > 2**53
    assert int(float(APP_ID)) != APP_ID  # what a float parser would have made of it
    assert set(body) == {"access_token", "user_id", "permissions"}  # no token_type/expires_in
    assert body["permissions"] == [IG_SCOPE]


@pytest.mark.parametrize(
    ("shape", "expected"),
    [
        ("flat", {"user_id": APP_ID, "permissions": [IG_SCOPE]}),
        ("permissions_list", {"user_id": APP_ID, "permissions": [IG_SCOPE]}),
        ("string_user_id", {"user_id": str(APP_ID), "permissions": [IG_SCOPE]}),
        ("permissions_string", {"user_id": APP_ID, "permissions": IG_SCOPE}),
        ("with_token_type", {"user_id": APP_ID, "permissions": [IG_SCOPE], "token_type": "bearer"}),
    ],
)
def test_token_shapes(mock_idp: MockIdP, shape: str, expected: dict[str, object]) -> None:
    mock_idp.instagram_token_shape = shape  # type: ignore[assignment]
    body = ig_token(mock_idp, get_code(mock_idp, "instagram")).json()
    access_token = body.pop("access_token")
    assert access_token.startswith("IGAA")
    assert body == expected


def test_token_data_wrapped_shape_is_metas_documented_one(mock_idp: MockIdP) -> None:
    mock_idp.instagram_token_shape = "data_wrapped"
    scope = "instagram_business_basic,instagram_business_manage_messages"
    body = ig_token(mock_idp, get_code(mock_idp, "instagram", scope=scope)).json()
    assert list(body) == ["data"]
    (entry,) = body["data"]
    assert entry["user_id"] == str(APP_ID)
    assert entry["permissions"] == scope
    me = HTTP.get(
        f"{mock_idp.url}/instagram/graph/me", params={"access_token": entry["access_token"]}
    )
    assert me.status_code == 200


def test_unknown_token_shape_is_refused(mock_idp: MockIdP) -> None:
    with pytest.raises(ValueError, match="instagram_token_shape"):
        mock_idp.instagram_token_shape = "nested"  # type: ignore[assignment]


def test_code_is_single_use(mock_idp: MockIdP) -> None:
    code = get_code(mock_idp, "instagram")
    assert ig_token(mock_idp, code).status_code == 200
    again = ig_token(mock_idp, code)
    assert again.status_code == 400
    assert again.json() == CODE_GONE


def test_replayable_codes_answer_every_replay_with_the_same_live_token(
    mock_idp: MockIdP,
) -> None:
    mock_idp.replayable_codes = True  # the load-test mode of `bench/run --server`
    code = get_code(mock_idp, "instagram")
    tokens = {ig_token(mock_idp, code).json()["access_token"] for _ in range(3)}
    assert len(tokens) == 1
    me = HTTP.get(f"{mock_idp.url}/instagram/graph/me", params={"access_token": tokens.pop()})
    assert me.status_code == 200
    assert ig_token(mock_idp, code, redirect_uri=REDIRECT + "/").status_code == 400
    mock_idp.reset()
    assert mock_idp.replayable_codes is False
    code = get_code(mock_idp, "instagram")
    assert ig_token(mock_idp, code).status_code == 200
    assert ig_token(mock_idp, code).json() == CODE_GONE


def test_unknown_code_and_code_with_hash_suffix(mock_idp: MockIdP) -> None:
    code = get_code(mock_idp, "instagram")
    assert ig_token(mock_idp, code + "#_").json() == CODE_GONE
    assert ig_token(mock_idp, "made-up").json() == CODE_GONE


def test_redirect_uri_must_be_identical_to_the_authorize_one(mock_idp: MockIdP) -> None:
    code = get_code(mock_idp, "instagram")
    resp = ig_token(mock_idp, code, redirect_uri=REDIRECT + "/")
    assert resp.status_code == 400
    assert resp.json()["error_message"].startswith("Error validating verification code")


def test_http_basic_is_refused(mock_idp: MockIdP) -> None:
    code = get_code(mock_idp, "instagram")
    form = {"grant_type": "authorization_code", "redirect_uri": REDIRECT, "code": code}
    resp = HTTP.post(
        f"{mock_idp.url}/instagram/oauth/access_token",
        data=form,
        auth=httpx.BasicAuth("mock-client-id", "mock-client-secret"),
    )
    assert resp.status_code == 400
    assert resp.json()["error_type"] == "OAuthException"
    assert "Basic" in resp.json()["error_message"]
    # the code was not consumed by the refused request
    assert ig_token(mock_idp, code).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"client_secret": "wrong"}, "Error validating client secret."),
        ({"client_id": "someone-else"}, "Invalid platform app"),
        ({"client_secret": ""}, "Missing required parameter: client_secret"),
        ({"grant_type": "refresh_token"}, "Unsupported grant_type: refresh_token"),
    ],
)
def test_token_endpoint_errors(mock_idp: MockIdP, overrides: dict[str, str], message: str) -> None:
    resp = ig_token(mock_idp, get_code(mock_idp, "instagram"), **overrides)
    assert resp.status_code == 400
    assert resp.json() == {"error_type": "OAuthException", "code": 400, "error_message": message}


def test_token_endpoint_accepts_multipart_like_metas_curl_sample(mock_idp: MockIdP) -> None:
    code = get_code(mock_idp, "instagram")
    fields = {
        "client_id": "mock-client-id",
        "client_secret": "mock-client-secret",
        "grant_type": "authorization_code",
        "redirect_uri": REDIRECT,
        "code": code,
    }
    resp = HTTP.post(
        f"{mock_idp.url}/instagram/oauth/access_token",
        files={k: (None, v) for k, v in fields.items()},
    )
    assert resp.status_code == 200, resp.text
    assert mock_idp.requests[-1].form["code"] == code


def test_code_expires_after_an_hour(mock_idp: MockIdP) -> None:
    clock = [1_800_000_000.0]
    mock_idp.now = lambda: clock[0]
    code = get_code(mock_idp, "instagram")
    clock[0] += 3600
    resp = ig_token(mock_idp, code)
    assert resp.json()["error_message"] == "This authorization code has expired."


def test_long_lived_exchange_and_refresh(mock_idp: MockIdP) -> None:
    short = ig_access_token(mock_idp)
    graph = f"{mock_idp.url}/instagram/graph"
    resp = HTTP.get(
        f"{graph}/access_token",
        params={
            "grant_type": "ig_exchange_token",
            "client_secret": "mock-client-secret",
            "access_token": short,
        },
    )
    assert resp.status_code == 200
    body = resp.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 5183944
    long_lived = body["access_token"]
    assert long_lived != short
    day = mock_idp.now() + 86400
    mock_idp.now = lambda: day  # refreshable once 24 h old
    refreshed = HTTP.get(
        f"{graph}/refresh_access_token",
        params={"grant_type": "ig_refresh_token", "access_token": long_lived},
    )
    assert refreshed.status_code == 200
    assert set(refreshed.json()) == {"access_token", "token_type", "expires_in"}
    assert refreshed.json()["expires_in"] == 5183944
    me = HTTP.get(f"{graph}/me", params={"access_token": refreshed.json()["access_token"]})
    assert me.status_code == 200


def test_exchange_needs_the_right_secret_and_a_short_lived_token(mock_idp: MockIdP) -> None:
    short = ig_access_token(mock_idp)
    url = f"{mock_idp.url}/instagram/graph/access_token"
    bad = HTTP.get(
        url,
        params={"grant_type": "ig_exchange_token", "client_secret": "x", "access_token": short},
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["message"] == "Error validating client secret."
    refresh_short = HTTP.get(
        f"{mock_idp.url}/instagram/graph/refresh_access_token",
        params={"grant_type": "ig_refresh_token", "access_token": short},
    )
    assert refresh_short.status_code == 400
    assert refresh_short.json()["error"]["code"] == 100


def test_refresh_needs_a_day_old_token_by_default(mock_idp: MockIdP) -> None:
    clock = [1_800_000_000.0]
    mock_idp.now = lambda: clock[0]
    assert mock_idp.instagram_refresh_min_age == 86400  # the real rule: at least 24 h old
    short = ig_access_token(mock_idp)
    long_lived = HTTP.get(
        f"{mock_idp.url}/instagram/graph/access_token",
        params={
            "grant_type": "ig_exchange_token",
            "client_secret": "mock-client-secret",
            "access_token": short,
        },
    ).json()["access_token"]
    params = {"grant_type": "ig_refresh_token", "access_token": long_lived}
    url = f"{mock_idp.url}/instagram/graph/refresh_access_token"
    assert HTTP.get(url, params=params).status_code == 400
    clock[0] += 86400
    assert HTTP.get(url, params=params).status_code == 200


@pytest.mark.parametrize("path", ["/instagram/graph/me", "/instagram/graph/v25.0/me"])
def test_me_with_query_token_and_fields(mock_idp: MockIdP, path: str) -> None:
    token = ig_access_token(mock_idp)
    fields = "id,user_id,username,name,account_type,profile_picture_url"
    resp = HTTP.get(f"{mock_idp.url}{path}", params={"fields": fields, "access_token": token})
    assert resp.status_code == 200
    assert resp.json() == {
        "user_id": str(BIG),
        "username": "mock_business",
        "name": "Mock Business",
        "account_type": "BUSINESS",
        "profile_picture_url": f"{mock_idp.url}/static/avatar.svg",
        "id": str(APP_ID),
    }
    assert "email" not in resp.json()


def test_me_with_bearer_header(mock_idp: MockIdP) -> None:
    token = ig_access_token(mock_idp)
    resp = HTTP.get(
        f"{mock_idp.url}/instagram/graph/me",
        params={"fields": "username"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert resp.json() == {"username": "mock_business", "id": str(APP_ID)}


def test_me_without_fields_gives_the_id_only(mock_idp: MockIdP) -> None:
    token = ig_access_token(mock_idp)
    resp = HTTP.get(f"{mock_idp.url}/instagram/graph/me", params={"access_token": token})
    assert resp.json() == {"id": str(APP_ID)}


def test_me_unknown_field(mock_idp: MockIdP) -> None:
    token = ig_access_token(mock_idp)
    resp = HTTP.get(
        f"{mock_idp.url}/instagram/graph/me", params={"fields": "id,email", "access_token": token}
    )
    assert resp.status_code == 400
    assert resp.json()["error"]["code"] == 100
    assert "(email)" in resp.json()["error"]["message"]


def test_me_invalid_token_is_graph_error_190_over_400(mock_idp: MockIdP) -> None:
    resp = HTTP.get(f"{mock_idp.url}/instagram/graph/me", params={"access_token": "IGAAnope"})
    assert resp.status_code == 400
    err = resp.json()["error"]
    assert err["message"] == "Invalid OAuth access token - Cannot parse access token"
    assert err["type"] == "OAuthException" and err["code"] == 190
    assert err["fbtrace_id"]


def test_me_expired_token(mock_idp: MockIdP) -> None:
    clock = [1_800_000_000.0]
    mock_idp.now = lambda: clock[0]
    token = ig_access_token(mock_idp)
    clock[0] += 3600  # short-lived tokens last an hour
    resp = HTTP.get(f"{mock_idp.url}/instagram/graph/me", params={"access_token": token})
    assert resp.status_code == 400
    assert resp.json()["error"]["code"] == 190
    assert resp.json()["error"]["error_subcode"] == 463


def test_me_without_token(mock_idp: MockIdP) -> None:
    resp = HTTP.get(f"{mock_idp.url}/instagram/graph/me")
    assert resp.status_code == 400
    assert resp.json()["error"]["code"] == 2500


def test_default_user_has_distinct_id_and_user_id(mock_idp: MockIdP) -> None:
    """Real accounts have two numbers: code keying on the wrong one fails against the mock."""
    token_resp = ig_token(mock_idp, get_code(mock_idp, "instagram"))
    me = HTTP.get(
        f"{mock_idp.url}/instagram/graph/me",
        params={"fields": "id,user_id", "access_token": token_resp.json()["access_token"]},
    ).json()
    assert me["id"] != me["user_id"]
    assert token_resp.json()["user_id"] == int(me["id"])
    assert InstagramUser(id=None).app_scoped_id == InstagramUser().user_id  # opt back in


def test_configured_user_and_distinct_app_scoped_id(mock_idp: MockIdP) -> None:
    mock_idp.instagram_user = InstagramUser(
        user_id=17841400000000001,
        id=26091474587155413,
        username="creator",
        account_type="MEDIA_CREATOR",
    )
    token_resp = ig_token(mock_idp, get_code(mock_idp, "instagram"))
    assert '"user_id":26091474587155413' in token_resp.text
    resp = HTTP.get(
        f"{mock_idp.url}/instagram/graph/me",
        params={
            "fields": "user_id,username,account_type",
            "access_token": token_resp.json()["access_token"],
        },
    )
    assert resp.json() == {
        "user_id": "17841400000000001",
        "username": "creator",
        "account_type": "MEDIA_CREATOR",
        "id": "26091474587155413",
    }


def test_consent_page_allow_and_cancel(mock_idp: MockIdP) -> None:
    mock_idp.auto_approve = False
    page = authorize(mock_idp, "instagram")
    assert page.status_code == 200
    assert "Mock Instagram — Log in as @mock_business" in page.text
    assert ">Allow</button>" in page.text and ">Cancel</button>" in page.text
    assert mock_idp.requests_to("/instagram/oauth/authorize")
    form = dict(
        client_id="mock-client-id",
        redirect_uri=REDIRECT,
        response_type="code",
        scope=IG_SCOPE,
        state="state-123",
    )
    url = f"{mock_idp.url}/instagram/oauth/authorize"
    allowed = HTTP.post(url, data={**form, "decision": "allow"})
    params, fragment = redirect_params(allowed)
    assert params["state"] == "state-123" and fragment == "_"
    assert ig_token(mock_idp, params["code"]).status_code == 200
    cancelled = HTTP.post(url, data={**form, "decision": "deny"})
    assert cancelled.headers["location"] == (
        f"{REDIRECT}?error=access_denied&error_reason=user_denied"
        "&error_description=The+user+denied+your+request&state=state-123"
    )


def test_consent_page_escapes_what_it_echoes(mock_idp: MockIdP) -> None:
    mock_idp.auto_approve = False
    page = authorize(mock_idp, "instagram", state='"><script>alert(1)</script>')
    assert "<script>alert(1)" not in page.text
    assert "&lt;script&gt;" in page.text or "&#x27;" in page.text or "&quot;&gt;" in page.text
