"""One database shared by authcore and Auth.js's Kysely adapter (`@auth/kysely-adapter`,
driven by the real @auth/core 0.41.3): PostgreSQL through authcore's Django store and `pg`, and
one SQLite file through authcore's SQLAlchemy store and `better-sqlite3`. Rows written by
either side are read by the other without loss (dates, NULL emails, 64-bit Instagram ids),
and a session created by either side is the signed-in session of the other."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from tests.support.django_stores import django_database, postgres_database
from tests.support.services import service_url

from .node_bridge import NodeWorker

pytestmark = pytest.mark.interop

SECRET = "interop-store-secret-0123456789abcdef"
ORIGIN = "http://localhost:3000"
IG_ID = "17841400000000001"  # an Instagram user id: past 2**53, exact only as text


@pytest.fixture(scope="module", params=["postgres", "sqlite"])
def shared_db(
    request: pytest.FixtureRequest, authjs: NodeWorker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """A fresh database with authcore's tables, the spec the Node side opens it with, and
    the authcore store on it: on PostgreSQL the tables come from the Django store's
    migrations, on SQLite from `SQLAlchemyStore.create_all()`."""
    if request.param == "sqlite":
        from authcore.stores.sqlalchemy import SQLAlchemyStore

        path: Path = tmp_path_factory.mktemp("shared") / "authcore.db"
        sqlite_store = SQLAlchemyStore(f"sqlite:///{path}")
        sqlite_store.create_all()
        try:
            yield {"dialect": "sqlite", "path": str(path), "store": sqlite_store}
        finally:
            authjs.call_ok("kysely.close")
            sqlite_store.close()
        return
    url = service_url("POSTGRES")
    with postgres_database(url) as database, django_database(database):
        from authcore.stores.django import DjangoStore  # needs the settings just configured

        info = database
        node_url = (
            f"postgresql://{info['USER']}:{info['PASSWORD']}@{info['HOST']}:{info['PORT']}"
            f"/{info['NAME']}"
        )
        yield {"dialect": "postgres", "url": node_url, "store": DjangoStore()}
        authjs.call_ok("kysely.close")


def _spec(db: dict[str, Any]) -> dict[str, Any]:
    """What the Node side opens (the store object stays on this side)."""
    return {k: v for k, v in db.items() if k != "store"}


def kysely(authjs: NodeWorker, db: dict[str, Any], method: str, *args: Any) -> Any:
    return authjs.call_ok("kysely.call", database=_spec(db), method=method, args=list(args))[
        "result"
    ]


def js_date(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def ms(value: datetime) -> datetime:
    """JavaScript dates hold milliseconds."""
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def authjs_session(authjs: NodeWorker, db: dict[str, Any], token: str) -> dict[str, Any]:
    """Auth.js's own GET /session under the database strategy, on the shared tables."""
    res: dict[str, Any] = authjs.call_ok(
        "v5.auth",
        method="GET",
        url=f"{ORIGIN}/auth/session",
        headers={"cookie": f"authjs.session-token={token}"},
        config={
            "secret": SECRET,
            "trustHost": True,
            "basePath": "/auth",
            # A provider other than credentials: Auth.js keeps "a credentials provider was
            # seen" in a module-level flag that earlier tests in this worker may have set,
            # and refuses the database strategy when every provider could be credentials.
            "providers": [{"type": "instagram", "clientId": "id", "clientSecret": "secret"}],
            "adapter": _spec(db),
            "session": {"strategy": "database"},
        },
    )
    return res


def authcore_session(db: dict[str, Any], token: str) -> Any:
    from authcore import Request, auth_sync
    from authcore.providers.github import GitHub

    config: dict[str, Any] = {
        "secret": SECRET,
        "trust_host": True,
        "env": {},
        "providers": [GitHub(client_id="id", client_secret="secret")],
        "adapter": db["store"],
        "session": {"strategy": "database"},
    }
    cookie = [("cookie", f"authjs.session-token={token}")]
    return auth_sync(Request("GET", f"{ORIGIN}/api/auth/session", headers=cookie), config)


