from __future__ import annotations

import json
from typing import Any

import pytest

from authcore import Request, auth_sync, jwt
from authcore._cookies import CHUNK_SIZE
from tests.support.core import BASE, GENERATED_AT, SECRET, VECTORS, Browser, Clock, make_config

SALT = "authjs.session-token"


def _get(cfg: dict[str, Any], cookie: str) -> Any:
    return auth_sync(Request("GET", BASE + "/session", {"cookie": cookie}), cfg)


def _token(clock: Clock, payload: dict[str, Any], **kw: Any) -> str:
    return jwt.encode(token=payload, secret=SECRET, salt=SALT, now=clock.now, **kw)


def test_no_cookie_is_null_with_init_cookies_like_authjs() -> None:
    vec = VECTORS["session"]["no_cookie"]
    res = auth_sync(Request("GET", BASE + "/session"), make_config())
    assert res.status == 200 and res.body == b"null"
    assert [c.split("=")[0] for c in res.set_cookies] == [
        c.split("=")[0] for c in vec["set_cookies"]
    ]
    for key in ("cache-control", "expires", "pragma", "content-type"):
        assert res.header(key) == vec["headers"][key][0]


def test_authjs_signin_cookie_gives_recorded_session() -> None:
    vec = VECTORS["session"]["from_real_signin"]
    # the recorded `expires` is now + 30 days at the millisecond the session was read
    clock = Clock(GENERATED_AT + 1.053)
    cfg = make_config(secret=VECTORS["secrets"]["default"], clock=clock)
    res = _get(cfg, f"authjs.session-token={vec['session_cookie']['value']}")
    assert res.status == 200
    assert res.body == json.dumps(vec["session_response"], separators=(",", ":")).encode()
    line = next(c for c in res.set_cookies if c.startswith("authjs.session-token="))
    assert line.endswith("; Path=/; Expires=Tue, 29 Dec 2026 09:48:10 GMT; HttpOnly; SameSite=Lax")


def test_session_rolls_and_keeps_claims() -> None:
    clock = Clock()
    cfg = make_config(clock=clock)
    tok = _token(clock, {"name": "Bob", "email": "b@x", "picture": None, "sub": "1"})
    clock.now += 100
    res = _get(cfg, f"authjs.session-token={tok}")
    assert res.json() == {
        "user": {"name": "Bob", "email": "b@x", "image": None},
        "expires": "2027-02-14T08:01:40.000Z",
    }
    new = next(c for c in res.set_cookies if c.startswith("authjs.session-token="))
    value = new.split(";")[0].split("=", 1)[1]
    assert value != tok
    payload = jwt.decode(token=value, secret=SECRET, salt=SALT, now=clock.now)
    assert payload["iat"] == int(clock.now) and payload["exp"] == int(clock.now) + 2592000
    assert payload["sub"] == "1"


@pytest.mark.parametrize("case", ["garbage_cookie", "expired_cookie", "wrong_salt_cookie"])
def test_invalid_tokens_give_null_and_clear_like_authjs(case: str) -> None:
    vec = VECTORS["session"][case]
    clock = Clock()
    cfg = make_config(clock=clock)
    bad = {
        "garbage_cookie": "garbage",
        "expired_cookie": _token(Clock(clock.now - 3 * 2592000), {"name": "x"}),
        "wrong_salt_cookie": jwt.encode(
            token={"name": "x"}, secret=SECRET, salt="other", now=clock.now
        ),
    }[case]
    res = _get(cfg, f"authjs.session-token={bad}")
    assert res.status == 200 and res.body == b"null"
    assert res.set_cookies[-1] == vec["set_cookies"][-1]


def test_expiry_boundary_with_15s_tolerance() -> None:
    clock = Clock()
    cfg = make_config(clock=clock)
    tok = _token(clock, {"name": "x"}, max_age=60)
    clock.now += 60 + 14
    assert _get(cfg, f"authjs.session-token={tok}").json() is not None
    clock.now += 1
    assert _get(cfg, f"authjs.session-token={tok}").body == b"null"


