"""Database sessions: read, extend once per `update_age`, expire, update, sign out."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from authcore.stores.memory import MemoryStore
from authcore.testing import MockIdP
from tests.support.stores import SESSION, Browser, Clock, EventLog, make_config

DAY = 24 * 60 * 60
START = 1_800_000_000.0


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)


def _signed_in(mock_idp: MockIdP, **extra: Any) -> tuple[Browser, MemoryStore, Clock, str]:
    store, clock = MemoryStore(), Clock(START)
    browser = Browser(make_config(mock_idp, store, clock=clock, **extra))
    browser.oauth("github")
    return browser, store, clock, browser.jar[SESSION]


def _expires(store: MemoryStore, token: str) -> datetime | None:
    found = store.get_session_and_user(token)
    return None if found is None else found["session"]["expires"]


def test_session_row_is_extended_once_per_update_age(mock_idp: MockIdP) -> None:
    browser, store, clock, token = _signed_in(mock_idp)
    assert _expires(store, token) == _at(START + 30 * DAY)

    clock.now = START + DAY - 1  # within update_age: no write
    res = browser.call("GET", "/session")
    assert _expires(store, token) == _at(START + 30 * DAY)
    expected = _at(START + 30 * DAY).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert res.json()["expires"] == expected  # the stored expiry, as Auth.js
    line = next(c for c in res.set_cookies if c.startswith(SESSION + "="))
    assert token in line  # the cookie is re-sent on every read

    clock.now = START + DAY + 5
    browser.session()
    assert _expires(store, token) == _at(START + DAY + 5 + 30 * DAY)
    clock.now = START + DAY + 10
    browser.session()
    assert _expires(store, token) == _at(START + DAY + 5 + 30 * DAY)


def test_update_age_zero_extends_on_every_read(mock_idp: MockIdP) -> None:
    browser, store, clock, token = _signed_in(mock_idp, session={"update_age": 0})
    clock.now = START + 1
    browser.session()
    assert _expires(store, token) == _at(START + 1 + 30 * DAY)


def test_expired_session_is_deleted_on_read(mock_idp: MockIdP) -> None:
    browser, store, clock, token = _signed_in(mock_idp, session={"max_age": 3600})
    clock.now = START + 3601
    assert browser.session() is None
    assert SESSION not in browser.jar  # cleared
    assert token not in store._sessions
    assert store.get_user_by_email("octo@example.com") is not None


def test_unknown_token_is_cleared(mock_idp: MockIdP) -> None:
    browser, store, _, token = _signed_in(mock_idp)
    store.delete_session(token)  # e.g. signed out on another app server
    assert browser.session() is None
    assert SESSION not in browser.jar


def test_sign_out_deletes_the_row_and_reports_it(mock_idp: MockIdP) -> None:
    events = EventLog()
    browser, store, _, token = _signed_in(mock_idp, events=events.handlers())
    res = browser.sign_out()
    assert res.status == 302
    assert SESSION not in browser.jar
    assert store.get_session_and_user(token) is None
    assert events.of("sign_out")[0]["session"]["session_token"] == token


def test_post_session_runs_the_session_callback_with_the_update(mock_idp: MockIdP) -> None:
    seen: list[dict[str, Any]] = []

    def session_callback(
        session: dict[str, Any],
        user: dict[str, Any] | None = None,
        new_session: Any = None,
        trigger: Any = None,
    ) -> dict[str, Any]:
        assert user is not None  # always given under the database strategy
        seen.append({"trigger": trigger, "new": new_session, "id": user["id"]})
        return {**session, "user_id": user["id"]}

    browser, store, _, _ = _signed_in(mock_idp, callbacks={"session": session_callback})
    user = store.get_user_by_email("octo@example.com")
    assert user is not None
    res = browser.call(
        "POST", "/session", json_body={"csrfToken": browser.csrf(), "data": {"theme": "dark"}}
    )
    assert res.status == 200
    assert res.json()["user_id"] == user["id"]
    assert seen[-1] == {"trigger": "update", "new": {"theme": "dark"}, "id": user["id"]}
    assert browser.session()["user_id"] == user["id"]
    assert seen[-1]["trigger"] is None


def test_credentials_only_config_cannot_use_database_sessions() -> None:
    from authcore import ConfigError, validate_config
    from authcore.providers.credentials import Credentials

    config = {
        "secret": "x" * 32,
        "adapter": MemoryStore(),
        "providers": [Credentials(authorize=lambda c, r: None)],
    }
    try:
        validate_config(config)
    except ConfigError as exc:
        assert exc.type == "UnsupportedStrategy"
        assert exc.details["option"] == "session.strategy"
    else:
        raise AssertionError("credentials-only with a store was accepted")
    validate_config({**config, "session": {"strategy": "jwt"}})


def test_generate_session_token_is_used(mock_idp: MockIdP) -> None:
    tokens = iter(["0b7a5e1c-6a3b-4c8e-9f10-2d3e4f5a6b7c"])
    browser, store, _, token = _signed_in(
        mock_idp, session={"generate_session_token": lambda: next(tokens)}
    )
    assert token == "0b7a5e1c-6a3b-4c8e-9f10-2d3e4f5a6b7c"  # a UUID, as Auth.js makes them
    assert store.get_session_and_user(token) is not None
    assert browser.session()["user"]["name"] == "Octo Cat"


def test_a_bad_session_token_generator_is_a_clean_error(mock_idp: MockIdP) -> None:
    store = MemoryStore()
    config = make_config(mock_idp, store, session={"generate_session_token": lambda: 42})
    res = Browser(config).oauth("github")
    assert res.location is not None and res.location.endswith("error=Configuration")
    assert not store._sessions
