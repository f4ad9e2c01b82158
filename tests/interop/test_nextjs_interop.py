"""Sessions minted by the real next-auth@4 and @auth/core@0.41.3 (through the `authjs` Node
worker, see docs/interop.md), read by authcore's read-only adapters through each framework's
test client; and the reverse: authcore-minted v5 tokens accepted by @auth/core."""

from collections.abc import Iterator
from typing import Any

import pytest

from authcore import jwt
from authcore._http import Request
from authcore.nextjs import NextAuthReader
from tests.interop.node_bridge import NodeWorker
from tests.support.nextjs import FRAMEWORKS, Caller, api

pytestmark = pytest.mark.interop

SECRET = "nextjs-interop-secret-0123456789abcdef"
OLD = "nextjs-interop-old-secret-0123456789ab"
BIG = {
    "sub": "42",
    "name": "Big Bob",
    "email": "big@x.com",
    "roles": [f"role-{i:05d}-{'x' * 8}" for i in range(200)],
}


@pytest.fixture(params=FRAMEWORKS)
def call(request: pytest.FixtureRequest) -> Iterator[Caller]:
    with api(request.param, {"secret": [SECRET, OLD]}) as caller:
        yield caller


def set_cookie_pairs(set_cookies: list[str]) -> list[tuple[str, str]]:
    """What a browser keeps from Set-Cookie headers: live cookies, name=value as sent."""
    out: dict[str, str] = {}
    for line in set_cookies:
        pair = line.split(";", 1)[0]
        name, _, value = pair.partition("=")
        if value and "max-age=0" not in line.lower():
            out[name] = value
        else:
            out.pop(name, None)
    return list(out.items())


def header_of(pairs: list[tuple[str, str]]) -> str:
    return "; ".join(f"{k}={v}" for k, v in pairs)


def v5_config(secret: str | list[str], **extra: Any) -> dict[str, Any]:
    return {
        "secret": secret,
        "trustHost": True,
        "basePath": "/api/auth",
        "providers": [{"type": "credentials", "id": "credentials"}],
        **extra,
    }


def set_cookies_of(res: dict[str, Any]) -> list[str]:
    return [v for k, v in res["headers"] if k.lower() == "set-cookie"]


def v5_sign_in(
    authjs: NodeWorker, *, secret: str | list[str], origin: str = "http://localhost:3000"
) -> tuple[list[tuple[str, str]], str]:
    """A real credentials sign-in against @auth/core: (browser cookies, csrfToken)."""
    cfg = v5_config(secret)
    csrf = authjs.call_ok("v5.auth", method="GET", url=f"{origin}/api/auth/csrf", config=cfg)
    token = csrf["json"]["csrfToken"]
    jar = set_cookie_pairs(set_cookies_of(csrf))
    res = authjs.call_ok(
        "v5.auth",
        method="POST",
        url=f"{origin}/api/auth/callback/credentials",
        headers={"cookie": header_of(jar)},
        body={"csrfToken": token, "password": "pw"},
        config=cfg,
    )
    assert res["status"] == 302, res
    merged = dict(jar) | dict(set_cookie_pairs(set_cookies_of(res)))
    return list(merged.items()), token


def v5_chunked(authjs: NodeWorker, *, secret: str, origin: str) -> list[tuple[str, str]]:
    """Auth.js's own chunking: GET /session re-issues a big token as `.0`, `.1`, ... cookies."""
    secure = origin.startswith("https")
    name = ("__Secure-" if secure else "") + "authjs.session-token"
    big = authjs.call_ok("v5.encode", token=BIG, secret=secret, salt=name)["jwe"]
    res = authjs.call_ok(
        "v5.auth",
        method="GET",
        url=f"{origin}/api/auth/session",
        headers={"cookie": f"{name}={big}"},
        config=v5_config(secret),
    )
    assert res["json"]["user"]["email"] == "big@x.com"
    jar = set_cookie_pairs(set_cookies_of(res))
    jar = [(k, v) for k, v in jar if k.startswith(name)]
    assert [k for k, _ in jar] == [f"{name}.0", f"{name}.1"]
    return jar


# -- @auth/core (v5) --------------------------------------------------------------------------


