"""`session.jwt_reissue`: the JWT session cookie re-issued on every read (Auth.js, the default)
or only once the token is `update_age` old (docs/differences.md row 16)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from authcore import Request, auth_sync, jwt, validate_config
from authcore.errors import ConfigError
from authcore.jwt import DEFAULT_MAX_AGE
from tests.support.core import BASE, SECRET, Browser, Clock, make_config

SALT = "authjs.session-token"
CLAIMS = {"name": "Bob", "email": "b@x", "picture": None, "sub": "1"}


def _read(cfg: dict[str, Any], token: str) -> Any:
    return auth_sync(Request("GET", BASE + "/session", {"cookie": f"{SALT}={token}"}), cfg)


def _session_cookies(res: Any) -> list[str]:
    return [c for c in res.set_cookies if c.startswith(SALT)]


def _issued(clock: Clock) -> str:
    return jwt.encode(token=CLAIMS, secret=SECRET, salt=SALT, now=clock.now)


def _cfg(clock: Clock, **session: Any) -> dict[str, Any]:
    return make_config(clock=clock, session={"jwt_reissue": "update_age", **session})


def test_default_reissues_a_young_token_like_authjs() -> None:
    clock = Clock()
    token = _issued(clock)
    clock.now += 10
    res = _read(make_config(clock=clock), token)
    assert res.json()["user"]["name"] == "Bob"
    assert len(_session_cookies(res)) == 1


def test_young_token_is_kept_and_expires_says_when_its_cookie_ends() -> None:
    clock = Clock()
    issued_at = int(clock.now)
    token = _issued(clock)
    clock.now += 3600
    cfg = _cfg(clock)
    res = _read(cfg, token)
    assert res.status == 200
    assert _session_cookies(res) == []
    names = [c.split("=", 1)[0] for c in res.set_cookies]
    assert names == ["authjs.csrf-token", "authjs.callback-url"]  # init cookies as always
    expected = datetime.fromtimestamp(issued_at + DEFAULT_MAX_AGE, tz=timezone.utc)
    assert res.json() == {
        "user": {"name": "Bob", "email": "b@x", "image": None},
        "expires": expected.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
    }


def test_token_older_than_update_age_is_reissued_now() -> None:
    clock = Clock()
    token = _issued(clock)
    clock.now += 86400  # the default update_age, to the second
    res = _read(_cfg(clock), token)
    (line,) = _session_cookies(res)
    value = line.split(";")[0].split("=", 1)[1]
    payload = jwt.decode(token=value, secret=SECRET, salt=SALT, now=clock.now)
    assert payload["iat"] == int(clock.now) and payload["sub"] == "1"


def test_update_age_zero_reissues_every_read() -> None:
    clock = Clock()
    token = _issued(clock)
    clock.now += 1
    assert len(_session_cookies(_read(_cfg(clock, update_age=0), token))) == 1


def test_a_jwt_callback_always_reissues() -> None:
    clock = Clock()
    token = _issued(clock)
    clock.now += 5
    cfg = _cfg(clock)
    cfg["callbacks"] = {"jwt": lambda token: {**token, "role": "admin"}}
    res = _read(cfg, token)
    (line,) = _session_cookies(res)
    value = line.split(";")[0].split("=", 1)[1]
    assert jwt.decode(token=value, secret=SECRET, salt=SALT, now=clock.now)["role"] == "admin"


def test_a_token_without_iat_is_reissued() -> None:
    clock = Clock()
    cfg = _cfg(clock)
    cfg["jwt"] = {
        "encode": lambda token, secret, salt, max_age: jwt.encode(
            token={k: v for k, v in token.items() if k != "iat"},
            secret=secret,
            salt=salt,
            max_age=max_age,
            now=clock.now,
        ),
        "decode": lambda token, secret, salt: {
            k: v
            for k, v in jwt.decode(token=token, secret=secret, salt=salt, now=clock.now).items()
            if k != "iat"
        },
    }
    res = _read(cfg, _issued(clock))
    assert res.json()["user"]["name"] == "Bob"
    assert len(_session_cookies(res)) == 1


def test_session_callback_and_event_still_run_on_a_kept_cookie() -> None:
    events: list[Any] = []
    clock = Clock()
    cfg = _cfg(clock)
    cfg["callbacks"] = {"session": lambda session, token: {**session, "id": token["sub"]}}
    cfg["events"] = {"session": lambda session, token: events.append(token["sub"])}
    token = _issued(clock)
    clock.now += 60
    res = _read(cfg, token)
    assert res.json()["id"] == "1" and events == ["1"]
    assert _session_cookies(res) == []


def test_an_update_reissues_a_young_token() -> None:
    b = Browser(make_config(session={"jwt_reissue": "update_age"}))
    b.sign_in()
    before = b.session_cookie_names()
    assert _session_cookies(b.call("GET", "/session")) == []
    csrf = b.csrf()
    res = b.call("POST", "/session", json_body={"csrfToken": csrf, "data": {}})
    assert res.status == 200 and res.json()["user"]
    assert len(_session_cookies(res)) == 1 and b.session_cookie_names() == before


@pytest.mark.parametrize("value", ["sometimes", "", True, 1])
def test_other_values_are_a_config_error(value: Any) -> None:
    with pytest.raises(ConfigError) as err:
        validate_config(make_config(session={"jwt_reissue": value}))
    assert err.value.details["option"] == "session.jwt_reissue"
