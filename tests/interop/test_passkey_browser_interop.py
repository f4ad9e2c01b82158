"""Passkeys shared with Auth.js: the real `@auth/core@0.41.3` Passkey provider
(`@simplewebauthn/server` 9) with `@auth/kysely-adapter` on a PostgreSQL database of its own,
served by Node's http server (`tests/interop/node/passkey_server.mjs`), and authcore (its
Passkey provider on Starlette + uvicorn, the SQLAlchemy store) on the same tables.

Every ceremony is real: headless Chromium with virtual authenticators (the DevTools WebAuthn
domain: a CTAP2 platform authenticator, and a USB security key, both with resident keys and
user verification). On the Node side Chromium uses Auth.js's own sign-in page, whose script
(`@simplewebauthn/browser` 9.0.1 from npm, served in place of unpkg) runs
`navigator.credentials.create` / `.get`; on authcore's side its built-in sign-in page, and
next-auth's client `signIn("passkey", ...)` (the same @simplewebauthn/browser) where a page
has no button for it (adding a second passkey). No software authenticator is involved.
Both ways: registered through Auth.js, signed in through authcore; registered through
authcore, signed in through Auth.js."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from authcore.providers.passkey import Passkey
from authcore.stores.sqlalchemy import AsyncSQLAlchemyStore, SQLAlchemyStore
from tests.support.django_stores import postgres_database
from tests.support.live_app import LiveApp, serve
from tests.support.services import service_url
from tests.support.virtual_authenticator import (
    Authenticators,
    load_simplewebauthn_browser,
    serve_simplewebauthn_browser,
    webauthn_sign_in,
)

from .node_bridge import NodeServer, NodeWorker, passkey_server

pytestmark = [pytest.mark.interop, pytest.mark.browser]

SECRET = "interop-passkey-secret-0123456789abcdef"


@pytest.fixture(scope="module")
def shared_db(authjs: NodeWorker) -> Iterator[str]:
    """A fresh PostgreSQL database with the tables authcore's SQLAlchemy store creates (the
    names and columns Auth.js's adapters use); its URL."""
    with postgres_database(service_url("POSTGRES")) as info:
        url = (
            f"postgresql://{info['USER']}:{info['PASSWORD']}@{info['HOST']}:{info['PORT']}"
            f"/{info['NAME']}"
        )
        store = SQLAlchemyStore(url)
        store.create_all()
        store.engine.dispose()
        yield url


@pytest.fixture(scope="module")
def authjs_app(shared_db: str) -> Iterator[NodeServer]:
    spec = {"secret": SECRET, "database": {"dialect": "postgres", "url": shared_db}}
    with passkey_server(spec) as server:
        yield server


@pytest.fixture(scope="module")
def authcore_app(shared_db: str) -> Iterator[LiveApp]:
    """authcore (Starlette on uvicorn) with its Passkey provider on the same database."""
    config = {
        "secret": SECRET,
        "env": {},
        "adapter": AsyncSQLAlchemyStore(shared_db),  # bound to uvicorn's event loop
        "experimental": {"enable_webauthn": True},
        "providers": [Passkey()],
    }
    with serve(config) as app:
        yield app


@pytest.fixture
def store(shared_db: str) -> Iterator[SQLAlchemyStore]:
    s = SQLAlchemyStore(shared_db)
    yield s
    s.engine.dispose()


