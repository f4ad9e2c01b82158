from __future__ import annotations

import hashlib
from urllib.parse import unquote

import pytest

from authcore import Request, auth_sync
from authcore._csrf import csrf_hash, resolve_csrf
from tests.support.core import BASE, VECTORS, Browser, make_config, set_cookies

CSRF = VECTORS["csrf"]


@pytest.mark.parametrize("case", ["http", "https", "http_rotation_secret_array"])
def test_authjs_cookie_is_accepted_and_reused(case: str) -> None:
    vec = CSRF[case]
    origin = vec["request"].split(" ")[1].split("/api/")[0]
    cookie = vec["csrf_cookie"]
    cfg = make_config(secret=vec["secret"], url=origin)
    header = f"{cookie['name']}={cookie['raw_value']}"
    res = auth_sync(Request("GET", f"{origin}/api/auth/csrf", {"cookie": header}), cfg)
    assert res.json() == {"csrfToken": vec["csrf_token"]}
    # reused: no new CSRF cookie, exactly like the recorded `resend_cookie`
    assert [c.split("=")[0] for c in res.set_cookies] == vec["resend_cookie"]["set_cookie_names"]


@pytest.mark.parametrize("case", ["http", "https", "http_rotation_secret_array"])
def test_minted_cookie_matches_authjs_formula_and_attributes(case: str) -> None:
    vec = CSRF[case]
    origin = vec["request"].split(" ")[1].split("/api/")[0]
    cfg = make_config(secret=vec["secret"], url=origin)
    res = auth_sync(Request("GET", f"{origin}/api/auth/csrf"), cfg)
    assert res.status == vec["status"]
    token = res.json()["csrfToken"]
    name = vec["csrf_cookie"]["name"]
    secret_str = vec["csrf_cookie"]["string_secret_used"]
    expected = f"{token}|{hashlib.sha256((token + secret_str).encode()).hexdigest()}"
    assert set_cookies(res)[name] == expected
    # attributes and order as recorded (only the value differs)
    recorded = vec["response_headers"]["set-cookie"]
    ours = res.set_cookies
    assert [c.split(";", 1)[1] for c in ours] == [c.split(";", 1)[1] for c in recorded]
    for key in ("cache-control", "expires", "pragma", "content-type"):
        assert res.header(key) == vec["response_headers"][key][0]


def test_recorded_hash_vector() -> None:
    vec = CSRF["http"]["csrf_cookie"]
    assert csrf_hash(vec["token"], CSRF["http"]["secret"]) == vec["hash"]


def test_rotation_accepts_single_secret_hashes() -> None:
    new, old = "new-secret-aaaaaaaaaaaaaaaa", "old-secret-bbbbbbbbbbbbbbbb"
    token = "ab" * 32
    for secret in (old, new, f"{new},{old}"):
        state = resolve_csrf(
            cookie=f"{token}|{csrf_hash(token, secret)}",
            secrets=(new, old),
            is_post=True,
            body_token=token,
        )
        assert state.token == token and state.verified and state.cookie_value is None
    bad = resolve_csrf(
        cookie=f"{token}|{csrf_hash(token, 'other')}",
        secrets=(new, old),
        is_post=True,
        body_token=token,
    )
    assert bad.token != token and not bad.verified and bad.cookie_value is not None


def _signout(b: Browser, **form: str) -> str | None:
    return b.call("POST", "/signout", form=form).location


def test_missing_token_is_rejected() -> None:
    b = Browser(make_config())
    b.csrf()
    assert _signout(b) == f"{BASE}/signin?error=MissingCSRF"


def test_wrong_token_is_rejected() -> None:
    b = Browser(make_config())
    b.csrf()
    assert _signout(b, csrfToken="0" * 64) == f"{BASE}/signin?error=MissingCSRF"


def test_token_without_cookie_is_rejected() -> None:
    b = Browser(make_config())
    token = b.csrf()
    b.jar.clear()
    assert _signout(b, csrfToken=token) == f"{BASE}/signin?error=MissingCSRF"


def test_token_in_query_is_ignored() -> None:
    b = Browser(make_config())
    token = b.csrf()
    res = b.call("POST", f"/signout?csrfToken={token}")
    assert res.location == f"{BASE}/signin?error=MissingCSRF"


def test_token_is_reusable_while_cookie_lives() -> None:
    b = Browser(make_config())
    token = b.csrf()
    assert _signout(b, csrfToken=token) == "http://localhost:3000"
    assert _signout(b, csrfToken=token) == "http://localhost:3000"


def test_forged_cookie_hash_is_replaced() -> None:
    b = Browser(make_config())
    token = b.csrf()
    b.jar["authjs.csrf-token"] = f"{token}|{'0' * 64}"
    res = b.call("POST", "/signout", form={"csrfToken": token})
    assert res.location == f"{BASE}/signin?error=MissingCSRF"
    assert res.set_cookies == []  # error redirects carry no cookies (Auth.js `src/index.ts`)
    res = b.call("GET", "/csrf")
    assert res.json()["csrfToken"] != token
    assert unquote(set_cookies(res)["authjs.csrf-token"]).split("|")[0] != token


def test_duplicated_csrf_cookie_is_not_trusted() -> None:
    b = Browser(make_config())
    token = b.csrf()
    value = b.cookie_header()
    res = auth_sync(
        Request(
            "POST",
            BASE + "/signout",
            {"cookie": value + "; " + value, "content-type": "application/x-www-form-urlencoded"},
            f"csrfToken={token}".encode(),
        ),
        b.config,
    )
    assert res.location == f"{BASE}/signin?error=MissingCSRF"


def test_json_body_token_accepted() -> None:
    b = Browser(make_config())
    token = b.csrf()
    res = b.call("POST", "/signout", json_body={"csrfToken": token})
    assert res.location == "http://localhost:3000"


def test_non_string_token_rejected() -> None:
    b = Browser(make_config())
    b.csrf()
    res = b.call("POST", "/signout", json_body={"csrfToken": ["x"]})
    assert res.location == f"{BASE}/signin?error=MissingCSRF"


def test_skip_csrf_check() -> None:
    cfg = make_config(skip_csrf_check=True)
    res = auth_sync(Request("GET", BASE + "/csrf"), cfg)
    assert res.status == 404
    assert res.set_cookies == ["authjs.csrf-token=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"]
    res = auth_sync(Request("POST", BASE + "/signout"), cfg)
    assert res.location == "http://localhost:3000"
