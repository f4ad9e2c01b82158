"""The GET /session fast path (`authcore/actions/_fast_session.py`) answers exactly as the
normal path (`dispatch` through `init` and `session.read`): same status, headers, body and
log calls, for many configs and cookie jars, under the JWT and the database strategy (then
also the same store calls and the same rows after). Randomness (CSRF token, JWE IV, `jti`)
is made the same for both runs by seeding `os.urandom` identically before each."""

from __future__ import annotations

import asyncio
import itertools
import os
import random
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

import pytest

from authcore import Auth, Request, Response, auth_sync, jwt
from authcore._core import _fast_flow, _run, drive_with_async, drive_with_sync
from authcore._csrf import csrf_hash
from authcore._normalise import normalise
from authcore.actions._fast_session import fast_eligible, fast_session
from authcore.providers.github import GitHub
from authcore.stores.memory import AsyncMemoryStore, MemoryStore
from tests.support.core import SECRET, Clock, make_config

OLD_SECRET = "core-test-old-secret-abcdef0123456789abcdef01"
CLAIMS = {"name": "Bob", "email": "b@x", "picture": None, "sub": "1", "extra": "é✓"}


class _Log:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def error(self, error: BaseException) -> None:
        self.calls.append(("error", f"{type(error).__name__}: {error}"))

    def warn(self, code: str) -> None:
        self.calls.append(("warn", code))

    def debug(self, message: str, metadata: Any = None) -> None:
        self.calls.append(("debug", f"{message} {metadata!r}"))


def _configs(clock: Clock) -> dict[str, dict[str, Any]]:
    return {
        "default": make_config(clock=clock),
        "debug": make_config(clock=clock, debug=True),
        "trust_host": make_config(clock=clock, trust_host=True),
        "rotated": make_config(clock=clock, secret=[SECRET, OLD_SECRET]),
        "update_age": make_config(clock=clock, session={"jwt_reissue": "update_age"}),
        "short_max_age": make_config(clock=clock, session={"max_age": 60, "update_age": 10}),
        "url": make_config(clock=clock, url="https://app.example.com/api/auth"),
        "secure_forced": make_config(clock=clock, use_secure_cookies=True),
        "insecure_forced": make_config(clock=clock, trust_host=True, use_secure_cookies=False),
        "skip_csrf": make_config(clock=clock, skip_csrf_check=True),
        "small_limits": make_config(
            clock=clock, limits={"max_cookie_header_bytes": 4096, "max_token_chars": 3000}
        ),
    }


def _token(clock: Clock, *, secret: str = SECRET, salt: str, age: float = 0, **extra: Any) -> str:
    return jwt.encode(
        token={**CLAIMS, **extra}, secret=secret, salt=salt, now=clock.now - age, max_age=3600
    )


def _jars(clock: Clock, prefix: str, origin: str) -> dict[str, str]:
    salt = f"{prefix}authjs.session-token"
    csrf_name = f"{prefix}authjs.csrf-token"
    cb_name = f"{prefix}authjs.callback-url"
    good = _token(clock, salt=salt)
    big = _token(clock, salt=salt, blob="x" * 5000)
    csrf_ok = f"abc|{csrf_hash('abc', SECRET)}"
    return {
        "empty": "",
        "signed_in": f"{salt}={good}",
        "old_secret": f"{salt}={_token(clock, secret=OLD_SECRET, salt=salt)}",
        "young": f"{salt}={_token(clock, salt=salt, age=5)}",
        "old": f"{salt}={_token(clock, salt=salt, age=90_000)}",
        "expired": f"{salt}={_token(clock, salt=salt, age=10_000)}",
        "wrong_salt": f"{salt}={_token(clock, salt='other')}",
        "tampered": f"{salt}={good[:-5]}AAAAA",
        "garbage": f"{salt}=not-a-token",
        "duplicated": f"{salt}={good}; {salt}={good}",
        "chunked": f"{salt}.0={big[:3000]}; {salt}.1={big[3000:]}",
        "chunk_gap": f"{salt}.1={big[:3000]}; {salt}.0={big[3000:]}",
        "plain_and_chunk": f"{salt}={good}; {salt}.0={good}",
        "lone_chunk": f"{salt}.0={good}",
        "too_big": f"{salt}={big}",
        "csrf_ok": f"{csrf_name}={quote(csrf_ok)}; {salt}={good}",
        "csrf_bad": f"{csrf_name}=abc%7Cdeadbeef; {salt}={good}",
        "csrf_dup": f"{csrf_name}={quote(csrf_ok)}; {csrf_name}={quote(csrf_ok)}",
        "cb_same": f"{cb_name}={quote(origin + '/dashboard')}; {salt}={good}",
        "cb_origin": f"{cb_name}={quote(origin)}; {csrf_name}={quote(csrf_ok)}; {salt}={good}",
        "cb_path": f"{cb_name}=%2Fhome; {salt}={good}",
        "cb_foreign": f"{cb_name}={quote('https://evil.example/x')}",
        "cb_js": f"{cb_name}={quote('javascript:alert(1)')}; {salt}={good}",
        "cb_dup": f"{cb_name}=%2Fa; {cb_name}=%2Fb",
        "huge_header": f"{salt}={good}; filler={'f' * 15_000}",
        "malformed": f"{salt}; ===; {salt}.x=1",
    }


