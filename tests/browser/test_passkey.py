"""Passkeys in headless Chromium with virtual authenticators (the DevTools WebAuthn domain: a
CTAP2 platform authenticator with resident keys and user verification, as a phone or laptop
is). The app is a Starlette app on uvicorn (real HTTP, `http://localhost:<port>`, a secure
context) with the Passkey provider on a SQLite file. Every refusal leaves the tables as they
were and nobody signed in."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from authcore.providers.passkey import Passkey
from authcore.stores.sqlalchemy import AsyncSQLAlchemyStore, SQLAlchemyStore
from tests.support.live_app import LiveApp, serve
from tests.support.virtual_authenticator import (
    Authenticators,
    load_simplewebauthn_browser,
    webauthn_sign_in,
)

pytestmark = pytest.mark.browser

SECRET = "browser-passkey-secret-0123456789abcdef"
EMAIL = "pia@example.com"
TABLES = ("User", "Account", "Session", "Authenticator")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "auth.db"
    store = SQLAlchemyStore(f"sqlite:///{path}")
    store.create_all()
    store.engine.dispose()
    return path


def rows(db: Path, table: str) -> list[dict[str, Any]]:
    with closing(sqlite3.connect(db)) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(f'SELECT * FROM "{table}"')]


def snapshot(db: Path) -> dict[str, list[dict[str, Any]]]:
    return {table: rows(db, table) for table in TABLES}


@contextmanager
def passkey_app(db: Path, **passkey: Any) -> Iterator[LiveApp]:
    config = {
        "secret": SECRET,
        "env": {},
        "adapter": AsyncSQLAlchemyStore(f"sqlite:///{db}"),  # bound to uvicorn's event loop
        "experimental": {"enable_webauthn": True},
        "providers": [Passkey(**passkey)],
    }
    with serve(config) as app:
        yield app


@dataclass
class Tab:
    """One browser context and page, with its virtual authenticators."""

    context: Any
    page: Any
    devices: Authenticators
    origin: str

    @property
    def base(self) -> str:
        return self.origin + "/api/auth"

    def session(self) -> Any:
        return self.context.request.get(self.base + "/session").json()

    def home(self) -> None:
        self.page.goto(self.origin + "/")
        load_simplewebauthn_browser(self.page)

    def page_sign_in(self, email: str | None = None) -> None:
        """The built-in sign-in page's passkey form: the email (if any), then the button."""
        self.page.goto(self.base + "/signin?callbackUrl=/")
        if email is not None:
            self.page.get_by_label("Email").fill(email)
        self.page.get_by_role("button", name="Sign in with Passkey").click()

    def client_sign_in(self, **params: str) -> dict[str, Any]:
        """next-auth's WebAuthn `signIn` from the home page; follows the answer's URL."""
        self.home()
        out = webauthn_sign_in(self.page, self.base, **params)
        if "url" in out:
            self.page.goto(out["url"])
        return out

    def sign_out(self) -> None:
        self.page.goto(self.base + "/signout")
        self.page.get_by_role("button", name="Sign out").click()
        self.page.wait_for_url(self.origin + "/")
        assert self.session() is None

    def signed_in_as(self) -> str:
        self.page.goto(self.origin + "/")
        text: str = self.page.locator("#who").inner_text()
        return text


@pytest.fixture
def tab(browser: Any) -> Iterator[Any]:
    """Yields a function opening a Tab on an origin (one context per test)."""
    contexts: list[Any] = []

    def open_tab(origin: str) -> Tab:
        context = browser.new_context()
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return Tab(context, page, Authenticators(context, page), origin)

    yield open_tab
    for context in contexts:
        context.close()


def counters(db: Path) -> dict[str, int]:
    return {a["credentialID"]: a["counter"] for a in rows(db, "Authenticator")}


def device_counters(tab: Tab, *devices: str) -> dict[str, int]:
    return {c.credential_id: c.sign_count for d in devices for c in tab.devices.credentials(d)}


def register(tab: Tab, email: str = EMAIL) -> None:
    """A new account with a passkey, through the built-in sign-in page."""
    tab.page_sign_in(email)
    tab.page.wait_for_url(tab.origin + "/")
    assert tab.signed_in_as() == f"Signed in as {email}"


