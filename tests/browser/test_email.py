"""Email sign-in in headless Chromium: a Starlette app on uvicorn (real HTTP) with the
Nodemailer provider mails through a real SMTP server (aiosmtpd on 127.0.0.1); Chromium fills
the built-in sign-in page, sees the verify-request page, opens the link taken from the
received MIME message (and presses the confirm page's button when `confirm=True`) and ends
signed in, the SQLite store holding the verified user. The same link opened again ends on the
error page, and nothing more is stored."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from authcore.providers.nodemailer import Nodemailer
from authcore.stores.sqlalchemy import AsyncSQLAlchemyStore, SQLAlchemyStore
from tests.support.live_app import LiveApp, serve
from tests.support.smtp import Mailbox, Received, smtp_server

pytestmark = pytest.mark.browser

ADDRESS = "dora@example.com"
SECRET = "browser-email-secret-0123456789abcdef"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as box:
        yield box


def _rows(db: Path, table: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(f'SELECT * FROM "{table}"').fetchall()


class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href"))


def _link_of(mail: Received, app: LiveApp) -> str:
    """The link, from the text part; the HTML part must carry the same one in its button."""
    assert mail.message.get_content_type() == "multipart/alternative"
    assert mail.rcpt_tos == [ADDRESS]
    assert mail.message["To"] == ADDRESS
    assert mail.message["Subject"] == f"Sign in to localhost:{app.port}"
    link = mail.link()
    assert link.startswith(f"{app.origin}/api/auth/callback/nodemailer?")
    query = parse_qs(urlsplit(link).query)
    assert query["email"] == [ADDRESS]
    assert len(query["token"][0]) == 64
    html = mail.part("html")
    reader = _Hrefs()
    reader.feed(html)
    assert reader.hrefs == [link]  # the one button of the HTML part
    assert f'href="{escape(link)}"' in html
    return link


def _sign_in_by_mail(page: Any, app: LiveApp, mailbox: Mailbox) -> str:
    page.goto(app.origin + "/api/auth/signin?callbackUrl=/")
    page.get_by_label("Email").fill(ADDRESS)
    page.get_by_role("button", name="Sign in with Nodemailer").click()
    page.wait_for_url(app.origin + "/api/auth/verify-request?provider=nodemailer&type=email")
    assert page.get_by_role("heading").inner_text() == "Check your email"
    [mail] = mailbox.received  # sent before the redirect was answered
    return _link_of(mail, app)


@pytest.mark.parametrize("confirm", [False, True], ids=["link", "confirm-page"])
def test_the_mailed_link_signs_in_once(
    browser: Any, mailbox: Mailbox, tmp_path: Path, screenshots: Path, confirm: bool
) -> None:
    db = tmp_path / "auth.db"
    SQLAlchemyStore(f"sqlite:///{db}").create_all()
    config = {
        "secret": SECRET,
        "env": {},
        "adapter": AsyncSQLAlchemyStore(f"sqlite:///{db}"),  # bound to uvicorn's event loop
        "providers": [
            Nodemailer(server=mailbox.url, from_="Auth <auth@example.com>", confirm=confirm)
        ],
    }
    with serve(config) as app:
        context = browser.new_context()
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            link = _sign_in_by_mail(page, app, mailbox)
            assert len(_rows(db, "VerificationToken")) == 1
            assert _rows(db, "User") == []

            page.goto(link)
            if confirm:  # the GET used nothing up: a mail scanner may fetch the link
                assert page.url == link
                assert len(_rows(db, "VerificationToken")) == 1
                page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(app.origin + "/")
            assert page.locator("#user").inner_text() == ADDRESS
            page.screenshot(path=str(screenshots / f"email-{'confirm' if confirm else 'link'}.png"))

            session = context.request.get(app.origin + "/api/auth/session").json()
            assert session["user"]["email"] == ADDRESS
            user = SQLAlchemyStore(f"sqlite:///{db}").get_user_by_email(ADDRESS)
            assert user is not None and user["email_verified"] is not None
            assert _rows(db, "VerificationToken") == []
            assert len(_rows(db, "Session")) == 1
            assert _rows(db, "Account") == []  # as in Auth.js: an email user links no account

            # The same link again, from a fresh browser: refused on a clear page.
            other = browser.new_context()
            again = other.new_page()
            again.set_default_timeout(15_000)
            again.goto(link)
            if confirm:
                again.get_by_role("button", name="Sign in").click()
            again.wait_for_url(app.origin + "/api/auth/error?error=Verification")
            text = again.locator("body").inner_text()
            assert "The sign in link is no longer valid." in text
            assert parse_qs(urlsplit(link).query)["token"][0] not in again.content()
            assert other.request.get(app.origin + "/api/auth/session").json() is None
            other.close()
            assert len(_rows(db, "User")) == 1
            assert len(_rows(db, "Session")) == 1
        finally:
            context.close()