@pytest.mark.parametrize("origin", ["http://localhost:3000", "https://app.example"])
@pytest.mark.parametrize("minted_with", [SECRET, OLD, [SECRET, OLD]])
def test_v5_signed_in_session(
    authjs: NodeWorker, call: Caller, origin: str, minted_with: str | list[str]
) -> None:
    jar, csrf_token = v5_sign_in(authjs, secret=minted_with, origin=origin)
    names = [k for k, _ in jar]
    prefix = "__Secure-" if origin.startswith("https") else ""
    assert f"{prefix}authjs.session-token" in names
    assert ("__Host-" if prefix else "") + "authjs.csrf-token" in names
    cookie = header_of(jar)
    res = call("GET", "/private", cookie)
    assert res.status == 200, res.body
    assert res.body == {"email": "bob@x.com", "sub": "1", "gen": "v5"}
    assert call("GET", "/private-async", cookie).status == 200
    # The CSRF cookie Auth.js set and the token its /csrf returned pass our double-submit check
    # (with a list of secrets Auth.js hashes them comma-joined, Auth.js
    # `src/lib/actions/callback/oauth/csrf-token.ts`).
    assert call("POST", "/items", cookie, {"X-CSRF-Token": csrf_token}).status == 200
    assert call("POST", "/items", cookie, {"X-CSRF-Token": "0" * 64}).status == 403
    assert call("POST", "/items", cookie).status == 403


@pytest.mark.parametrize("origin", ["http://localhost:3000", "https://app.example"])
def test_v5_chunked_session(authjs: NodeWorker, call: Caller, origin: str) -> None:
    jar = v5_chunked(authjs, secret=OLD, origin=origin)
    res = call("GET", "/token", header_of(list(reversed(jar))))
    assert res.status == 200
    assert res.body["token"]["roles"] == BIG["roles"]
    # what @auth/core's own getToken makes of the same cookies
    mine = res.body["token"]
    theirs = authjs.call_ok(
        "v5.getToken",
        headers={"cookie": header_of(jar)},
        secret=OLD,
        secureCookie=origin.startswith("https"),
    )["payload"]
    assert theirs == mine


def test_v5_bearer_tampered_expired_wrong_secret(authjs: NodeWorker, call: Caller) -> None:
    salt = "authjs.session-token"
    good = authjs.call_ok("v5.encode", token=BIG, secret=SECRET, salt=salt)["jwe"]
    assert call("GET", "/private", headers={"Authorization": f"Bearer {good}"}).status == 200
    expired = authjs.call_ok("v5.encode", token=BIG, secret=SECRET, salt=salt, maxAge=-60)["jwe"]
    wrong = authjs.call_ok("v5.encode", token=BIG, secret="z" * 40, salt=salt)["jwe"]
    head, ek, iv, ct, tag = good.split(".")
    tampered = ".".join((head, ek, iv, ct[:10] + ("A" if ct[10] != "A" else "B") + ct[11:], tag))
    for bad in (expired, wrong, tampered):
        assert call("GET", "/private", f"{salt}={bad}").status == 401
        assert call("GET", "/me", f"{salt}={bad}").body == {"session": None}


def test_v5_reasons(authjs: NodeWorker) -> None:
    salt = "authjs.session-token"
    expired = authjs.call_ok("v5.encode", token=BIG, secret=SECRET, salt=salt, maxAge=-60)["jwe"]
    reader = NextAuthReader([SECRET, OLD])
    result = reader.inspect(Request("GET", "http://x/", {"cookie": f"{salt}={expired}"}))
    assert result.reason == "expired"
    # @auth/core's own getToken agrees there is no session
    assert (
        authjs.call_ok("v5.getToken", headers={"cookie": f"{salt}={expired}"}, secret=SECRET)[
            "payload"
        ]
        is None
    )


# -- next-auth v4 -----------------------------------------------------------------------------


