from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from authcore import Request, auth_sync
from authcore._redirect import default_redirect
from tests.support.core import BASE, ORIGIN, Browser, make_config, set_cookies

APP = "https://app.example.test"

TRICKS = [
    "https://evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    " https://evil.example",
    "\x00https://evil.example",
    "https://evil.example\\@app.example.test/",
    "https://app.example.test@evil.example/",
    "https://app.example.test:@evil.example/",
    "https://app.example.test.evil.example/",
    "https:evil.example",
    "https:/evil.example",
    "http://app.example.test/",  # other scheme
    "https://app.example.test:8443/",  # other port
    "javascript:alert(1)",
    "data:text/html,x",
    "foo",
    "",
    "/" + "a" * 3000,
    "https://app.example.test/" + "a" * 3000,
    "https://[::1/",
    "https://app.example.test:99999/",
]


@pytest.mark.parametrize("url", TRICKS)
def test_open_redirect_tricks_fall_back_to_origin(url: str) -> None:
    assert default_redirect(url, APP) == APP


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/dashboard", APP + "/dashboard"),
        ("/a?b=c#d", APP + "/a?b=c#d"),
        ("https://app.example.test/x", "https://app.example.test/x"),
        ("HTTPS://APP.example.test/x", "HTTPS://APP.example.test/x"),
        ("https://app.example.test:443/x", "https://app.example.test:443/x"),
        ("/%2F%2Fevil.example", APP + "/%2F%2Fevil.example"),  # encoded: stays a path
        ("/%5Cevil.example", APP + "/%5Cevil.example"),
    ],
)
def test_same_origin_kept(url: str, expected: str) -> None:
    assert default_redirect(url, APP) == expected


@pytest.mark.parametrize("url", TRICKS[:15])
def test_tricks_through_signout_end_at_origin(url: str) -> None:
    b = Browser(make_config(url=APP), origin=APP)
    token = b.csrf()
    res = b.call("POST", "/signout", form={"csrfToken": token, "callbackUrl": url})
    assert res.location == APP


@pytest.mark.parametrize("url", TRICKS[:15])
def test_tricks_in_query_percent_encoded(url: str) -> None:
    res = auth_sync(
        Request("GET", f"{APP}/api/auth/session?callbackUrl={quote(url, safe='')}"),
        make_config(url=APP),
    )
    assert set_cookies(res)["__Secure-authjs.callback-url"] == APP


def test_callback_url_cookie_is_set_and_used() -> None:
    b = Browser(make_config())
    b.call("GET", "/signin?callbackUrl=%2Fdashboard")
    assert b.jar["authjs.callback-url"] == ORIGIN + "/dashboard"
    res = b.sign_in()
    assert res.location == ORIGIN + "/dashboard"


def test_body_callback_url_wins_over_query() -> None:
    b = Browser(make_config())
    token = b.csrf()
    res = b.call("POST", "/signout?callbackUrl=/q", form={"csrfToken": token, "callbackUrl": "/b"})
    assert res.location == ORIGIN + "/b"


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "not a url", "https://evil.example"])
def test_poisoned_callback_cookie_is_ignored_and_replaced(bad: str) -> None:
    cfg = make_config(callbacks={"redirect": lambda url, base_url: url})
    b = Browser(cfg)
    b.jar["authjs.callback-url"] = bad
    res = b.call("GET", "/session")
    assert res.status == 200
    # a user redirect callback that allows anything still never sees non-URLs
    if bad.startswith("https://"):
        assert "authjs.callback-url" not in set_cookies(res)  # unchanged, not re-set
    else:
        assert set_cookies(res)["authjs.callback-url"] == ORIGIN


def test_user_redirect_callback_may_allow_other_origins() -> None:
    seen: list[Any] = []

    def redirect(url: str, base_url: str) -> str:
        seen.append((url, base_url))
        return url if url.startswith("https://partner.example/") else base_url

    b = Browser(make_config(callbacks={"redirect": redirect}))
    token = b.csrf()
    res = b.call(
        "POST", "/signout", form={"csrfToken": token, "callbackUrl": "https://partner.example/x"}
    )
    assert res.location == "https://partner.example/x"
    assert ("https://partner.example/x", ORIGIN) in seen


def test_user_redirect_callback_returning_garbage_is_configuration_error() -> None:
    b = Browser(make_config(callbacks={"redirect": lambda url, base_url: "x\r\nSet-Cookie: a=b"}))
    res = b.call("GET", "/signin?callbackUrl=/a")
    assert res.status == 302 and res.location == f"{BASE}/error?error=Configuration"


def test_async_redirect_callback_in_sync_path() -> None:
    async def redirect(url: str, base_url: str) -> str:
        return base_url + "/async"

    b = Browser(make_config(callbacks={"redirect": redirect}))
    token = b.csrf()
    res = b.call("POST", "/signout", form={"csrfToken": token, "callbackUrl": "/x"})
    assert res.location == ORIGIN + "/async"