@pytest.mark.parametrize(
    "mutate",
    [
        lambda t: t[:-5],  # truncated
        lambda t: t[:-3] + ("A" if t[-3] != "A" else "B") + t[-2:],  # tag flipped
        lambda t: t.replace(".", "..", 1),
        lambda t: t + "." + t,
        lambda t: "x" * 16300,  # oversized, under the Cookie header cap
    ],
)
def test_tampered_tokens(mutate: Any) -> None:
    clock = Clock()
    cfg = make_config(clock=clock)
    tok = mutate(_token(clock, {"name": "x"}))
    res = _get(cfg, f"authjs.session-token={tok}")
    assert res.body == b"null"
    assert "authjs.session-token=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax" in res.set_cookies


def test_wrong_secret_and_rotation() -> None:
    clock = Clock()
    old = _token(clock, {"name": "old"})
    assert (
        _get(
            make_config(secret="another-secret-xxxxxxxxxxxx", clock=clock),
            f"authjs.session-token={old}",
        ).body
        == b"null"
    )
    rotated = make_config(secret=["new-secret-yyyyyyyyyyyyyyyyy", SECRET], clock=clock)
    res = _get(rotated, f"authjs.session-token={old}")
    assert res.json()["user"] == {"name": "old"}
    value = next(c for c in res.set_cookies if c.startswith("authjs.session-token="))
    value = value.split(";")[0].split("=", 1)[1]
    # re-encrypted with the first secret
    jwt.decode(token=value, secret="new-secret-yyyyyyyyyyyyyyyyy", salt=SALT, now=clock.now)


def _big_token(clock: Clock) -> str:
    return _token(clock, {"name": "Jane", "blob": "x" * 5000, "sub": "1"})


def test_chunked_cookies_round_trip_and_order() -> None:
    clock = Clock()
    cfg = make_config(clock=clock)
    tok = _big_token(clock)
    assert len(tok) > CHUNK_SIZE
    a, b = tok[:CHUNK_SIZE], tok[CHUNK_SIZE:]
    for header in (
        f"authjs.session-token.0={a}; authjs.session-token.1={b}",
        f"authjs.session-token.1={b}; authjs.session-token.0={a}",
    ):
        res = _get(cfg, header)
        assert res.json()["user"] == {"name": "Jane"}
        names = [c.split("=")[0] for c in res.set_cookies if "session-token" in c]
        # request order first, then new names (Auth.js `src/lib/utils/cookie.ts`)
        assert names == [n.split("=")[0] for n in header.split("; ")]
        lengths = [
            len(c.split(";")[0].split("=", 1)[1]) for c in res.set_cookies if "session-token" in c
        ]
        assert lengths[0] == CHUNK_SIZE or lengths[1] == CHUNK_SIZE


def test_small_token_replaces_chunks_and_clears_them() -> None:
    clock = Clock()
    cfg = make_config(clock=clock, callbacks={"jwt": lambda token: {"name": token["name"]}})
    tok = _big_token(clock)
    header = f"authjs.session-token.0={tok[:CHUNK_SIZE]}; authjs.session-token.1={tok[CHUNK_SIZE:]}"
    res = _get(cfg, header)
    lines = [c for c in res.set_cookies if "session-token" in c]
    assert lines[0].startswith("authjs.session-token.0=; Max-Age=0")
    assert lines[1].startswith("authjs.session-token.1=; Max-Age=0")
    assert lines[2].startswith("authjs.session-token=ey")


def test_stale_plain_cookie_next_to_chunks_is_invalid() -> None:
    clock = Clock()
    cfg = make_config(clock=clock)
    tok = _big_token(clock)
    small = _token(clock, {"name": "x"})
    res = _get(
        cfg,
        f"authjs.session-token={small}; authjs.session-token.0={tok[:CHUNK_SIZE]}; "
        f"authjs.session-token.1={tok[CHUNK_SIZE:]}",
    )
    assert res.body == b"null"
    cleared = [c.split("=")[0] for c in res.set_cookies if "Max-Age=0" in c]
    assert cleared == ["authjs.session-token", "authjs.session-token.0", "authjs.session-token.1"]


def test_too_many_chunks_is_invalid() -> None:
    cfg = make_config()
    header = "; ".join(f"authjs.session-token.{i}=abc" for i in range(5))
    res = _get(cfg, header)
    assert res.body == b"null"
    assert len([c for c in res.set_cookies if "Max-Age=0" in c]) == 5