@pytest.mark.parametrize("secure", [False, True])
@pytest.mark.parametrize("claims", [{"sub": "7", "name": "Vee", "email": "v@x.com"}, BIG])
@pytest.mark.parametrize("minted_with", [SECRET, OLD])
def test_v4_sessions(
    authjs: NodeWorker, call: Caller, secure: bool, claims: dict[str, Any], minted_with: str
) -> None:
    out = authjs.call_ok("v4.chunkedCookies", token=claims, secret=minted_with, secure=secure)
    names = [c["name"] for c in out["cookies"] if c["value"]]
    base = ("__Secure-" if secure else "") + "next-auth.session-token"
    if claims is BIG:
        assert names == [f"{base}.0", f"{base}.1"]
    else:
        assert names == [base]
    res = call("GET", "/token", out["cookieHeader"])
    assert res.status == 200
    assert res.body["token"]["email"] == claims["email"]
    assert res.body["token"].get("roles") == claims.get("roles")
    private = call("GET", "/private", out["cookieHeader"])
    assert private.status == 200 and private.body["gen"] == "v4"
    # next-auth's own getToken reads the same cookies to the same claims
    theirs = authjs.call_ok(
        "v4.getToken",
        headers={"cookie": out["cookieHeader"]},
        secret=minted_with,
        secureCookie=secure,
    )["payload"]
    assert theirs == res.body["token"]


def test_v4_bearer_tampered_expired_wrong_secret(authjs: NodeWorker, call: Caller) -> None:
    claims = {"sub": "7", "email": "v@x.com"}
    good = authjs.call_ok("v4.encode", token=claims, secret=OLD)["jwe"]
    res = call("GET", "/private", headers={"Authorization": f"Bearer {good}"})
    assert res.status == 200 and res.body["gen"] == "v4"
    expired = authjs.call_ok("v4.encode", token=claims, secret=SECRET, maxAge=-60)["jwe"]
    wrong = authjs.call_ok("v4.encode", token=claims, secret="z" * 40)["jwe"]
    head, ek, iv, ct, tag = good.split(".")
    tampered = ".".join((head, ek, iv, ct, tag[:-2] + ("AA" if tag[-2:] != "AA" else "BA")))
    for bad in (expired, wrong, tampered):
        assert call("GET", "/private", f"next-auth.session-token={bad}").status == 401


def test_v4_and_v5_tokens_do_not_cross(authjs: NodeWorker) -> None:
    v4_token = authjs.call_ok("v4.encode", token={"sub": "1"}, secret=SECRET)["jwe"]
    v5_token = authjs.call_ok(
        "v5.encode", token={"sub": "1"}, secret=SECRET, salt="authjs.session-token"
    )["jwe"]
    reader = NextAuthReader(SECRET)
    # A v4 token under the v5 name (and vice versa) is not a session: each is read with its
    # own key derivation only.
    assert reader.read(Request("GET", "/", {"cookie": f"authjs.session-token={v4_token}"})) is None
    assert (
        reader.read(Request("GET", "/", {"cookie": f"next-auth.session-token={v5_token}"})) is None
    )


# -- authcore-minted tokens in @auth/core -----------------------------------------------------


@pytest.mark.parametrize("origin", ["http://localhost:3000", "https://app.example"])
def test_authcore_minted_v5_token_is_an_authjs_session(authjs: NodeWorker, origin: str) -> None:
    name = ("__Secure-" if origin.startswith("https") else "") + "authjs.session-token"
    token = jwt.encode(
        token={"sub": "py-1", "name": "Py", "email": "py@x.com", "picture": "https://i/p.png"},
        secret=SECRET,
        salt=name,
    )
    res = authjs.call_ok(
        "v5.auth",
        method="GET",
        url=f"{origin}/api/auth/session",
        headers={"cookie": f"{name}={token}"},
        config=v5_config([OLD, SECRET]),
    )
    assert res["json"]["user"] == {"name": "Py", "email": "py@x.com", "image": "https://i/p.png"}
    # Auth.js re-issued the session sealed with its first secret (OLD here): authcore reads it
    # with the same list, and not with the secret it minted with alone.
    reissued = Request("GET", "/", {"cookie": header_of(set_cookie_pairs(set_cookies_of(res)))})
    session = NextAuthReader([SECRET, OLD]).read(reissued)
    assert session is not None and session.user.id == "py-1"
    assert NextAuthReader(SECRET).inspect(reissued).reason == "invalid_token"