_REQUESTS: dict[str, tuple[str, str, dict[str, str]]] = {
    "local": ("GET", "http://localhost:3000/api/auth/session", {}),
    "https_forwarded": (
        "GET",
        "http://app.internal/api/auth/session",
        {"x-forwarded-proto": "https", "x-forwarded-host": "app.example.com"},
    ),
    "untrusted_host": ("GET", "http://app.example.com/api/auth/session", {}),
    "query": ("GET", "http://localhost:3000/api/auth/session?x=1", {}),
    "callback_query": ("GET", "http://localhost:3000/api/auth/session?callbackUrl=%2Fz", {}),
    "post": ("POST", "http://localhost:3000/api/auth/session", {}),
    "csrf": ("GET", "http://localhost:3000/api/auth/csrf", {}),
    "trailing_slash": ("GET", "http://localhost:3000/api/auth/session/", {}),
    "bad_url": ("GET", "http://exa mple/api/auth/session", {}),
}


def _seeded(seed: int) -> Callable[[int], bytes]:
    rng = random.Random(seed)
    return rng.randbytes


def _answer(response: Response) -> tuple[int, list[tuple[str, str]], bytes]:
    return response.status, list(response.headers), response.body


def _both(
    monkeypatch: pytest.MonkeyPatch, config: dict[str, Any], request: Request
) -> tuple[Any, Any, list[tuple[str, str]], list[tuple[str, str]]]:
    log = _Log()
    options = normalise({**config, "logger": log})
    log.calls = []  # what normalising said (the debug warning) is no part of the request
    monkeypatch.setattr(os, "urandom", _seeded(7))
    fast = fast_session(request, options)
    fast_log, log.calls = log.calls, []
    monkeypatch.setattr(os, "urandom", _seeded(7))
    normal = drive_with_sync(_run(request, options), options)
    return fast, normal, fast_log, log.calls


@pytest.mark.parametrize("request_name", sorted(_REQUESTS))
@pytest.mark.parametrize("config_name", sorted(_configs(Clock())))
def test_fast_path_answers_exactly_as_the_normal_path(
    monkeypatch: pytest.MonkeyPatch, config_name: str, request_name: str
) -> None:
    clock = Clock()
    config = _configs(clock)[config_name]
    method, url, extra = _REQUESTS[request_name]
    secure = config_name in ("secure_forced", "url") or (
        request_name == "https_forwarded" and config_name == "trust_host"
    )
    prefix = "__Secure-" if secure else ""
    origin = "https://app.example.com" if "https" in url or config_name == "url" else ""
    origin = origin or "http://localhost:3000"
    taken = 0
    for jar_name, cookie in _jars(clock, prefix, origin).items():
        headers = {**extra, **({"cookie": cookie} if cookie else {})}
        request = Request(method, url, headers)
        fast, normal, fast_log, normal_log = _both(monkeypatch, config, request)
        if fast is None:
            continue
        taken += 1
        assert _answer(fast) == _answer(normal), jar_name
        assert fast_log == normal_log, jar_name
    # Every jar went the fast way, but those over the Cookie-header cap (refused 400).
    refused = 5 if config_name == "small_limits" else 1
    trusted = config_name in ("trust_host", "insecure_forced", "url")
    if request_name in ("local", "query", "trailing_slash") or (
        request_name == "https_forwarded" and trusted
    ):
        assert taken >= len(_jars(clock, prefix, origin)) - refused
    if request_name in ("callback_query", "post", "csrf", "bad_url"):
        assert taken == 0


