"""The Next.js reader answers database sessions when given a store on the same database."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from authcore import Request
from authcore.nextjs import NextAuthReader
from authcore.stores.memory import AsyncMemoryStore, MemoryStore
from authcore.stores.sqlalchemy import SQLAlchemyStore

NOW = 1_800_000_000.0
TOKEN = "0b7a5e1c-6a3b-4c8e-9f10-2d3e4f5a6b7c"  # Auth.js: crypto.randomUUID()
SECRET = "nextjs-reader-secret-0123456789abcdef"


def _request(token: str = TOKEN, name: str = "authjs.session-token") -> Request:
    return Request("GET", "http://localhost:3000/api/me", {"cookie": f"{name}={token}"})


def _store(store: MemoryStore | SQLAlchemyStore, expires_in: float) -> None:
    store.create_user(
        {"id": "u1", "email": "jane@example.com", "email_verified": None, "name": "Jane"}
    )
    expires = datetime.fromtimestamp(NOW + expires_in, timezone.utc)
    store.create_session({"session_token": TOKEN, "user_id": "u1", "expires": expires})


def test_database_session_is_read_from_the_store() -> None:
    store = MemoryStore()
    _store(store, 3600)
    reader = NextAuthReader(SECRET, store=store, now=lambda: NOW)
    session = reader.read(_request())
    assert session is not None
    assert (session.user.id, session.user.name) == ("u1", "Jane")
    assert session.user.email == "jane@example.com"
    assert session.expires == datetime.fromtimestamp(NOW + 3600, timezone.utc)
    assert session.to_dict()["user"]["id"] == "u1"
    v4 = reader.read(_request(name="next-auth.session-token"))
    assert v4 is not None and v4.generation == "v4"


def test_expired_unknown_and_storeless_reads_give_no_session() -> None:
    store = MemoryStore()
    _store(store, -1)
    reader = NextAuthReader(SECRET, store=store, now=lambda: NOW)
    assert reader.inspect(_request()).reason == "expired"
    assert store.get_session_and_user(TOKEN) is not None  # read-only: the app deletes it
    assert reader.inspect(_request("1" * 36)).reason == "invalid_token"
    plain = NextAuthReader(SECRET, now=lambda: NOW, on_database_session="ignore")
    assert plain.inspect(_request()).reason == "database_session"


def test_an_async_or_failing_store_fails_closed() -> None:
    reader = NextAuthReader(SECRET, store=AsyncMemoryStore(), now=lambda: NOW)
    result = reader.inspect(_request())
    assert result.session is None and result.reason == "database_session"


def test_reads_a_sqlite_database_shared_with_the_app(tmp_path: Path) -> None:
    store = SQLAlchemyStore(f"sqlite:///{tmp_path / 'shared.db'}")
    store.create_all()
    _store(store, timedelta(days=30).total_seconds())
    reader = NextAuthReader(SECRET, store=SQLAlchemyStore(store.engine.url), now=lambda: NOW)
    session = reader.read(_request())
    assert session is not None and session.user.email == "jane@example.com"
