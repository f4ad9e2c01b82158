"""Email sign-in on the SQLAlchemy store (SQLite file, and a PostgreSQL schema through
asyncpg): the row holds the hashed token, the link works once, a refused mail leaves no row."""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from authcore import Auth, Request
from authcore.providers.nodemailer import Nodemailer
from authcore.stores.sqlalchemy import AsyncSQLAlchemyStore, SQLAlchemyStore
from tests.support.smtp import Mailbox, smtp_server
from tests.support.stores import BASE, SECRET, Browser, postgres_schema, postgres_url

ADDRESS = "carol@example.com"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as box:
        yield box


def _config(box: Mailbox, store: Any) -> dict[str, Any]:
    return {
        "secret": SECRET,
        "env": {},
        "adapter": store,
        "providers": [Nodemailer(server=box.url)],
    }


def _post(browser: Browser) -> Any:
    form = {"csrfToken": browser.csrf(), "email": ADDRESS}
    return browser.call("POST", "/signin/nodemailer", form=form)


def test_sqlite_keeps_the_hashed_token_and_uses_it_once(mailbox: Mailbox, tmp_path: Path) -> None:
    db = tmp_path / "auth.db"
    store = SQLAlchemyStore(f"sqlite:///{db}")
    store.create_all()
    browser = Browser(_config(mailbox, store))
    _post(browser)
    link = mailbox.received[0].link()
    raw = parse_qs(urlsplit(link).query)["token"][0]
    rows = (
        sqlite3.connect(db).execute('SELECT identifier, token FROM "VerificationToken"').fetchall()
    )
    assert rows == [(ADDRESS, hashlib.sha256((raw + SECRET).encode()).hexdigest())]

    path = link.removeprefix(BASE)
    assert browser.call("GET", path).location == "http://localhost:3000"
    assert browser.call("GET", "/session").json()["user"]["email"] == ADDRESS
    user = store.get_user_by_email(ADDRESS)
    assert user is not None and user["email_verified"] is not None
    assert sqlite3.connect(db).execute('SELECT * FROM "VerificationToken"').fetchall() == []
    again = Browser(_config(mailbox, store)).call("GET", path)
    assert again.location == f"{BASE}/error?error=Verification"


def test_sqlite_refused_mail_leaves_no_row(mailbox: Mailbox, tmp_path: Path) -> None:
    db = tmp_path / "auth.db"
    store = SQLAlchemyStore(f"sqlite:///{db}")
    store.create_all()
    mailbox.refuse.add(ADDRESS)
    res = _post(Browser(_config(mailbox, store)))
    assert res.location == f"{BASE}/signin?error=EmailSignin"
    assert sqlite3.connect(db).execute('SELECT * FROM "VerificationToken"').fetchall() == []


def test_postgres_async_store(mailbox: Mailbox) -> None:
    with postgres_schema() as schema:
        store = AsyncSQLAlchemyStore(postgres_url("asyncpg"), schema=schema)
        config = _config(mailbox, store)

        async def run() -> tuple[Any, Any]:
            await store.create_all()
            try:
                csrf = await Auth(Request("GET", f"{BASE}/csrf"), config)
                cookie = "; ".join(
                    v.split(";")[0] for k, v in csrf.headers if k.lower() == "set-cookie"
                )
                body = f"csrfToken={csrf.json()['csrfToken']}&email=carol%40example.com"
                headers = {"cookie": cookie, "content-type": "application/x-www-form-urlencoded"}
                sent = await Auth(
                    Request("POST", f"{BASE}/signin/nodemailer", headers, body.encode()), config
                )
                used = await Auth(Request("GET", mailbox.received[0].link()), config)
                user = await store.get_user_by_email(ADDRESS)
                return sent, (used, user)
            finally:
                await store.engine.dispose()

        sent, (used, user) = asyncio.run(run())
    assert sent.location == f"{BASE}/verify-request?provider=nodemailer&type=email"
    assert used.location == "http://localhost:3000"
    assert user is not None and user["email_verified"] is not None