def test_signed_in_read_takes_the_fast_path_and_rolls_the_cookie() -> None:
    clock = Clock()
    config = make_config(clock=clock)
    salt = "authjs.session-token"
    request = Request(
        "GET",
        "http://localhost:3000/api/auth/session",
        {"cookie": f"{salt}={_token(clock, salt=salt)}"},
    )
    fast = fast_session(request, normalise(config))
    assert isinstance(fast, Response)  # JWT: answered at once, no flow
    assert fast.json()["user"] == {"name": "Bob", "email": "b@x", "image": None}
    names = [c.split("=", 1)[0] for c in fast.set_cookies]
    assert names == ["authjs.csrf-token", "authjs.callback-url", salt]


_USER_CODE: dict[str, dict[str, Any]] = {
    "jwt_callback": {"callbacks": {"jwt": lambda token, **_: {**token, "name": "J"}}},
    "session_callback": {"callbacks": {"session": lambda session, **_: {**session, "extra": 1}}},
    "redirect_callback": {"callbacks": {"redirect": lambda url, base_url: base_url}},
    "session_event": {"events": {"session": lambda **_: None}},
    "jwt_encode": {"jwt": {"encode": jwt.encode}},
    "jwt_decode": {"jwt": {"decode": jwt.decode}},
}


@pytest.mark.parametrize("name", sorted(_USER_CODE))
def test_user_code_sends_the_read_the_normal_way(name: str) -> None:
    clock = Clock()
    config = make_config(clock=clock, **_USER_CODE[name])
    options = normalise(config)
    assert not fast_eligible(options)
    salt = "authjs.session-token"
    request = Request(
        "GET",
        "http://localhost:3000/api/auth/session",
        {"cookie": f"{salt}={_token(clock, salt=salt)}"},
    )
    assert fast_session(request, options) is None
    response = auth_sync(request, config)  # answered by the normal path, callbacks honoured
    assert response.status == 200
    body = response.json()
    if name == "jwt_callback":
        assert body["user"]["name"] == "J"
    if name == "session_callback":
        assert body["extra"] == 1


def test_every_combination_was_compared() -> None:
    # The matrix above is not vacuous: the fast path answers most of it.
    clock = Clock()
    count = 0
    for (cname, config), (_, (method, url, extra)) in itertools.product(
        _configs(clock).items(), _REQUESTS.items()
    ):
        options = normalise(config)
        for cookie in _jars(clock, "", "http://localhost:3000").values():
            request = Request(method, url, {**extra, "cookie": cookie} if cookie else extra)
            count += fast_session(request, options) is not None
        assert cname
    assert count > 300


# --- database strategy -------------------------------------------------------------------

DAY = 24 * 3600
# Session tokens by the state of their row (none for "unknown").
DB_TOKENS = {
    "valid": "tok-valid-0123456789",
    "due": "tok-due-0123456789",
    "expired": "tok-expired-0123456789",
    "unknown": "tok-unknown-0123456789",
}


class _DbStore(MemoryStore):
    """A memory store that records its calls and can fail or answer with the wrong shape
    (the failure quotes the token, as a driver's message may)."""

    def __init__(self, clock: Clock, mode: str = "ok") -> None:
        super().__init__()
        self.mode = mode
        self.calls: list[tuple[str, Any]] = []
        self.create_user({"id": "u1", "name": "Ann", "email": "a@x", "email_verified": None})
        at = datetime.fromtimestamp(clock.now, timezone.utc)
        for name, expires in (
            ("valid", at + timedelta(days=30)),
            ("due", at + timedelta(days=28)),  # written 2 days ago: past `update_age`
            ("expired", at - timedelta(seconds=1)),
        ):
            self.create_session(
                {"session_token": DB_TOKENS[name], "user_id": "u1", "expires": expires}
            )

    def get_session_and_user(self, session_token: str) -> Any:
        self.calls.append(("get_session_and_user", session_token))
        if self.mode == "fail":
            raise RuntimeError(f"connection lost while reading {session_token}")
        found = super().get_session_and_user(session_token)
        if found is not None and self.mode == "wrong_shape":
            return {"session": found["session"], "user": {"name": "no id"}}
        if found is not None and self.mode == "foreign_value":  # not JSON: an error page
            return {**found, "user": {**found["user"], "name": object()}}
        return found

    def update_session(self, session: Any) -> Any:
        self.calls.append(("update_session", dict(session)))
        if self.mode == "fail_update":
            raise RuntimeError("write failed")
        return super().update_session(session)

    def delete_session(self, session_token: str) -> Any:
        self.calls.append(("delete_session", session_token))
        return super().delete_session(session_token)

    def rows(self) -> dict[str, Any]:
        return {t: self._sessions.get(t, {}).get("expires") for t in DB_TOKENS.values()}