def register_with_authjs(
    browser: Any, authjs_app: NodeServer, email: str
) -> tuple[Any, Any, Authenticators, str]:
    """Chromium registers a new passkey for `email` on Auth.js's sign-in page and ends signed
    in there; returns the context, page, its authenticators and the authenticator's id."""
    context = browser.new_context()
    serve_simplewebauthn_browser(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    devices = Authenticators(context, page)
    device = devices.add()
    origin = authjs_app.origin()
    # Not `?callbackUrl=/`: Auth.js's page script takes its auth URL as the page URL up to
    # the last "/" (packages/core/src/lib/pages/signin.tsx), which a "/" in the query breaks.
    page.goto(origin + "/api/auth/signin?callbackUrl=%2F")
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Sign in with Passkey").click()
    page.wait_for_url(origin + "/")
    assert page.locator("#user").inner_text() == email, authjs_app.log
    return context, page, devices, device


def test_a_passkey_registered_by_authjs_is_read_by_authcore(
    browser: Any, authjs_app: NodeServer, store: SQLAlchemyStore
) -> None:
    email = "pat@example.com"
    context, _, devices, device = register_with_authjs(browser, authjs_app, email)
    try:
        [credential] = devices.credentials(device)
        assert credential.rp_id == "localhost"
        assert credential.is_resident
        assert credential.sign_count == 1  # Chromium counts the registration

        user = store.get_user_by_email(email)
        assert user is not None
        [stored] = store.list_authenticators_by_user_id(user["id"])
        assert stored == store.get_authenticator(credential.credential_id)
        assert stored["credential_id"] == credential.credential_id  # standard base64, padded
        assert stored["provider_account_id"] == credential.credential_id
        assert stored["counter"] == 1
        assert stored["credential_device_type"] == "singleDevice"
        assert stored["credential_backed_up"] is False
        assert stored["transports"] == "internal"
        account = store.get_account(stored["provider_account_id"], "passkey")
        assert account is not None
        assert account["type"] == "webauthn"
        assert account["user_id"] == user["id"]
    finally:
        context.close()


def sign_in_with_authcore(page: Any, app: LiveApp, **params: str) -> dict[str, Any]:
    """next-auth's WebAuthn `signIn` (the client a Next.js app on Auth.js uses) against
    authcore, from authcore's home page; follows the answer's URL."""
    page.goto(app.origin + "/")
    load_simplewebauthn_browser(page)
    out = webauthn_sign_in(page, app.origin + "/api/auth", **params)
    if "url" in out:
        page.goto(out["url"])
    return out


def sign_in_with_authjs(page: Any, authjs_app: NodeServer, email: str) -> None:
    """Auth.js's sign-in page with a passkey on the device: its script starts a conditional
    (autofill) request on load, which Chromium's virtual authenticator answers at once, and
    the page posts it and lands signed in; no click needed."""
    origin = authjs_app.origin()
    page.goto(origin + "/api/auth/signin?callbackUrl=%2F")
    page.wait_for_url(origin + "/")
    assert page.locator("#user").inner_text() == email, authjs_app.log


def counter(store: SQLAlchemyStore, credential_id: str) -> int:
    found = store.get_authenticator(credential_id)
    assert found is not None
    return found["counter"]


def test_a_passkey_registered_by_authjs_signs_in_through_authcore(
    browser: Any, authjs_app: NodeServer, authcore_app: LiveApp, store: SQLAlchemyStore
) -> None:
    email = "quinn@example.com"
    context, page, devices, device = register_with_authjs(browser, authjs_app, email)
    try:
        # Cookies are per host, not per port: drop Auth.js's session before going to authcore.
        context.clear_cookies()
        out = sign_in_with_authcore(page, authcore_app, email=email)
        assert out.get("action") == "authenticate", out
        assert out.get("url") == authcore_app.origin + "/", out
        assert page.locator("#user").inner_text() == email
        [credential] = devices.credentials(device)
        assert counter(store, credential.credential_id) == credential.sign_count

        # Discoverable: no email, the credential names the user; on authcore's own sign-in
        # page the autofill request (conditional UI) signs in as the page loads.
        context.clear_cookies()
        page.goto(authcore_app.origin + "/api/auth/signin?callbackUrl=/")
        page.wait_for_url(authcore_app.origin + "/")
        assert page.locator("#user").inner_text() == email
        [credential] = devices.credentials(device)
        assert counter(store, credential.credential_id) == credential.sign_count

        # authcore's session is a database session Auth.js reads on the shared tables.
        page.goto(authjs_app.origin() + "/")
        assert page.locator("#user").inner_text() == email

        # And Auth.js goes on accepting the passkey whose counter authcore raised.
        context.clear_cookies()
        sign_in_with_authjs(page, authjs_app, email)
        [credential] = devices.credentials(device)
        assert counter(store, credential.credential_id) == credential.sign_count
        user = store.get_user_by_email(email)
        assert user is not None
        assert len(store.list_authenticators_by_user_id(user["id"])) == 1
    finally:
        context.close()


def test_a_passkey_registered_by_authcore_signs_in_through_authjs(
    browser: Any, authjs_app: NodeServer, authcore_app: LiveApp, store: SQLAlchemyStore
) -> None:
    email = "rowan@example.com"
    context = browser.new_context()
    serve_simplewebauthn_browser(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        devices = Authenticators(context, page)
        laptop = devices.add()
        page.goto(authcore_app.origin + "/api/auth/signin?callbackUrl=/")
        page.get_by_label("Email").fill(email)
        page.get_by_role("button", name="Sign in with Passkey").click()  # authcore's page
        page.wait_for_url(authcore_app.origin + "/")
        assert page.locator("#user").inner_text() == email

        # A second passkey added while signed in to authcore (its user handle is authcore's
        # own, an HMAC of the user id); the laptop's stays silent.
        key = devices.add(transport="usb")
        devices.set_presence(laptop, False)
        out = sign_in_with_authcore(page, authcore_app, action="register")
        assert out.get("action") == "register", out
        user = store.get_user_by_email(email)
        assert user is not None
        assert len(store.list_authenticators_by_user_id(user["id"])) == 2

        # Both sign in through Auth.js's own page.
        for silent, answering in ((laptop, key), (key, laptop)):
            devices.set_presence(silent, False)
            devices.set_presence(answering, True)
            context.clear_cookies()
            sign_in_with_authjs(page, authjs_app, email)
            [credential] = devices.credentials(answering)
            assert counter(store, credential.credential_id) == credential.sign_count
        assert store.get_user_by_email(email) == user
    finally:
        context.close()


def test_a_clone_behind_the_counter_is_refused_by_both(
    browser: Any, authjs_app: NodeServer, authcore_app: LiveApp, store: SQLAlchemyStore
) -> None:
    """Auth.js raises the counter; a clone of the key behind it is refused by authcore and by
    Auth.js alike, and nothing changes in the shared tables."""
    email = "sage@example.com"
    context, page, devices, device = register_with_authjs(browser, authjs_app, email)
    try:
        context.clear_cookies()
        sign_in_with_authjs(page, authjs_app, email)
        [credential] = devices.credentials(device)
        assert counter(store, credential.credential_id) == credential.sign_count >= 2
        user = store.get_user_by_email(email)
        assert user is not None
        before = store.list_authenticators_by_user_id(user["id"])

        devices.remove(device)
        clone = devices.add()
        devices.add_credential(clone, devices.clone(credential, sign_count=0))
        context.clear_cookies()
        out = sign_in_with_authcore(page, authcore_app, email=email)
        assert out.get("action") == "authenticate", out
        error = f"{authcore_app.origin}/api/auth/error?error=WebAuthnVerificationError"
        assert out.get("url") == error, out
        assert context.request.get(authcore_app.origin + "/api/auth/session").json() is None

        page.goto(authjs_app.origin() + "/api/auth/signin?callbackUrl=%2F")  # autofill
        page.wait_for_url(authjs_app.origin() + "/api/auth/error?error=WebAuthnVerificationError")
        session = context.request.get(authjs_app.origin() + "/api/auth/session").json()
        assert session is None
        assert store.list_authenticators_by_user_id(user["id"]) == before
    finally:
        context.close()
