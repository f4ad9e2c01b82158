"""The interop harness on its own: real Auth.js against real Auth.js, no authcore involved.

These prove the ``authjs`` fixture (a Node worker running @auth/core 0.41.3 and next-auth v4,
see ``conftest.py`` and docs/interop.md) before Python-vs-Node tests rely on it. Typical use::

    def test_x(authjs: NodeWorker) -> None:
        jwe = authjs.call_ok("v5.encode", token={...}, secret=S, salt=SALT)["jwe"]
        res = authjs.call_ok("v5.auth", method="GET", url=".../auth/session",
                             headers={"cookie": f"authjs.session-token={jwe}"}, config=cfg)
        res["status"], res["headers"], res["body"], res.get("json"), res["logs"]
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from .node_bridge import NodeWorker

pytestmark = pytest.mark.interop

SECRET = "interop-harness-secret-0123456789abcdef"
SALT = "authjs.session-token"
ORIGIN = "http://localhost:3000"
AUTHORIZE_URL = "http://127.0.0.1:9/oauth/authorize"


def config(**extra: Any) -> dict[str, Any]:
    return {
        "secret": SECRET,
        "trustHost": True,
        "basePath": "/auth",
        "providers": [
            {"type": "credentials", "id": "credentials"},
            {
                "type": "instagram",
                "clientId": "client-id",
                "clientSecret": "client-secret",
                "authorization": f"{AUTHORIZE_URL}?scope=user_profile",
                "token": "http://127.0.0.1:9/oauth/access_token",
                "userinfo": "http://127.0.0.1:9/me?fields=id,username",
            },
        ],
        **extra,
    }


def jwe_header(jwe: str) -> dict[str, Any]:
    head = jwe.split(".", maxsplit=1)[0]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    return decoded


def set_cookies(res: dict[str, Any]) -> list[str]:
    return [v for k, v in res["headers"] if k == "set-cookie"]


def header(res: dict[str, Any], name: str) -> str | None:
    values = [v for k, v in res["headers"] if k == name]
    return values[0] if values else None


def cookie_values(res: dict[str, Any]) -> dict[str, str]:
    """name -> raw (still URI-encoded) value of every Set-Cookie in the response."""
    out: dict[str, str] = {}
    for line in set_cookies(res):
        name, _, rest = line.partition("=")
        out[name] = rest.split(";", 1)[0]
    return out


def csrf(authjs: NodeWorker, **cfg: Any) -> tuple[str, str]:
    """(csrfToken, Cookie header carrying the CSRF cookie) from GET /auth/csrf."""
    res = authjs.call_ok("v5.auth", method="GET", url=f"{ORIGIN}/auth/csrf", config=config(**cfg))
    cookie = cookie_values(res)["authjs.csrf-token"]
    return res["json"]["csrfToken"], f"authjs.csrf-token={cookie}"


# -- the worker and the bridge ---------------------------------------------------------------


def test_versions_are_the_pinned_ones(authjs: NodeWorker) -> None:
    v = authjs.call_ok("versions")
    assert v["@auth/core"] == "0.41.3"
    assert re.fullmatch(r"4\.24\.\d+", v["next-auth"])
    assert v["jose"].startswith("6.")
    assert v["next-auth/jose"].startswith("4.")
    assert v["node"].startswith("v")


def test_bad_requests_are_answered_not_fatal(authjs: NodeWorker) -> None:
    assert authjs.call("no.such.command")["error"].startswith("UnknownCommand")
    assert "missing parameter" in authjs.call("v5.encode", token={})["error"]
    assert authjs.call_ok("ping") == {"pong": True}


def test_a_dead_worker_is_restarted(authjs: NodeWorker) -> None:
    with NodeWorker(node=authjs.node) as node:
        proc = node._proc
        assert proc is not None
        proc.kill()
        proc.wait()
        assert node.call_ok("ping") == {"pong": True}
        assert node._proc is not proc


# -- @auth/core JWT (Auth.js `src/jwt.ts`) ---------------------------------------------------------


def test_v5_encode_decode_round_trip(authjs: NodeWorker) -> None:
    token = {"name": "Bob", "email": "bob@x.com", "sub": "1", "nested": {"ü": [1, None]}}
    jwe = authjs.call_ok("v5.encode", token=token, secret=SECRET, salt=SALT, maxAge=60)["jwe"]
    parts = jwe.split(".")
    assert len(parts) == 5 and parts[1] == ""
    header_ = jwe_header(jwe)
    assert list(header_) == ["alg", "enc", "kid"]
    assert header_["alg"] == "dir" and header_["enc"] == "A256CBC-HS512"
    assert len(header_["kid"]) == 86

    payload = authjs.call_ok("v5.decode", token=jwe, secret=SECRET, salt=SALT)["payload"]
    assert {k: payload[k] for k in token} == token
    assert payload["exp"] - payload["iat"] == 60
    assert re.fullmatch(r"[0-9a-f-]{36}", payload["jti"])


def test_v5_decode_rejects_wrong_salt_and_secret_but_rotates(authjs: NodeWorker) -> None:
    jwe = authjs.call_ok("v5.encode", token={"sub": "1"}, secret="old", salt=SALT)["jwe"]
    wrong_salt = authjs.call("v5.decode", token=jwe, secret="old", salt="__Secure-" + SALT)
    assert "no matching decryption secret" in wrong_salt["error"]
    wrong_secret = authjs.call("v5.decode", token=jwe, secret="new", salt=SALT)
    assert "error" in wrong_secret
    rotated = authjs.call_ok("v5.decode", token=jwe, secret=["new", "old"], salt=SALT)
    assert rotated["payload"]["sub"] == "1"


def test_v5_decode_of_garbage_reports_jose_error(authjs: NodeWorker) -> None:
    res = authjs.call("v5.decode", token="a.b.c.d.e", secret=SECRET, salt=SALT)
    assert res["error"].startswith("JWEInvalid: ")
    assert res["code"] == "ERR_JWE_INVALID"


def test_v5_get_token_reads_cookie_and_bearer(authjs: NodeWorker) -> None:
    secure_salt = "__Secure-" + SALT
    jwe = authjs.call_ok("v5.encode", token={"sub": "7"}, secret=SECRET, salt=secure_salt)["jwe"]
    from_cookie = authjs.call_ok(
        "v5.getToken", headers={"cookie": f"{secure_salt}={jwe}"}, secret=SECRET, secureCookie=True
    )
    assert from_cookie["payload"]["sub"] == "7"
    insecure = authjs.call_ok(
        "v5.getToken", headers={"cookie": f"{secure_salt}={jwe}"}, secret=SECRET, secureCookie=False
    )
    assert insecure["payload"] is None
    bearer = authjs.call_ok(
        "v5.getToken", headers={"authorization": f"Bearer {jwe}"}, secret=SECRET, secureCookie=True
    )
    assert bearer["payload"]["sub"] == "7"


# -- @auth/core Auth(): routes, cookies, CSRF, session (docs/dev/authjs-map.md) --------------------


def test_get_csrf_returns_token_and_hashed_cookie(authjs: NodeWorker) -> None:
    res = authjs.call_ok("v5.auth", method="GET", url=f"{ORIGIN}/auth/csrf", config=config())
    assert res["status"] == 200
    token = res["json"]["csrfToken"]
    assert re.fullmatch(r"[0-9a-f]{64}", token)
    assert header(res, "cache-control") == "private, no-cache, no-store"
    csrf_cookie = next(c for c in set_cookies(res) if c.startswith("authjs.csrf-token="))
    assert csrf_cookie.endswith("; Path=/; HttpOnly; SameSite=Lax")
    value = unquote(cookie_values(res)["authjs.csrf-token"])
    assert value == f"{token}|{hashlib.sha256((token + SECRET).encode()).hexdigest()}"


def test_https_request_uses_host_and_secure_prefixes(authjs: NodeWorker) -> None:
    res = authjs.call_ok(
        "v5.auth", method="GET", url="https://example.com/auth/csrf", config=config()
    )
    names = set(cookie_values(res))
    assert names == {"__Host-authjs.csrf-token", "__Secure-authjs.callback-url"}
    assert all("; Secure;" in c for c in set_cookies(res))


def test_get_session_with_v5_token_returns_user_and_rolls_cookie(authjs: NodeWorker) -> None:
    jwe = authjs.call_ok(
        "v5.encode",
        token={"name": "Bob", "email": "bob@x.com", "sub": "1"},
        secret=SECRET,
        salt=SALT,
    )["jwe"]
    res = authjs.call_ok(
        "v5.auth",
        method="GET",
        url=f"{ORIGIN}/auth/session",
        headers={"cookie": f"{SALT}={jwe}"},
        config=config(),
    )
    assert res["status"] == 200
    assert res["json"]["user"] == {"name": "Bob", "email": "bob@x.com"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", res["json"]["expires"])
    rolled = cookie_values(res)[SALT]
    assert rolled != jwe
    again = authjs.call_ok("v5.decode", token=rolled, secret=SECRET, salt=SALT)["payload"]
    assert again["sub"] == "1"


def test_get_session_without_or_with_bad_cookie_is_null(authjs: NodeWorker) -> None:
    none = authjs.call_ok("v5.auth", method="GET", url=f"{ORIGIN}/auth/session", config=config())
    assert (none["status"], none["body"]) == (200, "null")
    bad = authjs.call_ok(
        "v5.auth",
        method="GET",
        url=f"{ORIGIN}/auth/session",
        headers={"cookie": f"{SALT}=garbage"},
        config=config(),
    )
    assert (bad["status"], bad["body"]) == (200, "null")
    assert f"{SALT}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax" in set_cookies(bad)
    assert any(log.get("name") == "JWTSessionError" for log in bad["logs"])


def test_large_session_is_chunked_at_3936(authjs: NodeWorker) -> None:
    big = {"name": "Bob", "email": "bob@x.com", "sub": "1", "blob": "x" * 5000}
    jwe = authjs.call_ok("v5.encode", token=big, secret=SECRET, salt=SALT)["jwe"]
    res = authjs.call_ok(
        "v5.auth",
        method="GET",
        url=f"{ORIGIN}/auth/session",
        headers={"cookie": f"{SALT}={jwe}"},
        config=config(),
    )
    values = cookie_values(res)
    assert values[SALT] == ""  # the unsuffixed cookie of the request is cleared
    n = sum(1 for name in values if name.startswith(f"{SALT}."))
    chunks = [values[f"{SALT}.{i}"] for i in range(n)]
    assert len(chunks) >= 2 and all(len(c) == 3936 for c in chunks[:-1])
    assert 0 < len(chunks[-1]) <= 3936
    cookie = "; ".join(f"{SALT}.{i}={c}" for i, c in enumerate(chunks))
    back = authjs.call_ok("v5.getToken", headers={"cookie": cookie}, secret=SECRET)
    assert back["payload"]["blob"] == big["blob"]


def test_get_providers(authjs: NodeWorker) -> None:
    res = authjs.call_ok("v5.auth", method="GET", url=f"{ORIGIN}/auth/providers", config=config())
    assert res["json"] == {
        "credentials": {
            "id": "credentials",
            "name": "Credentials",
            "type": "credentials",
            "signinUrl": f"{ORIGIN}/auth/signin/credentials",
            "callbackUrl": f"{ORIGIN}/auth/callback/credentials",
        },
        "instagram": {
            "id": "instagram",
            "name": "Instagram",
            "type": "oauth",
            "signinUrl": f"{ORIGIN}/auth/signin/instagram",
            "callbackUrl": f"{ORIGIN}/auth/callback/instagram",
        },
    }
    assert set_cookies(res) == []


@pytest.mark.parametrize(("password", "signed_in"), [("pw", True), ("nope", False)])
def test_post_callback_credentials(authjs: NodeWorker, password: str, signed_in: bool) -> None:
    token, cookie = csrf(authjs)
    res = authjs.call_ok(
        "v5.auth",
        method="POST",
        url=f"{ORIGIN}/auth/callback/credentials",
        headers={"cookie": cookie},
        body={"csrfToken": token, "username": "bob", "password": password},
        config=config(),
    )
    assert res["status"] == 302
    if signed_in:
        assert header(res, "location") == ORIGIN
        session = cookie_values(res)[SALT]
        payload = authjs.call_ok("v5.decode", token=session, secret=SECRET, salt=SALT)["payload"]
        assert (payload["sub"], payload["name"], payload["email"]) == ("1", "Bob", "bob@x.com")
    else:
        assert header(res, "location") == (
            f"{ORIGIN}/auth/signin?error=CredentialsSignin&code=credentials"
        )
        assert SALT not in cookie_values(res)


def test_post_callback_credentials_without_csrf_is_rejected(authjs: NodeWorker) -> None:
    res = authjs.call_ok(
        "v5.auth",
        method="POST",
        url=f"{ORIGIN}/auth/callback/credentials",
        body={"username": "bob", "password": "pw"},
        config=config(),
    )
    assert res["status"] == 302
    assert header(res, "location") == f"{ORIGIN}/auth/signin?error=MissingCSRF"


def test_post_signin_instagram_redirects_with_check_cookies(authjs: NodeWorker) -> None:
    token, cookie = csrf(authjs)
    res = authjs.call_ok(
        "v5.auth",
        method="POST",
        url=f"{ORIGIN}/auth/signin/instagram",
        headers={"cookie": cookie},
        body={"csrfToken": token, "callbackUrl": f"{ORIGIN}/after"},
        config=config(),
    )
    assert res["status"] == 302
    location = header(res, "location")
    assert location is not None and location.startswith(AUTHORIZE_URL + "?")
    query = parse_qs(urlsplit(location).query)
    assert query["client_id"] == ["client-id"]
    assert query["redirect_uri"] == [f"{ORIGIN}/auth/callback/instagram"]
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["scope"] == ["user_profile"]
    values = cookie_values(res)
    assert "authjs.pkce.code_verifier" in values
    assert unquote(values["authjs.callback-url"]) == f"{ORIGIN}/after"
    pkce = authjs.call_ok(
        "v5.decode",
        token=values["authjs.pkce.code_verifier"],
        secret=SECRET,
        salt="authjs.pkce.code_verifier",
    )["payload"]
    # Auth.js `src/lib/actions/callback/oauth/checks.ts`: check cookies carry the provider id
    assert pkce["provider"] == "instagram"


# -- next-auth v4 ----------------------------------------------------------------------------


def test_v4_encode_decode_round_trip(authjs: NodeWorker) -> None:
    jwe = authjs.call_ok("v4.encode", token={"sub": "4", "name": "Ann"}, secret=SECRET, maxAge=90)[
        "jwe"
    ]
    assert jwe_header(jwe) == {"alg": "dir", "enc": "A256GCM"}
    payload = authjs.call_ok("v4.decode", token=jwe, secret=SECRET)["payload"]
    assert (payload["sub"], payload["name"], payload["exp"] - payload["iat"]) == ("4", "Ann", 90)
    assert "error" in authjs.call("v4.decode", token=jwe, secret="other")
    # v4 and v5 tokens are not interchangeable.
    assert "error" in authjs.call("v5.decode", token=jwe, secret=SECRET, salt=SALT)


def test_v4_get_token_reads_cookie_and_bearer(authjs: NodeWorker) -> None:
    jwe = authjs.call_ok("v4.encode", token={"sub": "4"}, secret=SECRET)["jwe"]
    plain = authjs.call_ok(
        "v4.getToken", headers={"cookie": f"next-auth.session-token={jwe}"}, secret=SECRET
    )
    assert plain["payload"]["sub"] == "4"
    secure = authjs.call_ok(
        "v4.getToken",
        headers={"cookie": f"__Secure-next-auth.session-token={jwe}"},
        secret=SECRET,
        secureCookie=True,
    )
    assert secure["payload"]["sub"] == "4"
    bearer = authjs.call_ok(
        "v4.getToken", headers={"Authorization": f"Bearer {jwe}"}, secret=SECRET
    )
    assert bearer["payload"]["sub"] == "4"


@pytest.mark.parametrize("secure", [False, True])
def test_v4_chunked_cookies_round_trip(authjs: NodeWorker, secure: bool) -> None:
    name = ("__Secure-" if secure else "") + "next-auth.session-token"
    res = authjs.call_ok(
        "v4.chunkedCookies",
        token={"sub": "4", "blob": "y" * 7000},
        secret=SECRET,
        maxAge=3600,
        secure=secure,
    )
    names = [c["name"] for c in res["cookies"]]
    assert names == [f"{name}.{i}" for i in range(len(names))] and len(names) >= 2
    sizes = [len(c["value"]) for c in res["cookies"]]
    assert all(s == 3933 for s in sizes[:-1]) and sizes[-1] <= 3933
    assert "".join(c["value"] for c in res["cookies"]) == res["jwe"]
    assert len(res["setCookie"]) == len(names)
    for line in res["setCookie"]:
        assert re.search(r"; Path=/; Expires=[^;]+ GMT; HttpOnly;( Secure;)? SameSite=Lax$", line)
        assert ("; Secure;" in line) is secure
    back = authjs.call_ok(
        "v4.getToken", headers={"cookie": res["cookieHeader"]}, secret=SECRET, secureCookie=secure
    )
    assert back["payload"]["blob"] == "y" * 7000


def test_v4_small_token_is_not_chunked_and_old_chunks_are_cleared(authjs: NodeWorker) -> None:
    res = authjs.call_ok(
        "v4.chunkedCookies",
        token={"sub": "4"},
        secret=SECRET,
        maxAge=60,
        secure=False,
        requestCookie="next-auth.session-token.0=a; next-auth.session-token.1=b",
    )
    assert [(c["name"], c["value"] == "") for c in res["cookies"]] == [
        ("next-auth.session-token.0", True),
        ("next-auth.session-token.1", True),
        ("next-auth.session-token", False),
    ]
    assert (
        res["setCookie"][0]
        == "next-auth.session-token.0=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"
    )
    assert res["cookieHeader"] == f"next-auth.session-token={res['jwe']}"