class _AsyncDbStore(AsyncMemoryStore):
    def __init__(self, clock: Clock, mode: str = "ok") -> None:
        super().__init__(_DbStore(clock, mode))

    def rows(self) -> dict[str, Any]:
        assert isinstance(self.sync, _DbStore)
        return self.sync.rows()

    @property
    def calls(self) -> list[tuple[str, Any]]:
        assert isinstance(self.sync, _DbStore)
        return self.sync.calls


def _db_config(clock: Clock, store: Any, **extra: Any) -> dict[str, Any]:
    return {
        "secret": SECRET,
        "env": {},
        "clock": clock,
        "providers": [GitHub(client_id="id", client_secret="secret")],
        "adapter": store,
        "session": {"strategy": "database"},
        **extra,
    }


def _db_jars(prefix: str, origin: str) -> dict[str, str]:
    name = f"{prefix}authjs.session-token"
    csrf_name = f"{prefix}authjs.csrf-token"
    cb_name = f"{prefix}authjs.callback-url"
    csrf_ok = f"abc|{csrf_hash('abc', SECRET)}"
    valid = DB_TOKENS["valid"]
    jars = {state: f"{name}={token}" for state, token in DB_TOKENS.items()}
    return {
        **jars,
        "empty": "",
        "browser": f"{csrf_name}={quote(csrf_ok)}; {cb_name}={quote(origin)}; {name}={valid}",
        "browser_due": f"{csrf_name}={quote(csrf_ok)}; {cb_name}={quote(origin)}; "
        f"{name}={DB_TOKENS['due']}",
        "duplicated": f"{name}={valid}; {name}={valid}",
        "chunk_leftover": f"{name}={valid}; {name}.0=stale; {name}.1=stale",
        "chunked": f"{name}.0={valid[:8]}; {name}.1={valid[8:]}",
        "lone_chunk": f"{name}.1={valid}",
        "malformed": f"{name}; ===; {name}.x=1",
        "too_big": f"{name}={'t' * 5000}",
        "huge_header": f"{name}={valid}; filler={'f' * 15_000}",
    }


def _db_run(
    monkeypatch: pytest.MonkeyPatch,
    config: dict[str, Any],
    request: Request,
    *,
    fast: bool,
    use_async: bool,
) -> tuple[Any, list[tuple[str, str]]]:
    """One run of GET /session, the fast or the normal path, sync or async driver: its
    answer (None when the fast path declined) and what it logged."""
    log = _Log()
    options = normalise({**config, "logger": log})
    log.calls = []
    monkeypatch.setattr(os, "urandom", _seeded(7))
    if fast:
        flow = fast_session(request, options)
        if flow is None:
            return None, log.calls
        assert not isinstance(flow, Response)  # the database read is a flow
        flow = _fast_flow(request, options, flow)
    else:
        flow = _run(request, options)
    if use_async:
        answer = asyncio.run(drive_with_async(flow, options))
    else:
        answer = drive_with_sync(flow, options)
    return _answer(answer), log.calls


_DB_CONFIGS: dict[str, dict[str, Any]] = {
    "default": {},
    "debug": {"debug": True},
    "secure": {"url": "https://app.example.com/api/auth"},
    "skip_csrf": {"skip_csrf_check": True},
    "update_age_zero": {"session": {"strategy": "database", "update_age": 0}},
    "jwt_callback": {"callbacks": {"jwt": lambda token, **_: None}},  # never runs here
    "small_limits": {"limits": {"max_cookie_header_bytes": 4096}},
}
_DB_MODES = ("ok", "fail", "fail_update", "wrong_shape", "foreign_value")


@pytest.mark.parametrize("use_async", [False, True], ids=["sync_store", "async_store"])
@pytest.mark.parametrize("mode", _DB_MODES)
@pytest.mark.parametrize("config_name", sorted(_DB_CONFIGS))
def test_database_fast_path_answers_exactly_as_the_normal_path(
    monkeypatch: pytest.MonkeyPatch, config_name: str, mode: str, use_async: bool
) -> None:
    secure = config_name == "secure"
    prefix = "__Secure-" if secure else ""
    origin = "https://app.example.com" if secure else "http://localhost:3000"
    jars = _db_jars(prefix, origin)
    taken = 0
    for jar_name, cookie in jars.items():
        for return_redirect in (False, True):
            headers = {"cookie": cookie} if cookie else {}
            if return_redirect:
                headers["x-auth-return-redirect"] = "1"
            request = Request("GET", f"{origin}/api/auth/session", headers)
            results = []
            for fast in (True, False):
                clock = Clock()
                store_type = _AsyncDbStore if use_async else _DbStore
                store = store_type(clock, mode)
                config = _db_config(clock, store, **_DB_CONFIGS[config_name])
                if config_name != "secure":
                    config["trust_host"] = True
                answer, logged = _db_run(
                    monkeypatch, config, request, fast=fast, use_async=use_async
                )
                results.append((answer, logged, store.calls, store.rows()))
            (fast_answer, *fast_rest), normal = results
            if fast_answer is None:
                continue
            taken += 1
            assert (fast_answer, *fast_rest) == normal, jar_name
            logged_text = repr(fast_rest[0])
            assert not any(token in logged_text for token in DB_TOKENS.values()), jar_name
    refused = 2 if config_name == "small_limits" else 0  # over the Cookie-header cap
    assert taken == 2 * (len(jars) - refused)