def test_too_many_characters_is_invalid() -> None:
    clock = Clock()
    cfg = make_config(clock=clock, limits={"max_token_chars": 4000})
    tok = _big_token(clock)
    res = _get(
        cfg, f"authjs.session-token.0={tok[:CHUNK_SIZE]}; authjs.session-token.1={tok[CHUNK_SIZE:]}"
    )
    assert res.body == b"null"
    assert len([c for c in res.set_cookies if "Max-Age=0" in c]) == 2


def test_lookalike_names_are_ignored() -> None:
    clock = Clock()
    cfg = make_config(clock=clock)
    tok = _token(clock, {"name": "x"})
    res = _get(
        cfg,
        f"authjs.session-token={tok}; authjs.session-token-x=junk; authjs.session-token.foo=junk",
    )
    assert res.json()["user"] == {"name": "x"}


def test_duplicated_session_cookie_is_invalid() -> None:
    clock = Clock()
    cfg = make_config(clock=clock)
    tok = _token(clock, {"name": "x"})
    res = _get(cfg, f"authjs.session-token={tok}; authjs.session-token={tok}")
    assert res.body == b"null"


def test_update_requires_csrf_and_passes_data() -> None:
    seen: list[Any] = []

    def jwt_cb(
        *, token: dict[str, Any], trigger: str | None = None, session: Any = None
    ) -> dict[str, Any]:
        seen.append((trigger, session))
        if trigger == "update" and isinstance(session, dict):
            return {**token, "name": session["name"]}
        return token

    b = Browser(make_config(callbacks={"jwt": jwt_cb}))
    b.sign_in()
    res = b.call("POST", "/session", json_body={"data": {"name": "New"}})
    assert res.status == 400 and res.body == b"null"
    token = b.csrf()
    res = b.call("POST", "/session", json_body={"csrfToken": token, "data": {"name": "New"}})
    assert res.status == 200
    assert res.json()["user"]["name"] == "New"
    assert res.header("cache-control") is None
    assert ("update", {"name": "New"}) in seen
    assert b.call("GET", "/session").json()["user"]["name"] == "New"


def test_jwt_callback_returning_none_clears() -> None:
    clock = Clock()
    cfg = make_config(clock=clock, callbacks={"jwt": lambda token: None})
    res = _get(cfg, f"authjs.session-token={_token(clock, {'name': 'x'})}")
    assert res.body == b"null"
    assert any(c.startswith("authjs.session-token=; Max-Age=0") for c in res.set_cookies)


def test_session_callback_and_event() -> None:
    events: list[Any] = []
    clock = Clock()
    cfg = make_config(
        clock=clock,
        callbacks={"session": lambda session, token: {**session, "id": token["sub"]}},
        events={"session": lambda session, token: events.append(token["sub"])},
    )
    res = _get(cfg, f"authjs.session-token={_token(clock, {'name': 'x', 'sub': '7'})}")
    assert res.json()["id"] == "7"
    assert events == ["7"]


def test_failing_callback_gives_null_not_500() -> None:
    def boom(**_: Any) -> Any:
        raise RuntimeError("boom")

    clock = Clock()
    cfg = make_config(clock=clock, callbacks={"session": boom})
    res = _get(cfg, f"authjs.session-token={_token(clock, {'name': 'x'})}")
    assert res.status == 200 and res.body == b"null"


def test_get_session_never_yields() -> None:
    from authcore._core import auth_flow

    clock = Clock()
    cfg = make_config(clock=clock)
    flow = auth_flow(
        Request(
            "GET",
            BASE + "/session",
            {"cookie": f"authjs.session-token={_token(clock, {'name': 'x'})}"},
        ),
        cfg,
    )
    with pytest.raises(StopIteration) as stop:
        next(flow)
    assert stop.value.value.json()["user"] == {"name": "x"}


def test_async_auth_matches_sync() -> None:
    import asyncio

    from authcore import Auth

    clock = Clock()
    cfg = make_config(clock=clock)
    req = Request(
        "GET", BASE + "/session", {"cookie": f"authjs.session-token={_token(clock, {'name': 'x'})}"}
    )
    res = asyncio.run(Auth(req, cfg))
    assert res.json()["user"] == {"name": "x"}
    assert "localhost%3A3000" in res.set_cookies[1]
