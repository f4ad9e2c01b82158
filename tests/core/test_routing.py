from __future__ import annotations

import pytest

from authcore import Request, auth_sync
from tests.support.core import BASE, ORIGIN, Browser, make_config


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/providers", 200),
        ("GET", "/session", 200),
        ("GET", "/csrf", 200),
        ("GET", "/signin", 200),
        ("GET", "/signout", 200),
        ("GET", "/verify-request", 200),
        ("GET", "/error", 200),
        ("GET", "/signin/credentials", 302),  # unsupported: Configuration redirect
        ("GET", "/callback/credentials", 302),  # credentials are POST only
        ("GET", "/webauthn-options/credentials", 302),
        ("POST", "/signin", 302),  # MissingCSRF
        ("POST", "/signout", 302),
        ("POST", "/session", 400),  # CSRF missing: 400 null
        ("POST", "/callback/credentials", 302),
        ("POST", "/providers", 302),
        ("POST", "/csrf", 302),
        ("POST", "/error", 302),
        ("POST", "/verify-request", 302),
    ],
)
def test_action_table(method: str, path: str, status: int) -> None:
    res = auth_sync(Request(method, BASE + path), make_config())
    assert res.status == status


@pytest.mark.parametrize("path", ["/providers", "/csrf", "/error", "/verify-request"])
def test_post_to_get_only_actions_is_configuration_error(path: str) -> None:
    res = auth_sync(Request("POST", BASE + path), make_config())
    assert res.location == f"{BASE}/error?error=Configuration"
    assert res.set_cookies == []


@pytest.mark.parametrize(
    "path",
    [
        "/api/auth",
        "/api/auth/",
        "/api/auth/nope",
        "/api/authsignin",  # Auth.js quirk §14.13 fixed
        "/api/auth/session/extra",
        "/api/auth/csrf/x",
        "/api/auth/signin/a/b",
        "/other/session",
        "/",
    ],
)
def test_unknown_paths_are_400(path: str) -> None:
    res = auth_sync(Request("GET", ORIGIN + path), make_config())
    assert res.status == 400
    assert res.body == b'"Bad request."'
    assert res.header("content-type") == "application/json"


@pytest.mark.parametrize("method", ["PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "FOO"])
def test_other_methods_are_400(method: str) -> None:
    res = auth_sync(Request(method, BASE + "/session"), make_config())
    assert res.status == 400
    assert res.json() == "Bad request."


def test_trailing_and_doubled_slashes_are_fine() -> None:
    assert auth_sync(Request("GET", BASE + "/session/"), make_config()).status == 200
    assert auth_sync(Request("GET", ORIGIN + "/api/auth//csrf"), make_config()).status == 200


def test_unknown_provider_is_error_redirect() -> None:
    b = Browser(make_config())
    token = b.csrf()
    res = b.call("POST", "/signin/nope", form={"csrfToken": token})
    assert res.status == 302
    assert res.location == f"{BASE}/error?error=Configuration"


def test_providers_listing() -> None:
    res = auth_sync(Request("GET", BASE + "/providers"), make_config())
    assert res.json() == {
        "credentials": {
            "id": "credentials",
            "name": "Credentials",
            "type": "credentials",
            "signinUrl": f"{BASE}/signin/credentials",
            "callbackUrl": f"{BASE}/callback/credentials",
        }
    }
    assert res.set_cookies == []  # like Auth.js


def test_custom_base_path() -> None:
    cfg = make_config(base_path="/auth")
    assert auth_sync(Request("GET", ORIGIN + "/auth/session"), cfg).status == 200
    assert auth_sync(Request("GET", ORIGIN + "/api/auth/session"), cfg).status == 400


def test_post_signin_without_provider_goes_to_signin_page() -> None:
    b = Browser(make_config())
    res = b.call("POST", "/signin", form={"csrfToken": b.csrf()})
    assert res.location == f"{BASE}/signin"
    res = b.call("POST", "/signin/credentials", form={"csrfToken": b.csrf()})
    assert res.location == f"{BASE}/signin"


def test_return_redirect_header_gives_json_url() -> None:
    b = Browser(make_config())
    token = b.csrf()
    res = b.call(
        "POST",
        "/callback/credentials",
        form={"csrfToken": token, "username": "bob", "password": "pw"},
        headers={"X-Auth-Return-Redirect": "1"},
    )
    assert res.status == 200
    assert res.json() == {"url": ORIGIN}
    assert res.location == ORIGIN
    assert any("session-token" in c for c in res.set_cookies)


def test_return_redirect_on_error() -> None:
    res = auth_sync(
        Request("POST", BASE + "/signout", {"X-Auth-Return-Redirect": "1"}), make_config()
    )
    assert res.status == 200
    assert res.json() == {"url": f"{BASE}/signin?error=MissingCSRF"}
