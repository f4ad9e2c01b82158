"""CSRF (Auth.js `src/lib/actions/callback/oauth/csrf-token.ts`,
docs/security.md#what-authcore-defends-and-how; docs/differences.md#other-deliberate-choices): the
double-submit check of POST signin, signout, session and the credentials callback.

A rejected POST changes nothing: 302 to `signin?error=MissingCSRF` (400 `null` for POST
/session) with no Set-Cookie at all, so the session survives and no cookie is planted.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

import pytest

from authcore import Request, auth_sync
from authcore._http import Response
from authcore.providers.instagram import Instagram
from tests.support.security import (
    BASE,
    CSRF,
    SECRET,
    SESSION,
    Browser,
    Logs,
    assert_no_leak,
    cookie_header,
    make_config,
    send,
)

REJECTED = f"{BASE}/signin?error=MissingCSRF"


def _signed_in(**extra: Any) -> Browser:
    b = Browser(make_config(**extra))
    assert b.sign_in().status == 302
    assert SESSION in b.jar
    return b


def _assert_rejected(res: Response, b: Browser | None = None) -> None:
    assert res.status == 302
    assert res.location == REJECTED
    assert res.set_cookies == []
    if b is not None:
        assert SESSION in b.jar  # nothing was signed out


def _cookie_for(token: str, secret: str) -> str:
    return f"{token}|{hashlib.sha256((token + secret).encode()).hexdigest()}"


def test_signout_without_token(logs: Logs) -> None:
    b = _signed_in(**logs.config_extra())
    res = b.call("POST", "/signout", form={})
    _assert_rejected(res, b)
    assert logs.error_types() == ["MissingCSRF"]
    assert_no_leak(res, logs, [SECRET, b.jar[CSRF].split("|")[0], b.jar[SESSION]])


def test_signout_with_wrong_token() -> None:
    b = _signed_in()
    b.csrf()
    _assert_rejected(b.call("POST", "/signout", form={"csrfToken": secrets.token_hex(32)}), b)


def test_empty_token_against_cookie_with_empty_token() -> None:
    cookie = _cookie_for("", SECRET)
    res = send(make_config(), "POST", "/signout", cookies={CSRF: cookie}, form={"csrfToken": ""})
    _assert_rejected(res)


def test_the_whole_cookie_value_is_not_the_token() -> None:
    b = _signed_in()
    b.csrf()
    _assert_rejected(b.call("POST", "/signout", form={"csrfToken": b.jar[CSRF]}), b)


def test_token_minted_under_another_secret() -> None:
    """A pair that is consistent, but hashed with another deployment's secret."""
    token = secrets.token_hex(32)
    cookie = _cookie_for(token, "another-deployment-secret-fedcba9876543210")
    b = _signed_in()
    b.jar[CSRF] = cookie
    _assert_rejected(b.call("POST", "/signout", form={"csrfToken": token}), b)


def test_forged_hash_with_matching_token() -> None:
    token = secrets.token_hex(32)
    b = _signed_in()
    b.jar[CSRF] = f"{token}|{hashlib.sha256(token.encode()).hexdigest()}"
    _assert_rejected(b.call("POST", "/signout", form={"csrfToken": token}), b)


def test_token_in_query_instead_of_body() -> None:
    b = _signed_in()
    token = b.csrf()
    _assert_rejected(b.call("POST", f"/signout?csrfToken={token}", form={}), b)


def test_token_in_a_header_instead_of_body() -> None:
    b = _signed_in()
    token = b.csrf()
    res = b.call("POST", "/signout", form={}, headers={"x-csrf-token": token})
    _assert_rejected(res, b)


def test_text_plain_body_is_not_parsed() -> None:
    """A cross-site <form enctype="text/plain"> is a CORS-simple request: never parsed."""
    b = _signed_in()
    token = b.csrf()
    res = send(
        b.config,
        "POST",
        "/signout",
        cookies=b.jar,
        headers={"content-type": "text/plain"},
    )
    _assert_rejected(res, b)
    body = f"csrfToken={token}".encode()
    res = auth_sync(
        Request(
            "POST",
            f"{BASE}/signout",
            {"cookie": cookie_header(b.jar), "content-type": "text/plain"},
            body,
        ),
        b.config,
    )
    _assert_rejected(res, b)


