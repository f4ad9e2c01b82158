"""Open redirects (CVE-2022-24858; docs/security.md#what-authcore-defends-and-how; CVE-2022-24858,
CVE-2022-29214, CVE-2022-31093).

Every trick is sent through each channel a `callbackUrl` can arrive by (query, form body, JSON
body, the callback-url cookie) and must end at the configured origin, exactly.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import pytest

from authcore import Request, auth_sync
from authcore.providers.instagram import Instagram
from authcore.testing import MockIdP
from tests.support.security import (
    BASE,
    CALLBACK,
    ORIGIN,
    SESSION,
    Browser,
    cookie_changes,
    make_config,
    send,
)

EVIL = "evil.example"

TRICKS = [
    # plain off-site and scheme-relative
    "https://evil.example",
    "https://evil.example/https://app.example.test/",
    "https://evil.example#https://app.example.test",
    "https://evil.example?https://app.example.test",
    "//evil.example",
    "///evil.example",
    "////evil.example/x",
    # backslashes: browsers read "\" as "/"
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    "https://evil.example\\@app.example.test/",
    "https:\\\\evil.example",
    # whitespace and controls that browsers strip
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "/ /evil.example",
    " https://evil.example",
    "\x00https://evil.example",
    "\x0c//evil.example",
    "/\u3000/evil.example",
    "/\u2028/evil.example",
    # userinfo and look-alike hosts (prefix matching)
    "https://app.example.test@evil.example/",
    "https://app.example.test:@evil.example/",
    "https://app.example.test:443@evil.example/",
    "https://user:pass@app.example.test/",
    "https://app.example.test%40evil.example/",
    "https://app.example.test.evil.example/",
    "https://app.example.testevil.example/",
    "https://app.example.test\u3002evil.example/",
    "https://evil.c\u2100.app.example.test/",
    "https://\uff41pp.example.test/",
    # absolute URLs without "//"
    "https:evil.example",
    "https:/evil.example",
    "https:///evil.example",
    # other scheme, port or host of the same name
    "http://app.example.test/",
    "https://app.example.test:8443/",
    "https://[::1]/",
    # non-http schemes
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "javascript://app.example.test/%0Aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "ftp://app.example.test/",
    "custom-scheme://app.example.test/",
    # encoded forms (decoded once by the query parser; never again)
    "https%3A%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "%5C%5Cevil.example",
    # malformed and oversized (CVE-2022-31093: must not throw)
    "https://[::1/",
    "https://app.example.test:99999/",
    "http://",
    "",
    "/" + "a" * 3000,
    "https://app.example.test/" + "a" * 3000,
]

KEPT = [
    ("/dashboard", f"{ORIGIN}/dashboard"),
    ("/a?b=c#d", f"{ORIGIN}/a?b=c#d"),
    ("/%2F%2Fevil.example", f"{ORIGIN}/%2F%2Fevil.example"),  # a path on this site
    ("/@evil.example", f"{ORIGIN}/@evil.example"),
    (f"{ORIGIN}/x", f"{ORIGIN}/x"),
    (f"{ORIGIN}:443/x", f"{ORIGIN}:443/x"),
]


def _assert_safe_location(location: str | None, expected: str = ORIGIN) -> None:
    assert location == expected
    assert urlsplit(location).hostname == "app.example.test"


def _signin_with(b: Browser, **form: str) -> Any:
    token = b.csrf()
    return b.call(
        "POST",
        "/callback/credentials",
        form={"csrfToken": token, "username": "bob", "password": "correct horse", **form},
    )


@pytest.mark.parametrize("url", TRICKS)
def test_trick_in_form_body_after_credentials_sign_in(url: str) -> None:
    b = Browser(make_config())
    res = _signin_with(b, callbackUrl=url)
    assert res.status == 302
    _assert_safe_location(res.location)
    assert SESSION in b.last.values  # the sign-in itself worked
    assert b.jar[CALLBACK] == ORIGIN


@pytest.mark.parametrize("url", TRICKS)
def test_trick_in_json_body_of_signout(url: str) -> None:
    b = Browser(make_config())
    _signin_with(b)
    res = b.call("POST", "/signout", json_body={"csrfToken": b.csrf(), "callbackUrl": url})
    assert res.status == 302
    _assert_safe_location(res.location)
    assert SESSION in b.last.cleared


@pytest.mark.parametrize("url", TRICKS)
def test_trick_in_query_sets_origin_cookie_and_page(url: str) -> None:
    b = Browser(make_config())
    res = b.call("GET", f"/signin?callbackUrl={quote(url, safe='')}")
    assert res.status == 200
    assert b.last.values[CALLBACK] == ORIGIN
    page = res.text
    assert f'name="callbackUrl" value="{ORIGIN}"' in page
    assert EVIL not in page and "javascript" not in page.lower()
    assert "alert(1)" not in page
    # ... and the sign-in that follows lands on the origin (the cookie is what it uses)
    after = _signin_with(b)
    _assert_safe_location(after.location)


@pytest.mark.parametrize("url", TRICKS)
def test_trick_planted_in_callback_cookie(url: str) -> None:
    """A planted cookie is ignored and replaced, never a 500 (docs/differences.md row 2,
    CVE-2022-31093)."""
    config = make_config()
    b = Browser(config)
    b.jar[CALLBACK] = url
    res = _signin_with(b)
    assert res.status == 302
    _assert_safe_location(res.location)
    assert b.jar[CALLBACK] == ORIGIN


@pytest.mark.parametrize("url", TRICKS[:20])
def test_trick_double_encoded_in_query(url: str) -> None:
    encoded = quote(quote(url, safe=""), safe="")
    res = send(make_config(), "GET", f"/session?callbackUrl={encoded}")
    assert res.status == 200
    value = cookie_changes(res).values[CALLBACK]
    assert value == ORIGIN or value.startswith(ORIGIN + "/")


@pytest.mark.parametrize(("url", "expected"), KEPT)
def test_same_origin_targets_are_kept(url: str, expected: str) -> None:
    b = Browser(make_config())
    res = _signin_with(b, callbackUrl=url)
    _assert_safe_location(res.location, expected)


@pytest.mark.parametrize("url", TRICKS[:12])
def test_trick_returned_by_sign_in_callback(url: str) -> None:
    """A string from `sign_in` goes through the same validator (Auth.js
    `src/lib/actions/callback/oauth/callback.ts`)."""
    b = Browser(make_config(callbacks={"sign_in": lambda **_: url}))
    res = _signin_with(b)
    assert res.status == 302
    _assert_safe_location(res.location)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "/\\evil.example",
        "/\t/evil.example",
        "data:,x",
        "http://",
        "//evil.example",
    ],
)
def test_implausible_values_never_reach_a_user_redirect_callback(url: str) -> None:
    seen: list[str] = []

    def redirect(url: str, base_url: str) -> str:
        seen.append(url)
        return url  # a naive callback: only safe because such values never reach it

    b = Browser(make_config(callbacks={"redirect": redirect}))
    res = _signin_with(b, callbackUrl=url)
    assert res.location == ORIGIN
    assert url not in seen


@pytest.mark.parametrize("url", ["//evil.example", "https://evil.example", "/x"])
def test_documented_user_redirect_callback_stays_on_site(url: str) -> None:
    """The callback the Auth.js docs recommend, fed every channel's value."""

    def redirect(url: str, base_url: str) -> str:
        if url.startswith("/"):
            return f"{base_url}{url}"
        if urlsplit(url).netloc == urlsplit(base_url).netloc:
            return url
        return base_url

    b = Browser(make_config(callbacks={"redirect": redirect}))
    res = _signin_with(b, callbackUrl=url)
    assert res.location is not None
    assert urlsplit(res.location).hostname == "app.example.test"


