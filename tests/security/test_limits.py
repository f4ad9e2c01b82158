"""Resource limits (docs/security.md#resource-limits; `authcore._options.Limits`): every cap is
enforced at its documented boundary, configurable, and listed in docs/configuration.md."""

from __future__ import annotations

import dataclasses
import hashlib
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from authcore import Request, auth_sync, jwt
from authcore._options import Limits
from authcore.providers.instagram import Instagram
from authcore.testing import MockIdP
from tests.support.security import (
    CALLBACK,
    CSRF,
    ERROR_PAGE,
    NOW,
    ORIGIN,
    PKCE,
    SECRET,
    SESSION,
    STATE,
    Browser,
    cookie_changes,
    cookie_header,
    make_config,
    send,
)

BAD = b'"Bad request."'
DOCS = Path(__file__).parents[2] / "docs" / "configuration.md"


def _bad(res: Any) -> None:
    assert res.status == 400
    assert res.body == BAD
    assert res.set_cookies == []


def test_every_limit_is_documented_with_its_default() -> None:
    text = DOCS.read_text()
    for f in dataclasses.fields(Limits):
        assert f"`{f.name}`" in text, f.name
        assert str(f.default) in text, (f.name, f.default)


def test_max_url_bytes() -> None:
    base = f"{ORIGIN}/api/auth/session?x="
    ok = base + "a" * (8192 - len(base))
    assert auth_sync(Request("GET", ok), make_config()).status == 200
    _bad(auth_sync(Request("GET", ok + "a"), make_config()))
    _bad(auth_sync(Request("GET", base + "a" * 200), make_config(limits={"max_url_bytes": 100})))


def test_max_header_bytes() -> None:
    def req(n: int) -> Request:
        return Request("GET", f"{ORIGIN}/api/auth/session", [("x-pad", "a" * n)])

    fits = 32768 - len("x-pad") - 4
    assert auth_sync(req(fits), make_config()).status == 200
    _bad(auth_sync(req(fits + 1), make_config()))
    _bad(auth_sync(req(1000), make_config(limits={"max_header_bytes": 500})))


def test_max_header_bytes_counts_many_small_headers() -> None:
    headers = [(f"x-{i}", "v") for i in range(5000)]
    _bad(auth_sync(Request("GET", f"{ORIGIN}/api/auth/session", headers), make_config()))


def test_max_cookie_header_bytes() -> None:
    def res(n: int, **limits: int) -> Any:
        return send(
            make_config(limits={"max_header_bytes": 10**6, **limits}),
            "GET",
            "/session",
            cookies="p=" + "a" * (n - 2),
        )

    assert res(16384).status == 200
    _bad(res(16385))
    _bad(res(600, max_cookie_header_bytes=500))


def test_cookie_header_cap_covers_split_cookie_headers() -> None:
    """HTTP/2 may split Cookie: the cap applies to all of them joined."""
    headers = [("cookie", "a=" + "x" * 9000), ("cookie", "b=" + "x" * 9000)]
    _bad(auth_sync(Request("GET", f"{ORIGIN}/api/auth/session", headers), make_config()))


def test_max_body_bytes() -> None:
    def post(n: int, **extra: Any) -> Any:
        body = b"csrfToken=" + b"a" * (n - 10)
        return auth_sync(
            Request(
                "POST",
                f"{ORIGIN}/api/auth/signout",
                {"content-type": "application/x-www-form-urlencoded"},
                body,
            ),
            make_config(**extra),
        )

    assert post(65536).status == 302  # parsed (then refused for CSRF)
    _bad(post(65537))
    _bad(post(200, limits={"max_body_bytes": 100}))


def test_max_token_chars_and_chunks() -> None:
    token = jwt.encode(
        token={"name": "bob", "pad": "x" * 9000}, secret=SECRET, salt=SESSION, now=NOW
    )
    half = len(token) // 2
    chunks = [(f"{SESSION}.0", token[:half]), (f"{SESSION}.1", token[half:])]
    ok = send(make_config(), "GET", "/session", cookies=chunks)
    assert ok.json()["user"]["name"] == "bob"
    capped = send(make_config(limits={"max_token_chars": 5000}), "GET", "/session", cookies=chunks)
    assert capped.body == b"null"
    assert cookie_changes(capped).cleared == {f"{SESSION}.0", f"{SESSION}.1"}
    one_chunk = send(
        make_config(limits={"max_session_chunks": 1}), "GET", "/session", cookies=chunks
    )
    assert one_chunk.body == b"null"
    assert cookie_changes(one_chunk).cleared == {f"{SESSION}.0", f"{SESSION}.1"}


