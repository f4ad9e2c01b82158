"""The Django ORM store on SQLite and on a real PostgreSQL: the conformance suite through the
sync and the async store, then what is Django's own (migrations, table layout, errors)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from authcore.testing import PurgeConformance, StoreConformance, WebAuthnConformance
from tests.support.django_stores import django_database, postgres_database, sqlite_settings
from tests.support.services import service_url


@pytest.fixture(scope="module")
def sqlite_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    path = tmp_path_factory.mktemp("django-store") / "authcore.sqlite3"
    with django_database(sqlite_settings(str(path))):
        yield


@pytest.fixture(scope="module")
def postgres_db() -> Iterator[None]:
    with postgres_database(service_url("POSTGRES")) as database, django_database(database):
        yield


@pytest.fixture
def sync_orm_in_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    """The suite drives a sync store from inside an event loop, one call at a time; Django
    refuses ORM calls there unless told it is safe (it is: nothing else runs on the loop)."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _sync_store() -> Any:
    from authcore.stores.django import DjangoStore

    return DjangoStore()


def _async_store() -> Any:
    from authcore.stores.django import AsyncDjangoStore

    return AsyncDjangoStore()


@pytest.mark.usefixtures("sqlite_db", "sync_orm_in_tests")
class TestDjangoStoreSQLite(StoreConformance, PurgeConformance, WebAuthnConformance):
    def make_store(self) -> Any:
        return _sync_store()


@pytest.mark.usefixtures("sqlite_db")
class TestAsyncDjangoStoreSQLite(StoreConformance, PurgeConformance, WebAuthnConformance):
    def make_store(self) -> Any:
        return _async_store()


@pytest.mark.usefixtures("postgres_db", "sync_orm_in_tests")
class TestDjangoStorePostgres(StoreConformance, PurgeConformance, WebAuthnConformance):
    def make_store(self) -> Any:
        return _sync_store()


@pytest.mark.usefixtures("postgres_db")
class TestAsyncDjangoStorePostgres(StoreConformance, PurgeConformance, WebAuthnConformance):
    def make_store(self) -> Any:
        return _async_store()


def test_migrations_match_the_models(sqlite_db: None) -> None:
    from django.core.management import call_command

    call_command("makemigrations", "authcore", check=True, dry_run=True, verbosity=0)


def test_tables_have_the_authjs_names(postgres_db: None) -> None:
    """The Prisma/Kysely layout, column for column, so a Next.js app can share the tables."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = 'public' AND table_name IN"
            " ('User', 'Account', 'Session', 'VerificationToken', 'Authenticator')"
        )
        columns: dict[str, set[str]] = {}
        for table, column in cursor.fetchall():
            columns.setdefault(table, set()).add(column)
    assert columns["User"] == {"id", "name", "email", "emailVerified", "image"}
    assert columns["Session"] == {"sessionToken", "userId", "expires"}
    assert columns["VerificationToken"] == {"identifier", "token", "expires"}
    assert columns["Account"] == {
        "userId",
        "type",
        "provider",
        "providerAccountId",
        "refresh_token",
        "access_token",
        "expires_at",
        "token_type",
        "scope",
        "id_token",
        "session_state",
    }
    assert columns["Authenticator"] == {
        "credentialID",
        "userId",
        "providerAccountId",
        "credentialPublicKey",
        "counter",
        "credentialDeviceType",
        "credentialBackedUp",
        "transports",
    }


def test_rows_written_by_sql_are_read_by_the_store(postgres_db: None) -> None:
    """What a Node app on the Kysely adapter inserts: plain SQL on the camelCase columns,
    no `id` for accounts and sessions."""
    from django.db import connection

    from authcore.stores.django import DjangoStore

    user_id, token = str(uuid.uuid4()), str(uuid.uuid4())
    expires = datetime(2031, 1, 2, 3, 4, 5, 678000, tzinfo=timezone.utc)
    with connection.cursor() as cursor:
        cursor.execute(
            'INSERT INTO "User" (id, name, email, "emailVerified", image)'
            " VALUES (%s, NULL, NULL, NULL, NULL)",
            [user_id],
        )
        cursor.execute(
            'INSERT INTO "Account" ("userId", type, provider, "providerAccountId", expires_at)'
            " VALUES (%s, 'oauth', 'instagram', '17841400000000001', %s)",
            [user_id, 2**40],
        )
        cursor.execute(
            'INSERT INTO "Session" ("sessionToken", "userId", expires) VALUES (%s, %s, %s)',
            [token, user_id, expires],
        )
    store = DjangoStore()
    found = store.get_session_and_user(token)
    assert found is not None
    assert found["session"]["expires"] == expires
    assert found["user"] == {
        "id": user_id,
        "email": None,
        "email_verified": None,
        "name": None,
        "image": None,
    }
    account = store.get_account("17841400000000001", "instagram")
    assert account is not None and account["expires_at"] == 2**40


def test_refusals_do_not_carry_the_key(postgres_db: None) -> None:
    """PostgreSQL's own message repeats the duplicate value; the store's error does not."""
    from authcore.stores.django import DjangoStore, DjangoStoreError

    store = DjangoStore()
    user_id = str(uuid.uuid4())
    store.create_user({"id": user_id, "email": None, "email_verified": None})
    secret = "session-" + uuid.uuid4().hex
    session: Any = {
        "session_token": secret,
        "user_id": user_id,
        "expires": datetime.now(timezone.utc) + timedelta(days=1),
    }
    store.create_session(session)
    with pytest.raises(DjangoStoreError) as caught:
        store.create_session(session)
    assert secret not in str(caught.value) and caught.value.__cause__ is None
    assert caught.value.__suppress_context__
    with pytest.raises(ValueError, match="timezone-aware"):
        naive: Any = {**session, "session_token": "x", "expires": datetime(2030, 1, 1)}
        store.create_session(naive)


def test_importing_the_package_does_not_need_django_set_up() -> None:
    """`INSTALLED_APPS` names the package: importing it must not touch models."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", "import authcore.stores.django as m; print(sorted(m.__all__))"],
        check=False,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr
    assert "DjangoStore" in done.stdout
