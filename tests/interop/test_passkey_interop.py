"""Passkeys shared with Auth.js: the real `@auth/core@0.41.3` Passkey provider
(`@simplewebauthn/server` 9) with `@auth/kysely-adapter` on a PostgreSQL database of its own,
served by Node's http server (`tests/interop/node/passkey_server.mjs`), and authcore's
SQLAlchemy store on the same tables.

The registration on the Node side is real: headless Chromium with a virtual authenticator
(the DevTools WebAuthn domain: a CTAP2 platform authenticator with resident keys and user
verification) fills Auth.js's own sign-in page, whose script (`@simplewebauthn/browser`
9.0.1 from npm, served in place of unpkg) runs `navigator.credentials.create`. No software
authenticator is involved."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from authcore.stores.sqlalchemy import SQLAlchemyStore
from tests.support.django_stores import postgres_database
from tests.support.services import service_url
from tests.support.virtual_authenticator import Authenticators, serve_simplewebauthn_browser

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