def _db_request(token: str = DB_TOKENS["valid"], **headers: str) -> Request:
    cookie = f"authjs.session-token={token}"
    return Request("GET", "http://localhost:3000/api/auth/session", {"cookie": cookie, **headers})


def test_database_reads_take_the_fast_path_and_keep_the_row_rules() -> None:
    clock = Clock()
    store = _DbStore(clock)
    options = normalise(_db_config(clock, store, trust_host=True))
    assert fast_eligible(options)
    at = datetime.fromtimestamp(clock.now, timezone.utc)

    flow = fast_session(_db_request(), options)
    assert flow is not None and not isinstance(flow, Response)
    valid = drive_with_sync(flow, options)
    assert valid.json() == {
        "user": {"name": "Ann", "email": "a@x", "image": None},
        "expires": (at + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
    }
    names = [c.split("=", 1)[0] for c in valid.set_cookies]
    assert names == ["authjs.csrf-token", "authjs.callback-url", "authjs.session-token"]
    assert store.calls == [("get_session_and_user", DB_TOKENS["valid"])]

    store.calls = []
    due = auth_sync(_db_request(DB_TOKENS["due"]), _db_config(clock, store, trust_host=True))
    assert due.json()["expires"] == (at + timedelta(days=28)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert store.calls[1] == (
        "update_session",
        {"session_token": DB_TOKENS["due"], "expires": at + timedelta(days=30)},
    )

    expired = auth_sync(_db_request(DB_TOKENS["expired"]), _db_config(clock, store))
    assert expired.body == b"null"
    assert DB_TOKENS["expired"] not in store._sessions
    assert any(c.startswith("authjs.session-token=;") for c in expired.set_cookies)


def test_database_fast_path_under_auth_with_an_async_store() -> None:
    clock = Clock()
    store = _AsyncDbStore(clock)
    config = _db_config(clock, store, trust_host=True)
    response = asyncio.run(Auth(_db_request(DB_TOKENS["due"]), config))
    assert response.json()["user"]["name"] == "Ann"
    assert [c[0] for c in store.calls] == ["get_session_and_user", "update_session"]
    # A sync store under `auth_sync`, a failing one: `null`, the cookie kept, logged.
    logger = _Log()
    failing = _DbStore(clock, "fail")
    failed = auth_sync(_db_request(), _db_config(clock, failing, trust_host=True, logger=logger))
    assert failed.body == b"null"
    assert not any(c.startswith("authjs.session-token=") for c in failed.set_cookies)
    errors = [text for kind, text in logger.calls if kind == "error"]
    assert len(errors) == 1 and errors[0].startswith("SessionTokenError")
    assert DB_TOKENS["valid"] not in repr(logger.calls)


_DB_USER_CODE: dict[str, dict[str, Any]] = {
    "session_callback": {"callbacks": {"session": lambda session, **_: {**session, "extra": 1}}},
    "session_event": {"events": {"session": lambda **_: None}},
    "redirect_callback": {"callbacks": {"redirect": lambda url, base_url: base_url}},
}


@pytest.mark.parametrize("name", sorted(_DB_USER_CODE))
def test_database_user_code_sends_the_read_the_normal_way(name: str) -> None:
    clock = Clock()
    store = _DbStore(clock)
    config = _db_config(clock, store, trust_host=True, **_DB_USER_CODE[name])
    options = normalise(config)
    assert not fast_eligible(options)
    assert fast_session(_db_request(), options) is None
    response = auth_sync(_db_request(), config)  # the normal path, user code honoured
    assert response.json()["user"]["name"] == "Ann"
    if name == "session_callback":
        assert response.json()["extra"] == 1
