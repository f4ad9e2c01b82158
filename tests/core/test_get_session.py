"""`get_session` / `read_session` (authcore._session) read the session directly, and answer
exactly what `GET /session` answers for the same cookies: body, session cookies, callbacks,
errors, on both strategies."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from authcore import Request, Response, auth_sync, get_session, get_session_async, jwt
from authcore._cookies import CHUNK_SIZE
from authcore._session import read_session, read_session_async, token_of
from authcore.providers.github import GitHub
from authcore.stores.memory import MemoryStore
from tests.support.core import BASE, ORIGIN, SECRET, Clock, make_config
from tests.support.security import RecordingLogger

SALT = "authjs.session-token"
SECURE = "__Secure-authjs.session-token"


def _token(clock: Clock, payload: dict[str, Any], salt: str = SALT) -> str:
    return jwt.encode(token=payload, secret=SECRET, salt=salt, now=clock.now)


def _endpoint(cfg: dict[str, Any], headers: dict[str, str], origin: str = ORIGIN) -> Response:
    return auth_sync(Request("GET", f"{origin}/api/auth/session", headers), cfg)


def _comparable(set_cookies: list[str], name: str) -> tuple[list[tuple[str, str]], Any]:
    """The session cookies' names and attributes, and the value they carry; a re-issued JWT
    (encrypted anew, with a new `jti`, so never the same bytes) is compared by its claims."""
    cookies: list[tuple[str, str]] = []
    value = ""
    for line in set_cookies:
        cookie, _, attributes = line.partition(";")
        key, _, part = cookie.partition("=")
        if key.startswith(name):
            cookies.append((key, attributes))
            value += part
    try:
        claims: Any = jwt.decode(token=value, secret=SECRET, salt=name, now=0)
    except Exception:
        return cookies, value
    return cookies, {k: v for k, v in claims.items() if k != "jti"}


def _same_as_endpoint(
    cfg: dict[str, Any],
    headers: dict[str, str],
    *,
    page: str = "/dashboard?tab=1",
    origin: str = ORIGIN,
    name: str = SALT,
) -> Any:
    """read_session on an app page (sync and async) against GET /session with the same
    headers; both read the clock at the same instant (a frozen Clock)."""
    read = read_session(Request("GET", origin + page, headers), cfg)
    read_async = asyncio.run(read_session_async(Request("GET", origin + page, headers), cfg))
    res = _endpoint(cfg, headers, origin)
    assert res.status == 200
    expected = json.loads(res.body)
    assert read.session == expected == read_async.session
    cookies = _comparable(res.set_cookies, name)
    assert _comparable(read.set_cookies, name) == cookies
    assert _comparable(read_async.set_cookies, name) == cookies
    assert len(read.set_cookies) == len(cookies[0])  # nothing but the session cookies
    return expected


def test_jwt_session_equals_the_endpoint_with_callbacks() -> None:
    clock = Clock()
    calls: list[str] = []

    def on_jwt(token: dict[str, Any], **_: Any) -> dict[str, Any]:
        calls.append("jwt")
        return {**token, "role": "admin"}

    def on_session(session: dict[str, Any], token: dict[str, Any]) -> dict[str, Any]:
        calls.append("session")
        return {**session, "role": token["role"], "ids": (1, 2)}

    cfg = make_config(clock=clock, callbacks={"jwt": on_jwt, "session": on_session})
    cookie = {"cookie": f"{SALT}={_token(clock, {'name': 'Ann', 'sub': '7'})}"}
    session = _same_as_endpoint(cfg, cookie)
    assert session["role"] == "admin" and session["ids"] == [1, 2]
    assert session["user"] == {"name": "Ann"}
    assert calls == ["jwt", "session"] * 3  # once per read, sync, async and the endpoint
    rolled = read_session(Request("GET", ORIGIN + "/", cookie), cfg).set_cookies
    (line,) = rolled
    payload = jwt.decode(
        token=line.split("=", 1)[1].split(";", 1)[0], secret=SECRET, salt=SALT, now=clock.now
    )
    assert payload["role"] == "admin"  # what the jwt callback changed goes back


@pytest.mark.parametrize(
    "cookie",
    [
        "",
        f"{SALT}=garbage",
        f"{SALT}=a; {SALT}=b",
        f"{SALT}.0=abc",
        "other=1",
    ],
)
def test_signed_out_and_bad_cookies_equal_the_endpoint(cookie: str) -> None:
    cfg = make_config(clock=Clock())
    assert _same_as_endpoint(cfg, {"cookie": cookie} if cookie else {}) is None


def test_chunked_session_equals_the_endpoint() -> None:
    clock = Clock()
    cfg = make_config(clock=clock)
    value = _token(clock, {"name": "x" * (CHUNK_SIZE * 2)})
    parts = [value[i : i + CHUNK_SIZE] for i in range(0, len(value), CHUNK_SIZE)]
    cookie = "; ".join(f"{SALT}.{i}={p}" for i, p in enumerate(parts))
    assert _same_as_endpoint(cfg, {"cookie": cookie})["user"]["name"] == "x" * (CHUNK_SIZE * 2)


def test_a_failing_session_callback_is_none_and_logged() -> None:
    def boom(**_: Any) -> Any:
        raise RuntimeError("boom")

    clock, logger = Clock(), RecordingLogger()
    cfg = make_config(clock=clock, callbacks={"session": boom}, logger=logger)
    assert _same_as_endpoint(cfg, {"cookie": f"{SALT}={_token(clock, {'name': 'x'})}"}) is None
    assert len(logger.errors) == 3


def _database(clock: Clock, **extra: Any) -> tuple[dict[str, Any], MemoryStore, str]:
    store = MemoryStore()
    store.create_user({"id": "u1", "name": "Ann", "email": "ann@x.com", "email_verified": None})
    # Expiring in max_age (30 days): no extension due, so every read reports the same expiry.
    expires = datetime.fromtimestamp(clock.now, timezone.utc) + timedelta(days=30)
    store.create_session({"session_token": "tok-1", "user_id": "u1", "expires": expires})
    cfg: dict[str, Any] = {
        "secret": SECRET,
        "env": {},
        "clock": clock,
        "adapter": store,
        "session": {"strategy": "database"},
        "providers": [GitHub(client_id="id", client_secret="s")],
        **extra,
    }
    return cfg, store, "tok-1"


def test_database_session_equals_the_endpoint_with_the_session_callback() -> None:
    clock = Clock()
    seen: list[Any] = []

    def on_session(session: dict[str, Any], user: Any = None, **_: Any) -> dict[str, Any]:
        seen.append(user["id"])
        return {**session, "uid": user["id"]}

    cfg, _, token = _database(clock, callbacks={"session": on_session})
    session = _same_as_endpoint(cfg, {"cookie": f"{SALT}={token}"})
    assert session["user"] == {"name": "Ann", "email": "ann@x.com", "image": None}
    assert session["uid"] == "u1" and seen == ["u1"] * 3


def test_database_expired_or_unknown_session_equals_the_endpoint() -> None:
    clock = Clock()
    cfg, store, token = _database(clock)
    assert _same_as_endpoint(cfg, {"cookie": f"{SALT}=unknown"}) is None
    clock.now += 31 * 24 * 3600
    read = read_session(Request("GET", ORIGIN + "/", {"cookie": f"{SALT}={token}"}), cfg)
    assert read.session is None
    assert read.set_cookies == [f"{SALT}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"]
    assert store.get_session_and_user(token) is None  # deleted on read, as the endpoint does


def test_database_failing_store_is_none_and_keeps_the_cookie() -> None:
    clock = Clock()
    cfg, store, token = _database(clock)

    def broken(session_token: str) -> Any:
        raise ConnectionError("store down")

    store.get_session_and_user = broken  # type: ignore[method-assign]
    read = read_session(Request("GET", ORIGIN + "/", {"cookie": f"{SALT}={token}"}), cfg)
    assert read.session is None and read.set_cookies == []
    assert _endpoint(cfg, {"cookie": f"{SALT}={token}"}).body == b"null"


def test_refusals_of_the_endpoint_are_none() -> None:
    clock = Clock()
    cfg = make_config(clock=clock)
    cookie = f"{SALT}={_token(clock, {'name': 'x'})}"
    untrusted = Request("GET", "https://example.com/page", {"cookie": cookie})
    assert get_session(untrusted, cfg) is None
    assert _endpoint(cfg, {"cookie": cookie}, origin="https://example.com").status == 500
    huge = {"cookie": cookie + "; pad=" + "x" * 17000}
    assert get_session(Request("GET", ORIGIN + "/", huge), cfg) is None
    assert _endpoint(cfg, huge).status == 400
    assert get_session(Request("GET", "ftp://localhost/", {"cookie": cookie}), cfg) is None
    assert get_session(Request("GET", ORIGIN + "/", {"cookie": cookie}), cfg) == {
        "user": {"name": "x"},
        "expires": json.loads(_endpoint(cfg, {"cookie": cookie}).body)["expires"],
    }


def test_an_app_post_with_a_body_still_reads_the_session() -> None:
    clock = Clock()
    cfg = make_config(clock=clock)
    headers = {
        "cookie": f"{SALT}={_token(clock, {'name': 'x'})}",
        "content-type": "application/json",
    }
    req = Request("POST", ORIGIN + "/orders", headers, b"[not json")
    assert get_session(req, cfg) == json.loads(_endpoint(cfg, headers).body)
    assert asyncio.run(get_session_async(req, cfg)) == get_session(req, cfg)


def test_behind_a_tls_proxy_the_secure_cookie_is_read_and_rolled() -> None:
    """trust_host and X-Forwarded-Proto: https make the endpoint use the `__Secure-` cookie;
    the helpers name the same cookie (the one origin decides for both)."""
    clock = Clock()
    cfg = make_config(clock=clock, trust_host=True)
    headers = {
        "cookie": f"{SECURE}={_token(clock, {'name': 'x'}, salt=SECURE)}",
        "x-forwarded-proto": "https",
        "x-forwarded-host": "app.example",
    }
    req = Request("GET", "http://internal:8000/page", headers)
    session = _same_as_endpoint(cfg, headers, origin="http://internal:8000", name=SECURE)
    assert session == {"user": {"name": "x"}, "expires": session["expires"]}
    assert len(read_session(req, cfg).set_cookies) == 1
    token = token_of(req, cfg)
    assert token is not None and token["name"] == "x"


def test_base_url_of_the_request_plays_no_part() -> None:
    clock = Clock()
    cfg = make_config(clock=clock)
    headers = {"cookie": f"{SALT}={_token(clock, {'name': 'x'})}"}
    for page in ("/", "/api/auth/signin", "/x?" + "q=1&" * 50, BASE[len(ORIGIN) :] + "/nope"):
        assert _same_as_endpoint(cfg, headers, page=page) is not None


def test_database_read_extends_the_row_as_the_endpoint_does() -> None:
    clock = Clock()
    cfg, store, token = _database(clock)
    clock.now += 2 * 24 * 3600  # 28 days left: an extension is due (update_age, 1 day)
    read = read_session(Request("GET", ORIGIN + "/", {"cookie": f"{SALT}={token}"}), cfg)
    assert read.session is not None
    assert read.session["expires"] == "2027-02-14T08:00:00.000Z"  # the expiry read first
    found = store.get_session_and_user(token)
    assert found is not None
    assert found["session"]["expires"] == datetime.fromtimestamp(
        clock.now + 30 * 24 * 3600, timezone.utc
    )
    (line,) = read.set_cookies
    assert line.startswith(f"{SALT}={token};") and "Expires=Tue, 16 Feb 2027 08:00:00 GMT" in line
