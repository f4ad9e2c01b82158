from __future__ import annotations

from typing import Any

import pytest

from authcore import AuthError, CredentialsSignin, Request, auth_sync, jwt
from authcore.providers.credentials import Credentials
from tests.support.core import BASE, ORIGIN, SECRET, Browser, make_config


def test_signout_clears_every_chunk_and_fires_event() -> None:
    events: list[Any] = []
    cfg = make_config(events={"sign_out": lambda token: events.append(token["sub"])})
    b = Browser(cfg)
    b.sign_in()
    b.jar["authjs.session-token.7"] = "junk"
    token = b.csrf()
    res = b.call("POST", "/signout", form={"csrfToken": token})
    assert res.location == ORIGIN
    cleared = [c.split("=")[0] for c in res.set_cookies if "Max-Age=0" in c]
    assert set(cleared) == {"authjs.session-token", "authjs.session-token.7"}
    assert events == []  # the junk chunk made the session unreadable: no event
    b.sign_in()
    res = b.call("POST", "/signout", form={"csrfToken": b.csrf()})
    assert events == ["1"]
    assert b.session_cookie_names() == []


def test_signout_without_session_redirects() -> None:
    b = Browser(make_config())
    res = b.call("POST", "/signout", form={"csrfToken": b.csrf(), "callbackUrl": "/bye"})
    assert res.location == ORIGIN + "/bye"


def test_signout_with_bad_token_still_clears() -> None:
    b = Browser(make_config())
    b.jar["authjs.session-token"] = "garbage"
    res = b.call("POST", "/signout", form={"csrfToken": b.csrf()})
    assert res.location == ORIGIN
    assert "authjs.session-token=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax" in res.set_cookies


def test_credentials_sign_in_sets_authjs_token() -> None:
    b = Browser(make_config())
    res = b.sign_in()
    assert res.status == 302 and res.location == ORIGIN
    payload = jwt.decode(
        token=b.jar["authjs.session-token"], secret=SECRET, salt="authjs.session-token"
    )
    assert {k: payload[k] for k in ("name", "email", "sub")} == {
        "name": "bob",
        "email": "bob@x.com",
        "sub": "1",
    }
    assert "picture" not in payload  # user had no image: like JSON.stringify of undefined
    assert b.call("GET", "/session").json()["user"] == {"name": "bob", "email": "bob@x.com"}


def test_credentials_failure() -> None:
    b = Browser(make_config())
    res = b.sign_in(password="wrong")
    assert res.location == f"{BASE}/signin?error=CredentialsSignin&code=credentials"
    assert res.set_cookies == []


def test_credentials_without_csrf() -> None:
    b = Browser(make_config())
    res = b.call("POST", "/callback/credentials", form={"username": "bob", "password": "pw"})
    assert res.location == f"{BASE}/signin?error=MissingCSRF"


def test_async_authorize_and_custom_code() -> None:
    class Locked(CredentialsSignin):
        code = "locked"

    async def authorize(credentials: dict[str, Any], request: Request) -> Any:
        assert isinstance(request, Request)
        if credentials["username"] == "locked":
            raise Locked()
        return {"name": credentials["username"]}

    cfg = make_config(providers=[Credentials(authorize=authorize)])
    b = Browser(cfg)
    res = b.sign_in(username="ann")
    assert res.location == ORIGIN
    payload = jwt.decode(
        token=b.jar["authjs.session-token"], secret=SECRET, salt="authjs.session-token"
    )
    assert len(payload["sub"]) == 36  # uuid4 when the user has no id
    res = b.sign_in(username="locked")
    assert res.location == f"{BASE}/signin?error=CredentialsSignin&code=locked"


def test_authorize_raising_is_configuration_error() -> None:
    def authorize(credentials: dict[str, Any], request: Request) -> Any:
        raise RuntimeError("db down: password=hunter2")

    b = Browser(make_config(providers=[Credentials(authorize=authorize)]))
    res = b.sign_in()
    assert res.location == f"{BASE}/error?error=Configuration"