def test_written_session_never_needs_more_chunks_than_the_reader_accepts() -> None:
    """A session the library writes itself must be readable back (no self-DoS)."""

    def jwt_cb(token: dict[str, Any], **_: Any) -> dict[str, Any]:
        return {**token, "pad": "x" * 11000}

    b = Browser(make_config(callbacks={"jwt": jwt_cb}))
    assert b.sign_in().status == 302
    chunks = [n for n in b.jar if n.startswith(SESSION)]
    assert 1 < len(chunks) <= Limits().max_session_chunks
    assert b.call("GET", "/session").json()["user"]["name"] == "bob"


def test_max_callback_url_chars() -> None:
    b = Browser(make_config())
    path = "/" + "a" * 2047
    res = b.call("POST", "/signout", form={"csrfToken": b.csrf(), "callbackUrl": path})
    assert res.location == ORIGIN + path
    res = b.call("POST", "/signout", form={"csrfToken": b.csrf(), "callbackUrl": path + "a"})
    assert res.location == ORIGIN
    small = Browser(make_config(limits={"max_callback_url_chars": 10}))
    res = small.call(
        "POST", "/signout", form={"csrfToken": small.csrf(), "callbackUrl": "/abcdefghij"}
    )
    assert res.location == ORIGIN
    assert small.jar[CALLBACK] == ORIGIN


def test_max_check_cookie_chars(mock_idp: MockIdP, http: httpx.Client) -> None:
    config = make_config(
        providers=[Instagram(**mock_idp.provider_options("instagram"))],
        http_client=http,
        clock=time.time,
        limits={"max_check_cookie_chars": 100},
    )
    b = Browser(config)
    path = b.start_oauth(http, "instagram")
    assert len(b.jar[STATE]) > 100
    res = b.call("GET", path)
    assert res.location == f"{ERROR_PAGE}Configuration"
    assert b.last.cleared == {STATE, PKCE}
    assert mock_idp.requests_to("/instagram/oauth/access_token") == []


def test_idp_timeout_and_response_cap(mock_idp: MockIdP, http: httpx.Client) -> None:
    for limits, fault in (
        ({"idp_timeout": 0.2}, {"token_delay": 3.0}),
        ({"idp_max_response_bytes": 64}, {}),
    ):
        mock_idp.reset()
        mock_idp.misbehave(**fault)
        config = make_config(
            providers=[Instagram(**mock_idp.provider_options("instagram"))],
            http_client=http,
            clock=time.time,
            limits=limits,
        )
        b = Browser(config)
        res = b.call("GET", b.start_oauth(http, "instagram"))
        assert res.location == f"{ERROR_PAGE}OAuthProviderError", limits
        assert SESSION not in b.last.values


@pytest.mark.parametrize("bad", [0, -1, True, "10", 1.5, None])
def test_limits_must_be_positive_numbers(bad: Any) -> None:
    from authcore._normalise import validate_config
    from authcore.errors import ConfigError

    with pytest.raises(ConfigError) as info:
        validate_config(make_config(limits={"max_body_bytes": bad}))
    assert info.value.details["option"] == "limits.max_body_bytes"


# --- finding: the `max_cookies` cut-off hid duplicates ---------------------------------------


def _padding(n: int) -> list[tuple[str, str]]:
    return [(f"p{i}", "x") for i in range(n)]


def test_max_cookies_cutoff_does_not_hide_a_duplicated_session() -> None:
    """A tossed session cookie first, 200 fillers, then the victim's own: the reader must not
    see only the attacker's (docs/differences.md#other-deliberate-choices)."""
    victim = jwt.encode(token={"name": "victim", "sub": "1"}, secret=SECRET, salt=SESSION, now=NOW)
    attacker = jwt.encode(
        token={"name": "mallory", "sub": "666"}, secret=SECRET, salt=SESSION, now=NOW
    )
    header = cookie_header([(SESSION, attacker), *_padding(200), (SESSION, victim)])
    res = send(make_config(), "GET", "/session", cookies=header)
    assert res.status in (200, 400)
    assert res.body in (b"null", BAD)
    assert not any("session-token" in n for n in cookie_changes(res).values)


def test_max_cookies_cutoff_does_not_hide_a_duplicated_csrf_cookie() -> None:
    """Same bypass for the double-submit cookie (a planted pair is accepted)."""
    b = Browser(make_config())
    b.sign_in()
    own = b.jar[CSRF]
    planted_token = "a" * 64
    planted = f"{planted_token}|{hashlib.sha256((planted_token + SECRET).encode()).hexdigest()}"
    header = cookie_header(
        [(CSRF, planted), *_padding(200), (CSRF, own), (SESSION, b.jar[SESSION])]
    )
    res = send(b.config, "POST", "/signout", cookies=header, form={"csrfToken": planted_token})
    assert res.location == f"{ORIGIN}/api/auth/signin?error=MissingCSRF"
    assert res.set_cookies == []
