"""Wire compatibility with the real @auth/core 0.41.3 (through the Node worker)."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import pytest

from authcore import Request, auth_sync
from tests.interop.node_bridge import NodeWorker
from tests.support.core import Browser, make_config

pytestmark = pytest.mark.interop

SECRET = "interop-core-secret-0123456789abcdef0123"
ORIGIN = "http://localhost:3000"
USER = {"name": "Jane Doe", "email": "jane@example.com", "picture": "https://cdn.example/j.png"}


def node_config(**extra: Any) -> dict[str, Any]:
    return {
        "secret": SECRET,
        "trustHost": True,
        "basePath": "/api/auth",
        "providers": [{"type": "credentials", "id": "credentials"}],
        **extra,
    }


def node_set_cookies(res: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in res["headers"]:
        if k == "set-cookie":
            name, _, rest = v.partition("=")
            out[name] = rest.split(";", 1)[0]
    return out


def ours(cookie: str, secret: str | list[str] = SECRET, origin: str = ORIGIN) -> Any:
    cfg = make_config(secret=secret, url=origin)
    return auth_sync(Request("GET", f"{origin}/api/auth/session", {"cookie": cookie}), cfg)


def test_authcore_session_is_read_by_authjs(authjs: NodeWorker) -> None:
    b = Browser(make_config(secret=SECRET))
    b.sign_in(username="Bob")
    cookie = f"authjs.session-token={b.jar['authjs.session-token']}"
    res = authjs.call_ok(
        "v5.auth",
        method="GET",
        url=f"{ORIGIN}/api/auth/session",
        headers={"cookie": cookie},
        config=node_config(),
    )
    assert res["status"] == 200
    assert res["json"]["user"] == {"name": "Bob", "email": "bob@x.com"}


@pytest.mark.parametrize("secure", [False, True])
def test_authjs_token_is_read_by_authcore(authjs: NodeWorker, secure: bool) -> None:
    name = ("__Secure-" if secure else "") + "authjs.session-token"
    jwe = authjs.call_ok("v5.encode", token={**USER, "sub": "u1"}, secret=SECRET, salt=name)["jwe"]
    origin = "https://app.example.test" if secure else ORIGIN
    res = ours(f"{name}={jwe}", origin=origin)
    assert res.json()["user"] == {
        "name": "Jane Doe",
        "email": "jane@example.com",
        "image": "https://cdn.example/j.png",
    }


def test_authjs_chunked_cookies_are_read_by_authcore(authjs: NodeWorker) -> None:
    big = {**USER, "sub": "u1", "blob": "x" * 5000}
    jwe = authjs.call_ok("v5.encode", token=big, secret=SECRET, salt="authjs.session-token")["jwe"]
    res = authjs.call_ok(
        "v5.auth",
        method="GET",
        url=f"{ORIGIN}/api/auth/session",
        headers={"cookie": f"authjs.session-token={jwe}"},
        config=node_config(),
    )
    chunks = {
        k: v for k, v in node_set_cookies(res).items() if k.startswith("authjs.session-token.")
    }
    assert sorted(chunks) == ["authjs.session-token.0", "authjs.session-token.1"]
    header = "; ".join(f"{k}={v}" for k, v in chunks.items())
    assert ours(header).json()["user"]["name"] == "Jane Doe"
    # and our chunks back to Auth.js
    mine = ours(header)
    back = {k: v for k, v in node_set_cookies_of(mine).items() if "session-token." in k}
    res = authjs.call_ok(
        "v5.auth",
        method="GET",
        url=f"{ORIGIN}/api/auth/session",
        headers={"cookie": "; ".join(f"{k}={v}" for k, v in back.items())},
        config=node_config(),
    )
    assert res["json"]["user"]["name"] == "Jane Doe"


def node_set_cookies_of(response: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in response.set_cookies:
        name, _, rest = line.partition("=")
        out[name] = rest.split(";", 1)[0]
    return out


def test_authjs_rotated_secret_token_is_read(authjs: NodeWorker) -> None:
    old = "old-rotation-secret-111111111111111"
    jwe = authjs.call_ok(
        "v5.encode", token={**USER, "sub": "u1"}, secret=[old], salt="authjs.session-token"
    )["jwe"]
    res = ours(f"authjs.session-token={jwe}", secret=[SECRET, old])
    assert res.json()["user"]["name"] == "Jane Doe"


def test_authjs_csrf_cookie_accepted_by_authcore(authjs: NodeWorker) -> None:
    res = authjs.call_ok(
        "v5.auth", method="GET", url=f"{ORIGIN}/api/auth/csrf", config=node_config()
    )
    token = res["json"]["csrfToken"]
    cookie = f"authjs.csrf-token={node_set_cookies(res)['authjs.csrf-token']}"
    out = auth_sync(
        Request(
            "POST",
            f"{ORIGIN}/api/auth/signout",
            {"cookie": cookie, "content-type": "application/x-www-form-urlencoded"},
            f"csrfToken={token}".encode(),
        ),
        make_config(secret=SECRET),
    )
    assert out.location == ORIGIN


@pytest.mark.parametrize("secret", [SECRET, [SECRET, "older-secret-2222222222222222"]])
def test_authcore_csrf_cookie_accepted_by_authjs(
    authjs: NodeWorker,
    secret: str | list[str],
) -> None:
    b = Browser(make_config(secret=secret))
    token = b.csrf()
    cookie = f"authjs.csrf-token={b.cookie_header().split('authjs.csrf-token=')[1].split(';')[0]}"
    res = authjs.call_ok(
        "v5.auth",
        method="POST",
        url=f"{ORIGIN}/api/auth/signout",
        headers={"cookie": cookie, "content-type": "application/x-www-form-urlencoded"},
        body=f"csrfToken={token}",
        config=node_config(secret=secret),
    )
    assert res["status"] == 302
    location = dict(res["headers"]).get("location", "")
    assert "MissingCSRF" not in location, unquote(location)
