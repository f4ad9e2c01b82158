"""A session can never lock its browser out of the auth routes: sessions the browser could not
send back are refused when written, a callback URL that would push the Cookie header over the
cap is not stored, and a request already over the cap is answered with Set-Cookie headers that
clear authcore's own cookies."""

from __future__ import annotations

import secrets
from typing import Any

from authcore import Request, auth_sync
from authcore.errors import JWTSessionError
from tests.support.core import BASE, Browser, make_config

CAP = 16384


class Log:
    def __init__(self) -> None:
        self.errors: list[BaseException] = []
        self.warnings: list[str] = []

    def error(self, error: BaseException) -> None:
        self.errors.append(error)

    def warn(self, code: str) -> None:
        self.warnings.append(code)


def _config(claim_chars: int, log: Log) -> dict[str, Any]:
    blob = secrets.token_urlsafe(claim_chars)[:claim_chars]  # incompressible

    def jwt(token: dict[str, Any], user: Any = None, **_: Any) -> dict[str, Any]:
        if user is not None:
            token["groups"] = blob
            token["tiny"] = 1
        return token

    return make_config(callbacks={"jwt": jwt}, logger=log)


def _sign_in(browser: Browser) -> Any:
    form = {"csrfToken": browser.csrf(), "username": "bob", "password": "pw"}
    return browser.call("POST", "/callback/credentials", form=form)


def _session_names(browser: Browser) -> list[str]:
    return [n for n in browser.jar if n.startswith("authjs.session-token")]


def test_oversized_session_is_refused_naming_the_claim_to_trim() -> None:
    log = Log()
    browser = Browser(_config(20_000, log))
    response = _sign_in(browser)
    assert response.status == 302
    assert "error=Configuration" in (response.location or "")
    assert _session_names(browser) == []
    errors = [e for e in log.errors if isinstance(e, JWTSessionError)]
    assert errors and "'groups'" in str(errors[0]) and "jwt" in str(errors[0])
    # the browser is not locked out
    assert browser.call("GET", "/session").status == 200


def test_session_that_fits_is_written_in_chunks() -> None:
    log = Log()
    browser = Browser(_config(9_000, log))
    assert _sign_in(browser).status == 302
    assert len(_session_names(browser)) >= 3
    assert browser.call("GET", "/session").json()["user"]["name"] == "bob"
    assert log.errors == []


def test_long_callback_url_next_to_a_large_session_is_not_stored() -> None:
    log = Log()
    browser = Browser(_config(10_500, log))
    assert _sign_in(browser).status == 302
    before = browser.jar.get("authjs.callback-url")
    long_path = "/" + "a" * 1_900
    page = browser.call("GET", f"/signin?callbackUrl={long_path}")
    assert page.status == 200
    assert browser.jar.get("authjs.callback-url") == before
    assert "callback-url-not-stored" in log.warnings
    for path in ("/session", "/csrf", "/signin", "/providers"):
        assert browser.call("GET", path).status == 200, path
    form = {"csrfToken": browser.csrf(), "callbackUrl": "/bye"}
    out = browser.call("POST", "/signout", form=form)
    assert out.status == 302 and out.location == "http://localhost:3000/bye"
    assert _session_names(browser) == []


def test_short_callback_url_is_still_stored() -> None:
    log = Log()
    browser = Browser(_config(10_500, log))
    assert _sign_in(browser).status == 302
    browser.call("GET", "/signin?callbackUrl=/dashboard")
    assert browser.jar.get("authjs.callback-url") == "http://localhost:3000/dashboard"
    assert log.warnings == []


def test_request_over_the_cap_clears_authcores_cookies() -> None:
    chunk = "x" * 3_900
    cookies = [f"authjs.session-token.{i}={chunk}" for i in range(4)]
    cookies += [
        "__Secure-authjs.session-token.0=abc",
        "authjs.csrf-token=t%7Ch",
        "__Host-authjs.csrf-token=t%7Ch",
        "authjs.callback-url=" + "b" * 1_000,
        "authjs.state=s",
        "app-cookie=keep-me",
    ]
    header = "; ".join(cookies)
    assert len(header) > CAP
    for path in ("/session", "/csrf", "/signin", "/signout", "/callback/credentials"):
        response = auth_sync(Request("GET", BASE + path, {"cookie": header}), make_config())
        assert response.status == 400
        cleared = {c.split("=", 1)[0]: c for c in response.set_cookies}
        assert set(cleared) == {
            *(f"authjs.session-token.{i}" for i in range(4)),
            "__Secure-authjs.session-token.0",
            "authjs.csrf-token",
            "__Host-authjs.csrf-token",
            "authjs.callback-url",
            "authjs.state",
        }
        assert all("Max-Age=0" in c for c in cleared.values())
        assert "Secure" in cleared["__Host-authjs.csrf-token"]
