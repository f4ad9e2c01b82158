"""OAuth sign-in with a store (Auth.js `handleLoginOrRegister`), through the mock IdP over
real HTTP, on a sync and an async store."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from authcore import jwt
from authcore.stores.memory import AsyncMemoryStore, MemoryStore
from authcore.testing import MockIdP, OIDCUser
from tests.support.stores import BASE, ORIGIN, SECRET, SESSION, Browser, EventLog, make_config


def _sync(store: MemoryStore | AsyncMemoryStore) -> MemoryStore:
    return store.sync if isinstance(store, AsyncMemoryStore) else store


@pytest.fixture(params=["sync", "async"])
def store(request: pytest.FixtureRequest) -> MemoryStore | AsyncMemoryStore:
    return MemoryStore() if request.param == "sync" else AsyncMemoryStore()


def test_first_sign_in_creates_user_account_and_database_session(
    mock_idp: MockIdP, store: MemoryStore | AsyncMemoryStore
) -> None:
    events = EventLog()
    browser = Browser(make_config(mock_idp, store, events=events.handlers()))
    res = browser.oauth("github")
    assert res.status == 302 and res.location == ORIGIN

    mem = _sync(store)
    user = mem.get_user_by_email("octo@example.com")
    assert user is not None and user["name"] == "Octo Cat" and user["email_verified"] is None
    assert user["id"] != "1234"  # a fresh id, not the provider's
    assert mem.get_user_by_account({"provider": "github", "provider_account_id": "1234"}) == user
    token = browser.jar[SESSION]
    assert "." not in token and len(token) >= 40  # opaque, not a JWT
    found = mem.get_session_and_user(token)
    assert found is not None and found["user"]["id"] == user["id"]

    assert events.names() == ["create_user", "link_account", "sign_in"]
    assert events.of("create_user")[0]["user"]["id"] == user["id"]
    linked = events.of("link_account")[0]["account"]
    assert linked["provider_account_id"] == "1234" and linked["user_id"] == user["id"]
    assert "access_token" in linked
    assert events.of("sign_in")[0]["is_new_user"] is True

    body = browser.session()
    assert body["user"] == {"name": "Octo Cat", "email": "octo@example.com", "image": user["image"]}


def test_returning_user_gets_a_new_session_and_no_new_user(
    mock_idp: MockIdP, store: MemoryStore | AsyncMemoryStore
) -> None:
    events = EventLog()
    config = make_config(mock_idp, store, events=events.handlers())
    first, second = Browser(config), Browser(config)
    first.oauth("github")
    second.oauth("github")
    mem = _sync(store)
    assert len(mem._users) == 1 and len(mem._accounts) == 1
    assert first.jar[SESSION] != second.jar[SESSION]
    assert first.session()["user"]["email"] == second.session()["user"]["email"]
    assert events.names().count("create_user") == 1
    assert [e["is_new_user"] for e in events.of("sign_in")] == [True, False]


def test_new_user_page_only_on_the_first_sign_in(
    mock_idp: MockIdP, store: MemoryStore | AsyncMemoryStore
) -> None:
    config = make_config(mock_idp, store, pages={"new_user": "/welcome"})
    browser = Browser(config)
    res = browser.oauth("github")
    assert res.location is not None
    target = urlsplit(res.location)
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{ORIGIN}/welcome"
    assert parse_qs(target.query) == {"callbackUrl": [ORIGIN]}
    assert Browser(config).oauth("github").location == ORIGIN


def test_signed_in_user_links_a_second_provider(
    mock_idp: MockIdP, store: MemoryStore | AsyncMemoryStore
) -> None:
    events = EventLog()
    browser = Browser(make_config(mock_idp, store, events=events.handlers()))
    browser.oauth("github")
    token = browser.jar[SESSION]
    res = browser.oauth("oidc")  # jane.doe@example.com: another email, same person
    assert res.status == 302 and res.location == ORIGIN
    mem = _sync(store)
    assert len(mem._users) == 1
    owner = mem.get_user_by_account({"provider": "oidc", "provider_account_id": "248289761001"})
    assert owner is not None and owner["email"] == "octo@example.com"
    assert browser.jar[SESSION] == token  # the same session goes on
    assert len(mem._sessions) == 1
    assert events.names()[-2:] == ["link_account", "sign_in"]


def test_same_email_from_another_provider_is_not_linked(
    mock_idp: MockIdP, store: MemoryStore | AsyncMemoryStore
) -> None:
    mock_idp.oidc_user = OIDCUser(email="octo@example.com")
    config = make_config(mock_idp, store)
    Browser(config).oauth("oidc")
    res = Browser(config).oauth("github")
    assert res.location == f"{BASE}/signin?error=OAuthAccountNotLinked"
    mem = _sync(store)
    assert len(mem._users) == 1 and len(mem._accounts) == 1
    assert len(mem._sessions) == 1


def test_dangerous_email_linking_joins_the_existing_user(
    mock_idp: MockIdP, store: MemoryStore | AsyncMemoryStore
) -> None:
    mock_idp.oidc_user = OIDCUser(email="octo@example.com")
    events = EventLog()
    config = make_config(mock_idp, store, events=events.handlers())
    config["providers"][0] = config["providers"][0].evolve(
        allow_dangerous_email_account_linking=True
    )
    Browser(config).oauth("oidc")
    res = Browser(config).oauth("github")
    assert res.location == ORIGIN
    mem = _sync(store)
    assert len(mem._users) == 1 and len(mem._accounts) == 2
    assert events.names().count("create_user") == 1  # not fired again for the existing user
    assert events.of("sign_in")[-1]["is_new_user"] is False


def test_known_account_while_signed_in_as_someone_else_is_refused(
    mock_idp: MockIdP, store: MemoryStore | AsyncMemoryStore
) -> None:
    config = make_config(mock_idp, store)
    Browser(config).oauth("oidc")  # the oidc account belongs to Jane
    browser = Browser(config)
    browser.oauth("github")  # signed in as Octo
    res = browser.oauth("oidc")
    assert res.location == f"{BASE}/signin?error=OAuthAccountNotLinked"
    mem = _sync(store)
    assert len(mem._users) == 2 and len(mem._accounts) == 2


def test_user_without_email_is_stored(
    mock_idp: MockIdP, store: MemoryStore | AsyncMemoryStore
) -> None:
    config = make_config(mock_idp, store)
    Browser(config).oauth("instagram")
    Browser(config).oauth("instagram")
    mem = _sync(store)
    ((provider, account_id),) = mem._accounts
    assert provider == "instagram" and account_id.isdigit() and int(account_id) > 2**53
    user = mem.get_user_by_account({"provider": provider, "provider_account_id": account_id})
    assert user is not None and user["email"] is None and user["name"] == "Mock Business"
    assert len(mem._users) == 1


def test_jwt_strategy_with_a_store_uses_the_stored_user_id(
    mock_idp: MockIdP, store: MemoryStore | AsyncMemoryStore
) -> None:
    seen: list[dict[str, Any]] = []

    def jwt_callback(token: dict[str, Any], trigger: str | None = None, **_: Any) -> Any:
        seen.append({"trigger": trigger, "sub": token.get("sub")})
        return token

    config = make_config(
        mock_idp, store, session={"strategy": "jwt"}, callbacks={"jwt": jwt_callback}
    )
    browser = Browser(config)
    browser.oauth("github")
    user = _sync(store).get_user_by_email("octo@example.com")
    assert user is not None
    payload = jwt.decode(token=browser.jar[SESSION], secret=SECRET, salt=SESSION)
    assert payload is not None and payload["sub"] == user["id"]
    assert seen[0] == {"trigger": "signUp", "sub": user["id"]}
    assert not _sync(store)._sessions  # no database session under the JWT strategy

    browser.oauth("oidc")  # signed in (JWT): the second provider is linked to the same user
    assert len(_sync(store)._users) == 1
    assert seen[-1]["trigger"] == "signIn"


def test_sign_in_callback_sees_the_stored_user(
    mock_idp: MockIdP, store: MemoryStore | AsyncMemoryStore
) -> None:
    seen: list[str] = []

    def sign_in(user: dict[str, Any], **_: Any) -> bool:
        seen.append(user["id"])
        return True

    config = make_config(mock_idp, store, callbacks={"sign_in": sign_in})
    Browser(config).oauth("github")
    Browser(config).oauth("github")
    stored = _sync(store).get_user_by_email("octo@example.com")
    assert stored is not None
    assert seen == ["1234", stored["id"]]  # the provider's user first, then the stored one


def test_refused_sign_in_writes_nothing(
    mock_idp: MockIdP, store: MemoryStore | AsyncMemoryStore
) -> None:
    config = make_config(mock_idp, store, callbacks={"sign_in": lambda **_: False})
    res = Browser(config).oauth("github")
    assert res.location == f"{BASE}/error?error=AccessDenied"
    assert not _sync(store)._users