@pytest.mark.parametrize("conditional", [True, False], ids=["autofill", "button"])
def test_register_sign_out_and_sign_in_again(tab: Any, db: Path, conditional: bool) -> None:
    """With conditional UI the sign-in page offers the passkey in the email field's autofill
    as it loads (Chromium's virtual authenticator answers at once, so the page signs in by
    itself); without it, the user types the email and presses the button."""
    with passkey_app(db, enable_conditional_ui=conditional) as app:
        t = tab(app.origin)
        device = t.devices.add()
        register(t)
        [credential] = t.devices.credentials(device)
        assert credential.rp_id == "localhost" and credential.is_resident

        [user] = rows(db, "User")
        assert user["email"] == EMAIL
        [account] = rows(db, "Account")
        assert account["type"] == "webauthn" and account["provider"] == "passkey"
        assert account["userId"] == user["id"]
        [stored] = rows(db, "Authenticator")
        assert stored["credentialID"] == credential.credential_id
        assert stored["providerAccountId"] == credential.credential_id
        assert stored["userId"] == user["id"]
        assert stored["counter"] == credential.sign_count == 1
        assert len(rows(db, "Session")) == 1
        assert t.session()["user"]["email"] == EMAIL

        t.sign_out()
        assert rows(db, "Session") == []

        if conditional:
            t.page.goto(t.base + "/signin?callbackUrl=/")
        else:
            t.page_sign_in(EMAIL)
        t.page.wait_for_url(t.origin + "/")
        assert t.signed_in_as() == f"Signed in as {EMAIL}"
        [stored] = rows(db, "Authenticator")
        assert stored["counter"] == t.devices.credentials(device)[0].sign_count == 2

        # next-auth's client, and without the email: the discoverable credential names the user.
        t.sign_out()
        out = t.client_sign_in()
        assert out.get("action") == "authenticate", out
        assert t.signed_in_as() == f"Signed in as {EMAIL}"
        assert rows(db, "Authenticator")[0]["counter"] == 3
        assert len(rows(db, "User")) == 1 and len(rows(db, "Account")) == 1


def test_a_second_device_for_the_same_user(tab: Any, db: Path) -> None:
    with passkey_app(db, enable_conditional_ui=False) as app:
        t = tab(app.origin)
        laptop = t.devices.add()
        register(t)

        # Signed in, the user adds a security key (Chromium allows one internal authenticator
        # per page); the laptop's stays silent (no user presence). The built-in page has no
        # "add a passkey" button (nor has Auth.js's): apps call next-auth's
        # `signIn("passkey", {action: "register"})`, run here as it is.
        key = t.devices.add(transport="usb")
        t.devices.set_presence(laptop, False)
        out = t.client_sign_in(action="register")
        assert out.get("action") == "register", out
        assert t.signed_in_as() == f"Signed in as {EMAIL}"
        [on_laptop] = t.devices.credentials(laptop)
        [on_key] = t.devices.credentials(key)
        assert on_key.credential_id != on_laptop.credential_id

        [user] = rows(db, "User")
        stored = {a["credentialID"]: a for a in rows(db, "Authenticator")}
        assert set(stored) == {on_laptop.credential_id, on_key.credential_id}
        assert {a["userId"] for a in stored.values()} == {user["id"]}
        assert len(rows(db, "Account")) == 2

        t.sign_out()
        t.page_sign_in(EMAIL)  # only the key answers
        t.page.wait_for_url(t.origin + "/")
        assert t.signed_in_as() == f"Signed in as {EMAIL}"
        # The key's counter, as the key reports it now, is stored; the laptop's is untouched.
        # (Chromium's authenticators may count silent probes too, e.g. the exclude list
        # checked at registration: a device's counter can be ahead of the stored one.)
        now = device_counters(t, key)
        assert counters(db) == {on_laptop.credential_id: 1, **now}
        assert now[on_key.credential_id] > on_key.sign_count

        t.sign_out()
        t.devices.set_presence(key, False)
        t.devices.set_presence(laptop, True)
        t.page_sign_in(EMAIL)  # only the laptop answers
        t.page.wait_for_url(t.origin + "/")
        assert t.signed_in_as() == f"Signed in as {EMAIL}"
        assert counters(db) == {**now, **device_counters(t, laptop)}
        assert counters(db)[on_laptop.credential_id] > 1


def test_a_synced_passkey_and_impossible_backup_flags(tab: Any, db: Path) -> None:
    """A backed-up passkey (BE and BS flags, as a password manager's) is stored as
    `multiDevice`, backed up; an assertion claiming a backup without backup eligibility
    (flags no authenticator may send) is refused."""
    with passkey_app(db, enable_conditional_ui=False) as app:
        t = tab(app.origin)
        device = t.devices.add(backup_eligible=True, backed_up=True)
        register(t)
        [stored] = rows(db, "Authenticator")
        assert stored["credentialDeviceType"] == "multiDevice"
        assert stored["credentialBackedUp"] == 1  # SQLite's boolean
        t.sign_out()

        [credential] = t.devices.credentials(device)
        t.devices.set_credential_properties(
            device, credential.credential_id, backupEligibility=False, backupState=True
        )
        before = snapshot(db)
        t.page_sign_in(EMAIL)
        t.page.wait_for_url(f"{t.base}/error?error=WebAuthnVerificationError")
        assert t.session() is None
        assert snapshot(db) == before

        t.devices.set_credential_properties(
            device, credential.credential_id, backupEligibility=True, backupState=True
        )
        t.page_sign_in(EMAIL)
        t.page.wait_for_url(t.origin + "/")
        assert t.signed_in_as() == f"Signed in as {EMAIL}"


