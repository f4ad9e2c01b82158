"""HTML and script injection through every request value a page or an error code shows
(docs/differences.md row 10; docs/differences.md#other-deliberate-choices; CVE-2022-31127 class).
Pages never echo raw request values: error codes are looked up, the callback URL is the validated
one, the CSRF token is the server's."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlsplit

import pytest

from authcore._http import Response
from tests.support.security import BASE, ORIGIN, make_config, send

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg/onload=alert(1)>",
    "javascript:alert(1)",
    "</style><script>alert(1)</script>",
    "{{7*7}}${7*7}",
    "\u2028<script>alert(1)</script>",
    "%3Cscript%3Ealert(1)%3C/script%3E",
]
MARKERS = ("alert(1)", "onerror", "onload", "<svg", "<img src=x", "${7*7}", "{{7*7}}")

PAGE_HEADERS = {
    "content-type": "text/html; charset=utf-8",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def _assert_clean_page(res: Response) -> None:
    text = res.text
    for marker in MARKERS:
        assert marker not in text, marker
    assert "<script" not in text.lower()
    for name, value in PAGE_HEADERS.items():
        assert res.header(name) == value
    csp = res.header("content-security-policy") or ""
    assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
    assert "script-src" not in csp


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("path", ["/error?error=", "/signin?error=", "/signin?callbackUrl="])
def test_query_values_are_not_reflected(path: str, payload: str) -> None:
    res = send(make_config(), "GET", path + quote(payload, safe=""))
    assert res.status in (200, 500)
    _assert_clean_page(res)


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize(
    "param", ["csrfToken", "providers", "theme", "provider", "type", "email", "url", "message"]
)
@pytest.mark.parametrize("path", ["/signin", "/signout", "/verify-request", "/error"])
def test_props_cannot_be_overridden_by_query(path: str, param: str, payload: str) -> None:
    res = send(make_config(), "GET", f"{path}?{param}={quote(payload, safe='')}")
    _assert_clean_page(res)
    if path in ("/signin", "/signout"):
        csrf = send(make_config(), "GET", "/csrf")
        assert 'name="csrfToken"' in res.text
        assert payload not in res.text
        assert csrf.status == 200


@pytest.mark.parametrize(
    "code", ["constructor", "__proto__", "toString", "hasOwnProperty", "Configuration "]
)
def test_prototype_names_get_the_generic_error_page(code: str) -> None:
    res = send(make_config(), "GET", f"/error?error={quote(code)}")
    _assert_clean_page(res)
    generic = send(make_config(), "GET", "/error?error=NoSuchCode")
    assert res.status == generic.status

    def without_code(text: str) -> str:
        return re.sub(r"<p>Error code: <code>[A-Za-z0-9_]*</code></p>", "", text)

    assert without_code(res.text) == without_code(generic.text)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_credentials_labels_come_from_config_not_request(payload: str) -> None:
    res = send(make_config(), "GET", f"/signin?username={quote(payload)}&label={quote(payload)}")
    _assert_clean_page(res)


def test_custom_error_page_redirect_re_encodes_the_error() -> None:
    """docs/differences.md#other-deliberate-choices: `error=x%26callbackUrl%3D...` must not add
    parameters."""
    res = send(
        make_config(pages={"error": "/oops"}),
        "GET",
        "/error?error=x%26callbackUrl%3Dhttps%3A%2F%2Fevil.example",
    )
    assert res.status == 302 and res.location is not None
    parts = urlsplit(res.location)
    assert parts.path == "/oops"
    assert parse_qsl(parts.query) == [("error", "x&callbackUrl=https://evil.example")]


def test_custom_signin_page_gets_only_validated_values() -> None:
    res = send(
        make_config(pages={"sign_in": "/login"}),
        "GET",
        "/signin?callbackUrl=https%3A%2F%2Fevil.example&error=%3Cb%3E&csrfToken=x&extra=1",
    )
    assert res.status == 302 and res.location is not None
    parts = urlsplit(res.location)
    assert parts.path == "/login"
    assert dict(parse_qsl(parts.query)) == {"callbackUrl": ORIGIN, "error": "<b>"}


def test_error_redirects_carry_only_the_type() -> None:
    """A failed credentials sign-in names a fixed type, never the submitted values."""
    res = send(
        make_config(skip_csrf_check=True),
        "POST",
        "/callback/credentials",
        form={"username": "<script>alert(1)</script>", "password": "nope"},
    )
    assert res.location == f"{BASE}/signin?error=CredentialsSignin&code=credentials"
    page = send(make_config(), "GET", "/signin?error=CredentialsSignin&code=%3Cscript%3E")
    _assert_clean_page(page)


def test_json_endpoints_are_json() -> None:
    for path in ("/session", "/csrf", "/providers"):
        res = send(make_config(), "GET", f"{path}?x=%3Cscript%3E")
        assert res.header("content-type") == "application/json"
        assert b"<script" not in res.body