@pytest.mark.parametrize("url", ["https://evil.example", "//evil.example", "javascript:x"])
def test_return_redirect_json_is_validated_too(url: str) -> None:
    b = Browser(make_config())
    b.csrf()
    res = b.call(
        "POST",
        "/signout",
        form={"csrfToken": b.csrf(), "callbackUrl": url},
        headers={"X-Auth-Return-Redirect": "1"},
    )
    assert res.status == 200
    assert res.json() == {"url": ORIGIN}


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_trick_through_the_oauth_round_trip(
    mock_idp: MockIdP, http: httpx.Client, url: str
) -> None:
    """callbackUrl posted with the OAuth sign-in, remembered in the cookie, used after the
    provider round trip."""
    config = make_config(
        providers=[Instagram(**mock_idp.provider_options("instagram"))], http_client=http
    )
    b = Browser(config)
    start = b.call("POST", "/signin/instagram", form={"csrfToken": b.csrf(), "callbackUrl": url})
    assert start.status == 302 and start.location is not None
    assert b.jar[CALLBACK] == ORIGIN
    idp = http.get(start.location, follow_redirects=False)
    back = idp.headers["location"].split("#", 1)[0]
    done = b.call("GET", back[len(BASE) :])
    assert done.status == 302
    _assert_safe_location(done.location)
    assert SESSION in b.last.values


def test_location_never_carries_crlf() -> None:
    """Header injection through a decoded %0d%0a."""
    res = send(
        make_config(pages={"verify_request": "/check"}),
        "GET",
        "/verify-request?x=%0d%0aSet-Cookie:%20pwned=1",
    )
    assert res.status == 302 and res.location is not None
    assert "\r" not in res.location and "\n" not in res.location
    assert res.location == "/check?x=%0D%0ASet-Cookie%3A%20pwned%3D1"


def test_request_host_does_not_change_fallback() -> None:
    """The fallback is the configured origin even when the request names another host."""
    res = auth_sync(
        Request(
            "POST",
            "https://evil.example/api/auth/signout",
            {"x-forwarded-host": "evil.example", "host": "evil.example"},
        ),
        make_config(),
    )
    assert res.status == 302
    assert res.location == f"{BASE}/signin?error=MissingCSRF"