def test_what_authjs_writes_authcore_reads(authjs: NodeWorker, shared_db: dict[str, Any]) -> None:
    verified = ms(datetime.now(timezone.utc) - timedelta(days=3))
    expires = ms(datetime.now(timezone.utc) + timedelta(days=30))
    user = kysely(
        authjs,
        shared_db,
        "createUser",
        {"name": "Zoë 🚀", "email": None, "emailVerified": verified.isoformat(), "image": None},
    )
    kysely(
        authjs,
        shared_db,
        "linkAccount",
        {
            "userId": user["id"],
            "type": "oauth",
            "provider": "instagram",
            "providerAccountId": IG_ID,
            "access_token": "IGAA-token",
            "token_type": "bearer",
            "expires_at": 1893456000,
            "scope": "instagram_business_basic",
        },
    )
    token = str(uuid.uuid4())
    kysely(
        authjs,
        shared_db,
        "createSession",
        {"sessionToken": token, "userId": user["id"], "expires": expires.isoformat()},
    )

    found = shared_db["store"].get_session_and_user(token)
    assert found is not None
    assert found["session"] == {"session_token": token, "user_id": user["id"], "expires": expires}
    assert found["user"] == {
        "id": user["id"],
        "name": "Zoë 🚀",
        "email": None,
        "email_verified": verified,
        "image": None,
    }
    by_account = shared_db["store"].get_user_by_account(
        {"provider": "instagram", "provider_account_id": IG_ID}
    )
    assert by_account is not None and by_account["id"] == user["id"]
    account = shared_db["store"].get_account(IG_ID, "instagram")
    assert account is not None
    assert (account["expires_at"], account["access_token"], account["refresh_token"]) == (
        1893456000,
        "IGAA-token",
        None,
    )

    # authcore's own GET /session under the database strategy, on the Node side's session
    res = authcore_session(shared_db, token)
    assert res.status == 200
    assert json.loads(res.body)["user"] == {"name": "Zoë 🚀", "email": None, "image": None}

    # signed out on the Node side: gone for authcore too
    kysely(authjs, shared_db, "deleteSession", token)
    assert shared_db["store"].get_session_and_user(token) is None
    assert json.loads(authcore_session(shared_db, token).body) is None


def test_what_authcore_writes_authjs_reads(authjs: NodeWorker, shared_db: dict[str, Any]) -> None:
    s = shared_db["store"]
    user_id = str(uuid.uuid4())
    verified = ms(datetime.now(timezone.utc) - timedelta(hours=5))
    s.create_user(
        {
            "id": user_id,
            "email": f"ada.{user_id[:8]}@example.com",
            "email_verified": verified,
            "name": "Ada",
            "image": "https://example.com/ada.png",
        }
    )
    s.create_user({"id": str(uuid.uuid4()), "email": None, "email_verified": None})  # 2nd NULL
    s.link_account(
        {
            "user_id": user_id,
            "type": "oauth",
            "provider": "instagram",
            "provider_account_id": IG_ID + "2",
            "access_token": "IGAA-other",
            "expires_at": 2**40,
        }
    )
    token = str(uuid.uuid4())
    expires = ms(datetime.now(timezone.utc) + timedelta(days=30))
    s.create_session({"session_token": token, "user_id": user_id, "expires": expires})

    got = kysely(authjs, shared_db, "getSessionAndUser", token)
    assert got["session"]["sessionToken"] == token
    assert got["session"]["userId"] == user_id
    assert js_date(got["session"]["expires"]) == expires
    assert got["user"]["email"] == f"ada.{user_id[:8]}@example.com"
    assert js_date(got["user"]["emailVerified"]) == verified
    by_account = kysely(
        authjs,
        shared_db,
        "getUserByAccount",
        {"provider": "instagram", "providerAccountId": IG_ID + "2"},
    )
    assert by_account["id"] == user_id

    # Auth.js's own GET /session under the database strategy: the session authcore created
    res = authjs_session(authjs, shared_db, token)
    assert res["status"] == 200, res
    assert res["json"]["user"] == {
        "name": "Ada",
        "email": f"ada.{user_id[:8]}@example.com",
        "image": "https://example.com/ada.png",
    }
    assert js_date(res["json"]["expires"]) == expires

    # signed out on authcore's side: Auth.js no longer finds it
    s.delete_session(token)
    gone = authjs_session(authjs, shared_db, token)
    assert gone["status"] == 200 and gone["json"] is None
