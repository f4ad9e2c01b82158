"""Property-based fuzzing (Hypothesis) of the parsers and of the whole `Auth()` entry point:
no input yields a 500, a traceback, an unexpected exception or a session.

The suite runs a fixed-seed (`derandomize=True`) pass of `AUTHCORE_FUZZ_EXAMPLES` examples
per property (default 300). A longer run is one command:

    AUTHCORE_FUZZ_EXAMPLES=20000 .venv/bin/pytest tests/security/test_fuzz.py

`AUTHCORE_FUZZ_RANDOM=1` additionally drops the fixed seed, so repeated long runs explore
new inputs. There is no deadline: a hang shows up as a run that does not finish.
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import quote, urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from authcore import Request, auth_sync, jwt
from authcore._cookies import parse_cookie_header
from authcore._http import parse_form
from authcore._redirect import default_redirect
from authcore.actions._routing import ACTIONS, parse_action
from authcore.errors import UnknownAction
from authcore.jose.errors import InvalidToken
from tests.support.security import (
    CALLBACK,
    CSRF,
    NONCE,
    NOW,
    ORIGIN,
    PKCE,
    SECRET,
    SESSION,
    STATE,
    cookie_changes,
    make_config,
)

EXAMPLES = int(os.environ.get("AUTHCORE_FUZZ_EXAMPLES", "300"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=os.environ.get("AUTHCORE_FUZZ_RANDOM") != "1",
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

CONFIG = make_config()
VALID = jwt.encode(token={"name": "bob", "sub": "1"}, secret=SECRET, salt=SESSION, now=NOW)

nasty_text = st.one_of(
    st.text(max_size=200),
    st.text(alphabet="%;=,\"' \t\\/:@?#&.-_|<>\x00\r\nAaZz09", max_size=200),
    st.sampled_from(
        [
            "",
            "%",
            "%ZZ",
            "%E0%A4%A",
            "\ud800",
            "a" * 5000,
            VALID,
            VALID[:-1],
            "javascript:alert(1)",
            "//evil.example",
            "/\\evil.example",
            "null",
            "[]",
            "{}",
            "__proto__",
        ]
    ),
)
cookie_names = st.one_of(
    st.sampled_from(
        [SESSION, f"{SESSION}.0", f"{SESSION}.1", CSRF, CALLBACK, STATE, PKCE, NONCE, "x"]
    ),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz._-", min_size=1, max_size=30),
)


# --- parsers ------------------------------------------------------------------------------


@FUZZ
@given(st.text(max_size=2000))
def test_cookie_parser_never_raises(header: str) -> None:
    jar = parse_cookie_header(header, max_cookies=50)
    assert len(jar.values) <= 50
    assert list(jar.values) == jar.order
    assert jar.duplicates <= set(jar.values)


@FUZZ
@given(st.lists(st.tuples(cookie_names, nasty_text), max_size=20))
def test_cookie_parser_first_occurrence_wins(pairs: list[tuple[str, str]]) -> None:
    header = "; ".join(f"{n}={quote(v, safe='', errors='replace')}" for n, v in pairs)
    jar = parse_cookie_header(header)
    for name in jar.values:
        names = [n for n, _ in pairs if n.strip(" \t") == name]
        assert names, name
        if len(names) > 1:
            assert name in jar.duplicates


@FUZZ
@given(st.one_of(st.text(max_size=3000), st.binary(max_size=3000).map(lambda b: b.hex())))
def test_jwe_decoder_rejects_garbage_with_invalid_token_only(token: str) -> None:
    try:
        jwt.decode(token=token, secret=SECRET, salt=SESSION, now=NOW)
    except InvalidToken:
        return
    raise AssertionError("random input decoded")


@FUZZ
@given(st.integers(min_value=0, max_value=len(VALID) - 1), st.characters(codec="ascii"))
def test_jwe_decoder_rejects_every_single_character_change(index: int, char: str) -> None:
    mutated = VALID[:index] + char + VALID[index + 1 :]
    if mutated == VALID:
        return
    try:
        jwt.decode(token=mutated, secret=SECRET, salt=SESSION, now=NOW)
    except InvalidToken:
        return
    raise AssertionError(f"mutation at {index} to {char!r} decoded")


@FUZZ
@given(
    st.lists(st.sampled_from(["", "api", "auth", *sorted(ACTIONS), "x", "..", "%2F"]), max_size=6),
    st.sampled_from(["/api/auth", "/auth", "/"]),
)
def test_routing_raises_only_unknown_action(segments: list[str], base: str) -> None:
    path = "/" + "/".join(segments)
    base = base.rstrip("/")
    try:
        action, provider = parse_action(path, base)
    except UnknownAction:
        return
    assert action in ACTIONS
    assert path.startswith(base + "/")
    assert provider is None or ("/" not in provider and provider)


@FUZZ
@given(st.binary(max_size=500))
def test_form_parser_raises_only_value_error(body: bytes) -> None:
    try:
        parsed = parse_form(body)
    except ValueError:
        return
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in parsed.items())


@FUZZ
@given(nasty_text)
def test_default_redirect_stays_on_site(url: str) -> None:
    result = default_redirect(url, ORIGIN)
    assert result == ORIGIN or result.startswith(ORIGIN + "/")
    # what a browser would do with it: the same host, no backslash or whitespace tricks
    assert urlsplit(result).netloc == "app.example.test"
    assert not any(c == "\\" or c.isspace() or ord(c) < 0x20 for c in result)


# --- the whole entry point ----------------------------------------------------------------

paths = st.one_of(
    st.sampled_from(
        [
            "/session",
            "/csrf",
            "/providers",
            "/signin",
            "/signin/credentials",
            "/signin/nope",
            "/signout",
            "/callback/credentials",
            "/callback/nope",
            "/error",
            "/verify-request",
            "/webauthn-options/credentials",
            "//session",
            "/session/",
            "/../session",
        ]
    ),
    st.text(alphabet="/abcdefghijklmnopqrstuvwxyz%.-_", max_size=40).map(lambda p: "/" + p),
)
queries = st.dictionaries(
    st.sampled_from(["callbackUrl", "error", "csrfToken", "code", "state", "x", "provider"]),
    nasty_text,
    max_size=4,
)
header_values = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=80)
headers = st.dictionaries(
    st.sampled_from(
        [
            "x-forwarded-host",
            "x-forwarded-proto",
            "host",
            "authorization",
            "x-auth-return-redirect",
            "content-type",
            "origin",
        ]
    ),
    header_values,
    max_size=4,
)
content_types = st.sampled_from(
    [
        "application/x-www-form-urlencoded",
        "application/json",
        "application/json; charset=utf-8",
        "text/plain",
        "multipart/form-data; boundary=x",
        "",
    ]
)
form_bodies = st.dictionaries(
    st.sampled_from(["csrfToken", "callbackUrl", "username", "password", "data", "x"]),
    nasty_text,
    max_size=5,
)
json_values: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | nasty_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(nasty_text, inner, max_size=3),
    max_leaves=10,
)
bodies = st.one_of(
    st.binary(max_size=300),
    form_bodies.map(
        lambda f: "&".join(
            f"{quote(k)}={quote(v, errors='replace')}" for k, v in f.items()
        ).encode()
    ),
    st.dictionaries(
        st.sampled_from(["csrfToken", "callbackUrl", "data", "username"]), json_values, max_size=4
    ).map(lambda d: json.dumps(d).encode()),
    st.sampled_from([b"{", b"[]", b'"x"', b"\xff\xfe", b"[" * 3000, b"1" * 5000]),
)


def _assert_safe(res: Any, method: str, path: str) -> None:
    body = res.body.decode("utf-8", "replace")
    assert res.status < 500, (res.status, method, path, body[:200])
    assert "Traceback" not in body and 'File "' not in body
    changes = cookie_changes(res)
    # no input (without valid credentials or a valid session) creates a session
    assert not any("session-token" in name for name in changes.values), changes.values
    if res.location is not None:
        loc = res.location
        assert "\r" not in loc and "\n" not in loc
        assert loc.startswith(ORIGIN) or loc.startswith("/"), loc
        assert not loc.startswith("//")
    if path.rstrip("/") == "/session" and method == "GET" and res.status == 200:
        assert res.body == b"null"


@FUZZ
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "HEAD", "OPTIONS", "get"]),
    path=paths,
    query=queries,
    hdrs=headers,
    cookies=st.lists(st.tuples(cookie_names, nasty_text), max_size=6),
    ctype=content_types,
    body=bodies,
)
def test_auth_entry_point_never_fails_open(
    method: str,
    path: str,
    query: dict[str, str],
    hdrs: dict[str, str],
    cookies: list[tuple[str, str]],
    ctype: str,
    body: bytes,
) -> None:
    qs = "&".join(f"{quote(k)}={quote(v, safe='', errors='replace')}" for k, v in query.items())
    url = f"{ORIGIN}/api/auth{path}" + (f"?{qs}" if qs else "")
    all_headers = dict(hdrs)
    if cookies:
        all_headers["cookie"] = "; ".join(
            f"{n}={quote(v, safe='', errors='replace')}" for n, v in cookies
        )
    if ctype:
        all_headers["content-type"] = ctype
    res = auth_sync(Request(method, url, all_headers, body), CONFIG)
    _assert_safe(res, method.upper(), path)


@FUZZ
@given(ctype=content_types, body=bodies)
def test_body_parsing_through_auth(ctype: str, body: bytes) -> None:
    for path in ("/signin/credentials", "/callback/credentials", "/signout", "/session"):
        res = auth_sync(
            Request("POST", f"{ORIGIN}/api/auth{path}", {"content-type": ctype}, body), CONFIG
        )
        _assert_safe(res, "POST", path)
        if res.status == 400:
            assert res.body in (b'"Bad request."', b"null")


@FUZZ
@given(raw=st.text(max_size=300), trust=st.booleans())
def test_raw_request_urls_never_500(raw: str, trust: bool) -> None:
    config = CONFIG if not trust else TRUSTING
    res = auth_sync(Request("GET", raw), config)
    assert res.status < 500 or res.json() == {
        "message": "There was a problem with the server configuration. "
        "Check the server logs for more information."
    }
    assert "Traceback" not in res.body.decode("utf-8", "replace")


TRUSTING: dict[str, Any] = {"secret": SECRET, "env": {}, "trust_host": True, "providers": []}
