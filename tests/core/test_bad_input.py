from __future__ import annotations

import asyncio

import pytest

from authcore import Request, auth_sync, get_session, get_session_async, get_token, jwt
from tests.support.core import BASE, ORIGIN, SECRET, Browser, Clock, make_config

FORM = {"content-type": "application/x-www-form-urlencoded"}
JSON = {"content-type": "application/json"}


def _post(path: str, headers: dict[str, str], body: bytes) -> int:
    return auth_sync(Request("POST", BASE + path, headers, body), make_config()).status


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        (JSON, b"{not json"),
        (JSON, b"[1, 2]"),
        (JSON, b'"str"'),
        (JSON, b"\xff\xfe{}"),
        (JSON, b"[" * 100000),
        (FORM, b"csrfToken=%ff%fe"),
        (FORM, b"a=\xff"),
        (FORM, b"x=" + b"a" * 70000),
    ],
)
def test_bad_bodies_are_400(headers: dict[str, str], body: bytes) -> None:
    res = auth_sync(Request("POST", BASE + "/signout", headers, body), make_config())
    assert res.status == 400
    assert res.json() == "Bad request."


def test_body_limit_is_configurable() -> None:
    cfg = make_config(limits={"max_body_bytes": 10})
    res = auth_sync(Request("POST", BASE + "/signout", FORM, b"csrfToken=0123456789"), cfg)
    assert res.status == 400


@pytest.mark.parametrize("ctype", ["text/plain", "multipart/form-data; boundary=x", ""])
def test_other_content_types_give_no_body(ctype: str) -> None:
    b = Browser(make_config())
    token = b.csrf()
    res = auth_sync(
        Request(
            "POST",
            BASE + "/signout",
            {"content-type": ctype, "cookie": b.cookie_header()},
            f"csrfToken={token}".encode(),
        ),
        b.config,
    )
    assert res.location == f"{BASE}/signin?error=MissingCSRF"


def test_huge_url_is_400() -> None:
    res = auth_sync(Request("GET", BASE + "/session?x=" + "a" * 9000), make_config())
    assert res.status == 400


def test_huge_headers_are_400() -> None:
    res = auth_sync(Request("GET", BASE + "/session", {"x-big": "a" * 40000}), make_config())
    assert res.status == 400
    res = auth_sync(
        Request("GET", BASE + "/session", {"cookie": "a=" + "b" * 17000}), make_config()
    )
    assert res.status == 400


@pytest.mark.parametrize(
    "url",
    [
        "http://[::1/api/auth/session",
        "http://localhost:99999/api/auth/session",
        "http://user@localhost/api/auth/session",
        "ftp://localhost/api/auth/session",
        "not a url",
        "http://local host/api/auth/session",
    ],
)
def test_unparseable_urls_are_400(url: str) -> None:
    assert auth_sync(Request("GET", url), make_config()).status == 400


@pytest.mark.parametrize(
    "cookie",
    [
        "authjs.session-token=%E0%A4%A",
        'authjs.session-token="unterminated',
        ";;;===;",
        "authjs.session-token=\u00e9\u00e9",
        "authjs.csrf-token=|; authjs.callback-url=%",
        "authjs.csrf-token=" + "a" * 5000,
        "; ".join(f"c{i}=v" for i in range(500)),
    ],
)
def test_malformed_cookies_never_500(cookie: str) -> None:
    res = auth_sync(Request("GET", BASE + "/session", {"cookie": cookie}), make_config())
    assert res.status == 200
    assert res.body == b"null"


def test_non_utf8_query_is_tolerated() -> None:
    res = auth_sync(Request("GET", BASE + "/signin?callbackUrl=%ff%fe"), make_config())
    assert res.status == 200


def test_get_token_cookie_chunks_and_bearer() -> None:
    clock = Clock()
    tok = jwt.encode(token={"sub": "1"}, secret=SECRET, salt="authjs.session-token", now=clock.now)
    req = Request(
        "GET",
        BASE,
        {"cookie": f"authjs.session-token.0={tok[:50]}; authjs.session-token.1={tok[50:]}"},
    )
    assert get_token(req, secret=SECRET, now=clock.now)["sub"] == "1"
    assert get_token(req, secret=SECRET, raw=True) == tok
    bearer = Request("GET", BASE, {"authorization": f"Bearer {tok}"})
    assert get_token(bearer, secret=SECRET, now=clock.now)["sub"] == "1"
    for bad in ("%", "%zz", "abc%E0%A4%A"):
        assert (
            get_token(Request("GET", BASE, {"authorization": f"Bearer {bad}"}), secret=SECRET)
            is None
        )
    assert get_token(Request("GET", BASE), secret=SECRET) is None
    assert get_token(req, secret="other-secret-zzzzzzzzzzzzzz") is None
    secure = Request("GET", "https://app.example.test/", {"cookie": f"authjs.session-token={tok}"})
    assert get_token(secure, secret=SECRET) is None  # expects the __Secure- name


def test_get_session_is_fail_closed() -> None:
    b = Browser(make_config(clock=Clock()))
    b.sign_in()
    req = Request("GET", ORIGIN + "/dashboard", {"cookie": b.cookie_header()})
    session = get_session(req, b.config)
    assert session is not None and session["user"]["name"] == "bob"
    assert asyncio.run(get_session_async(req, b.config)) == session
    assert get_session(req, {"secret": ""}) is None
    assert get_session(req, make_config(secret="other-secret-zzzzzzzzzzzzzz")) is None
    assert (
        get_session(
            Request("GET", "https://evil.example/", {"cookie": b.cookie_header()}), b.config
        )
        is None
    )
    broken = make_config(callbacks={"session": lambda session: 1 / 0})
    assert get_session(req, broken) is None
