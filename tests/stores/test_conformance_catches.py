"""The conformance suite fails on the store bugs it exists for (each a real adapter bug)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from authcore.stores import AdapterSession, VerificationToken
from authcore.stores.memory import MemoryStore
from authcore.testing import StoreConformance


class IgnoresIdentifier(MemoryStore):
    """Auth.js's own test memory adapter: the token alone opens it (CVE-2021-21310 class)."""

    def use_verification_token(self, identifier: str, token: str) -> VerificationToken | None:
        for key in list(self._tokens):
            if key[1] == token:
                return self._tokens.pop(key)  # type: ignore[return-value]
        return None


class StaleEmailIndex(MemoryStore):
    """The upstash adapter's flaw: a changed email leaves the old lookup behind."""

    def update_user(self, user: Any) -> Any:
        old = self._users[user["id"]].get("email")
        updated = super().update_user(user)
        if old is not None:
            self._emails[old] = user["id"]
        return updated


class NaiveDates(MemoryStore):
    """What SQLite hands back without a type that restores the zone."""

    def create_session(self, session: AdapterSession) -> AdapterSession:
        naive = session["expires"].replace(tzinfo=None)
        return super().create_session({**session, "expires": naive})


class NotSingleUse(MemoryStore):
    def use_verification_token(self, identifier: str, token: str) -> VerificationToken | None:
        row = self._tokens.get((identifier, token))
        return row  # type: ignore[return-value]


class EmailNotUnique(MemoryStore):
    def create_user(self, user: Any) -> Any:
        self._users[user["id"]] = dict(user)
        if user.get("email") is not None:
            self._emails[user["email"]] = user["id"]
        return dict(user)


@pytest.mark.parametrize(
    ("store", "test", "message"),
    [
        (IgnoresIdentifier, "test_verification_token_needs_both_identifier_and_token", "identif"),
        (StaleEmailIndex, "test_update_user_email_moves_the_email_lookup", "old email"),
        (NaiveDates, "test_create_session_and_get_session_and_user", "expires"),
        (NotSingleUse, "test_create_and_use_verification_token", "used twice"),
        (NotSingleUse, "test_concurrent_use_of_one_verification_token", "concurrent uses"),
        (EmailNotUnique, "test_duplicate_email_is_refused", "same email"),
    ],
)
def test_suite_fails_a_broken_store(store: type[MemoryStore], test: str, message: str) -> None:
    class Suite(StoreConformance):
        def make_store(self) -> MemoryStore:
            return store()

    with pytest.raises(AssertionError, match=message):
        getattr(Suite(), test)()


def test_suite_closes_the_store_it_made() -> None:
    closed: list[datetime] = []

    class Closing(MemoryStore):
        def close(self) -> None:
            closed.append(datetime.now())

    class Suite(StoreConformance):
        def make_store(self) -> MemoryStore:
            return Closing()

    Suite().test_get_user_by_email()
    assert len(closed) == 1