def test_sign_in_callback() -> None:
    def sign_in(user: dict[str, Any], account: dict[str, Any], credentials: Any) -> Any:
        assert account == {
            "providerAccountId": "1",
            "type": "credentials",
            "provider": "credentials",
        }
        assert credentials["username"] == user["name"]
        return {"bob": True, "redir": "/elsewhere"}.get(user["name"], False)

    b = Browser(make_config(callbacks={"sign_in": sign_in}))
    assert b.sign_in().location == ORIGIN
    assert b.sign_in(username="eve").location == f"{BASE}/error?error=AccessDenied"
    b2 = Browser(make_config(callbacks={"sign_in": sign_in}))
    res = b2.sign_in(username="redir")
    assert res.location == ORIGIN + "/elsewhere"
    assert b2.session_cookie_names() == []


def test_jwt_callback_on_sign_in_and_event() -> None:
    calls: list[Any] = []

    def jwt_cb(
        token: dict[str, Any], user: Any = None, account: Any = None, trigger: Any = None
    ) -> dict[str, Any]:
        calls.append(trigger)
        if trigger == "signIn":
            return {**token, "role": "admin"}
        return token

    events: list[Any] = []
    cfg = make_config(
        callbacks={"jwt": jwt_cb},
        events={"sign_in": lambda user, account: events.append(account["provider"])},
    )
    b = Browser(cfg)
    b.sign_in()
    assert calls == ["signIn"]
    assert events == ["credentials"]
    payload = jwt.decode(
        token=b.jar["authjs.session-token"], secret=SECRET, salt="authjs.session-token"
    )
    assert payload["role"] == "admin"


def test_failing_event_is_swallowed() -> None:
    def boom(**_: Any) -> None:
        raise RuntimeError("x")

    b = Browser(make_config(events={"sign_in": boom}))
    assert b.sign_in().location == ORIGIN


def test_json_credentials_body() -> None:
    b = Browser(make_config())
    token = b.csrf()
    res = b.call(
        "POST",
        "/callback/credentials",
        json_body={"csrfToken": token, "username": "bob", "password": "pw"},
    )
    assert res.location == ORIGIN


def test_auth_error_type_names() -> None:
    assert issubclass(CredentialsSignin, AuthError)
    assert CredentialsSignin.type == "CredentialsSignin"


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/error?error=AccessDenied", None),
        ("/signin?error=CredentialsSignin", None),
    ],
)
def test_pages_render_html_with_security_headers(path: str, location: str | None) -> None:
    res = auth_sync(Request("GET", BASE + path), make_config())
    assert res.header("content-type") == "text/html; charset=utf-8"
    assert res.header("x-frame-options") == "DENY"
    assert "frame-ancestors 'none'" in (res.header("content-security-policy") or "")
    assert res.header("referrer-policy") == "no-referrer"
    assert res.location == location


def test_error_page_status_and_signin_link() -> None:
    res = auth_sync(Request("GET", BASE + "/error?error=AccessDenied"), make_config())
    assert res.status == 403
    assert f'href="{BASE}/signin"' in res.text
    assert (
        auth_sync(Request("GET", BASE + "/error?error=Configuration"), make_config()).status == 500
    )


def test_signin_page_uses_server_values_not_query() -> None:
    res = auth_sync(
        Request("GET", BASE + "/signin?callbackUrl=https://evil.example&csrfToken=attacker"),
        make_config(),
    )
    assert "attacker" not in res.text
    assert "evil.example" not in res.text


def test_custom_pages_redirects() -> None:
    cfg = make_config(
        pages={
            "sign_in": "/login",
            "sign_out": "/bye",
            "error": "/oops",
            "verify_request": "/check",
        }
    )
    res = auth_sync(Request("GET", BASE + "/signin?error=x%26callbackUrl%3Dhttps://e"), cfg)
    assert (
        res.location == "/login?callbackUrl=http%3A%2F%2Flocalhost%3A3000"
        "&error=x%26callbackUrl%3Dhttps%3A%2F%2Fe"
    )
    assert res.set_cookies  # cookies included
    assert auth_sync(Request("GET", BASE + "/signout"), cfg).location == "/bye"
    res = auth_sync(Request("GET", BASE + "/error?error=a%26b%3Dc"), cfg)
    assert res.location == "/oops?error=a%26b%3Dc"
    assert (
        auth_sync(Request("GET", BASE + "/verify-request?provider=e&type=email"), cfg).location
        == "/check?provider=e&type=email"
    )
    b = Browser(cfg)
    assert b.sign_in(password="no").location == (
        f"{ORIGIN}/login?error=CredentialsSignin&code=credentials"
    )