@pytest.mark.parametrize("value", [["x"], {"a": 1}, 1, None, True])
def test_non_string_json_token(value: Any) -> None:
    b = _signed_in()
    b.csrf()
    res = b.call("POST", "/signout", json_body={"csrfToken": value})
    _assert_rejected(res, b)


def test_duplicated_csrf_cookie_is_never_trusted() -> None:
    """An attacker's planted twin (docs/differences.md#other-deliberate-choices): even a pair that
    checks out."""
    b = _signed_in()
    token = b.csrf()
    own = b.jar[CSRF]
    planted_token = secrets.token_hex(32)
    planted = _cookie_for(planted_token, SECRET)  # as minted for the attacker's browser
    for first, second, sent in (
        (planted, own, planted_token),
        (own, planted, token),
        (own, own, token),
    ):
        header = cookie_header([(CSRF, first), (CSRF, second), (SESSION, b.jar[SESSION])])
        res = send(b.config, "POST", "/signout", cookies=header, form={"csrfToken": sent})
        _assert_rejected(res)


def test_unprefixed_csrf_cookie_is_ignored_on_https() -> None:
    """Only `__Host-` is read on https: a sibling subdomain cannot toss it."""
    token = secrets.token_hex(32)
    b = _signed_in()
    b.jar.pop(CSRF, None)
    b.jar["authjs.csrf-token"] = _cookie_for(token, SECRET)
    _assert_rejected(b.call("POST", "/signout", form={"csrfToken": token}), b)


def test_credentials_callback_needs_csrf(logs: Logs) -> None:
    config = make_config(**logs.config_extra())
    res = send(
        config,
        "POST",
        "/callback/credentials",
        form={"username": "bob", "password": "correct horse"},
    )
    _assert_rejected(res)
    assert_no_leak(res, logs, ["correct horse", SECRET])


def test_oauth_signin_needs_csrf() -> None:
    config = make_config(providers=[Instagram(client_id="cid", client_secret="csecret-123456")])
    res = send(config, "POST", "/signin/instagram", form={})
    _assert_rejected(res)


def test_session_update_without_token_is_400_null() -> None:
    b = _signed_in()
    res = b.call("POST", "/session", json_body={"data": {"name": "mallory"}})
    assert res.status == 400
    assert res.body == b"null"
    assert res.set_cookies == []
    assert b.call("GET", "/session").json()["user"]["name"] == "bob"


def test_get_never_acts() -> None:
    """GET /signout shows the confirmation page: the session is not touched."""
    b = _signed_in()
    token = b.csrf()
    res = b.call("GET", f"/signout?csrfToken={token}")
    assert res.status == 200
    assert SESSION not in b.last.cleared
    assert SESSION in b.jar


def test_valid_token_works_and_is_reusable() -> None:
    """The control case: the same token twice (double-submit tokens are per browser)."""
    b = _signed_in()
    token = b.csrf()
    assert (
        b.call("POST", "/signout", form={"csrfToken": token}).location == "https://app.example.test"
    )
    assert SESSION not in b.jar
    assert b.sign_in().status == 302
    res = b.call("POST", "/signout", form={"csrfToken": token})
    assert res.location == "https://app.example.test"
    assert SESSION in b.last.cleared


def test_rotated_secret_keeps_cookie_valid_but_foreign_does_not() -> None:
    b = _signed_in()
    token = b.csrf()
    b.config = make_config(secret=["new-secret-0123456789abcdef0123456789ab", SECRET])
    res = b.call("POST", "/signout", form={"csrfToken": token})
    assert res.location == "https://app.example.test"
    b2 = _signed_in()
    t2 = b2.csrf()
    b2.config = make_config(secret="new-secret-0123456789abcdef0123456789ab")
    _assert_rejected(b2.call("POST", "/signout", form={"csrfToken": t2}), b2)