def test_a_cloned_authenticator_is_refused(tab: Any, db: Path) -> None:
    with passkey_app(db, enable_conditional_ui=False) as app:
        t = tab(app.origin)
        original = t.devices.add()
        register(t)
        t.sign_out()
        t.page_sign_in(EMAIL)
        t.page.wait_for_url(t.origin + "/")
        t.sign_out()
        [credential] = t.devices.credentials(original)
        assert credential.sign_count == 2
        before = snapshot(db)
        assert before["Authenticator"][0]["counter"] == 2

        # The same key pair in another authenticator whose counter is behind: a clone.
        t.devices.remove(original)
        clone = t.devices.add()
        t.devices.add_credential(clone, t.devices.clone(credential, sign_count=0))
        t.page_sign_in(EMAIL)
        t.page.wait_for_url(f"{t.base}/error?error=WebAuthnVerificationError")
        assert "The passkey could not be verified." in t.page.locator("body").inner_text()
        assert t.session() is None
        assert snapshot(db) == before

        # The same key with a counter ahead of the stored one is the real device: accepted.
        t.devices.remove(clone)
        ahead = t.devices.add()
        t.devices.add_credential(ahead, t.devices.clone(credential, sign_count=41))
        t.page_sign_in(EMAIL)
        t.page.wait_for_url(t.origin + "/")
        assert t.signed_in_as() == f"Signed in as {EMAIL}"
        assert rows(db, "Authenticator")[0]["counter"] == 42


def test_a_wrong_origin_is_refused(tab: Any, db: Path) -> None:
    """The app expects another origin than the page's (same RP ID): the server refuses an
    assertion for a passkey registered on the right app, and a new registration."""
    with passkey_app(db, enable_conditional_ui=False) as good:
        t = tab(good.origin)
        device = t.devices.add()
        register(t)
        t.sign_out()
    before = snapshot(db)
    wrong_origin = {"origin": "http://localhost:1"}
    with passkey_app(db, enable_conditional_ui=False, relying_party=wrong_origin) as wrong:
        w = tab(wrong.origin)
        w.devices.add_credential(w.devices.add(), t.devices.credentials(device)[0].raw)
        w.page_sign_in(EMAIL)
        w.page.wait_for_url(f"{w.base}/error?error=WebAuthnVerificationError")
        assert "The passkey could not be verified." in w.page.locator("body").inner_text()
        assert w.session() is None

        other = tab(wrong.origin)
        fresh = other.devices.add()
        other.page_sign_in("newcomer@example.com")
        other.page.wait_for_url(f"{other.base}/error?error=WebAuthnVerificationError")
        assert len(other.devices.credentials(fresh)) == 1  # the browser made one; not stored
        assert other.session() is None
    assert snapshot(db) == before


def test_an_rp_id_the_page_cannot_use_is_refused_by_the_browser(tab: Any, db: Path) -> None:
    """Served on 127.0.0.1 with the RP ID `localhost`: Chromium will neither create nor use a
    credential for an RP ID that is not the page's host (or a parent of it), so nothing
    reaches the callback; the form says the passkey could not be used."""
    with passkey_app(db, enable_conditional_ui=False, relying_party={"id": "localhost"}) as app:
        t = tab(app.at("127.0.0.1"))
        errors: list[str] = []
        t.page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        device = t.devices.add()
        status = t.page.get_by_role("alert")

        t.page_sign_in(EMAIL)
        status.filter(has_text="The passkey could not be used.").wait_for()
        assert any("SecurityError" in e for e in errors), errors
        assert t.page.url.startswith(t.base + "/signin")
        assert t.devices.credentials(device) == []
        assert snapshot(db) == {table: [] for table in TABLES}

        # A passkey made on localhost, offered on 127.0.0.1: the browser will not use it.
        ok = tab(app.origin)
        made = ok.devices.add()
        register(ok)
        before = snapshot(db)
        t.devices.add_credential(device, ok.devices.credentials(made)[0].raw)
        errors.clear()
        t.page_sign_in(EMAIL)
        status.filter(has_text="The passkey could not be used.").wait_for()
        assert any("SecurityError" in e for e in errors), errors
        assert t.session() is None
        assert snapshot(db) == before
