"""The GET /session fast path (`authcore/actions/_fast_session.py`) answers exactly as the
normal path (`dispatch` through `init` and `session.read`): same status, headers, body and
log calls, for many configs and cookie jars. Randomness (CSRF token, JWE IV, `jti`) is made
the same for both runs by seeding `os.urandom` identically before each."""

from __future__ import annotations

import itertools
import os
import random
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest

from authcore import Request, Response, auth_sync, jwt
from authcore._core import _run, drive_with_sync
from authcore._csrf import csrf_hash
from authcore._normalise import normalise
from authcore.actions._fast_session import fast_eligible, fast_session
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
    assert fast is not None
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
