"""The testing guide's real-browser examples (docs/testing.md includes this file's marked
parts): email sign-in with a real SMTP server, and passkeys with a virtual authenticator, in
headless Chromium against an app served over HTTP (`serve`: Starlette on uvicorn in a
thread)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from authcore.providers.nodemailer import Nodemailer
from authcore.providers.passkey import Passkey
from authcore.stores.sqlalchemy import AsyncSQLAlchemyStore, SQLAlchemyStore
from tests.support.chromium import launch
from tests.support.live_app import serve

pytestmark = pytest.mark.browser

SECRET = "guide-browser-secret-0123456789abcdef"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch() as b:
        yield b


@pytest.fixture
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    for name in ("AUTH_URL", "AUTH_TRUST_HOST", "AUTH_SECRET"):  # the shell's, if any
        monkeypatch.delenv(name, raising=False)
    url = f"sqlite:///{tmp_path / 'auth.db'}"
    SQLAlchemyStore(url).create_all()
    return url


def test_email_sign_in_in_chromium(browser: Any, store_url: str) -> None:
    # --8<-- [start:email]
    import socket
    from email import message_from_bytes
    from email.message import EmailMessage
    from email.policy import default

    from aiosmtpd.controller import Controller

    class Box:
        def __init__(self) -> None:
            self.messages: list[EmailMessage] = []

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            msg = message_from_bytes(envelope.content, policy=default)
            assert isinstance(msg, EmailMessage)
            self.messages.append(msg)
            return "250 Message accepted"

    with socket.socket() as s:  # a free port
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    box = Box()
    smtp = Controller(box, hostname="127.0.0.1", port=port)
    smtp.start()
    config = {
        "secret": SECRET,
        "adapter": AsyncSQLAlchemyStore(store_url),
        "providers": [Nodemailer(server=f"smtp://127.0.0.1:{port}")],
    }
    with serve(config) as app:  # your app over HTTP, e.g. uvicorn in a thread
        page = browser.new_page()
        page.goto(app.origin + "/api/auth/signin")
        page.get_by_label("Email").fill("dora@example.com")
        page.get_by_role("button", name="Sign in with Nodemailer").click()
        page.wait_for_url(app.origin + "/api/auth/verify-request**")

        body = box.messages[0].get_body(("plain",))
        assert body is not None
        link = body.get_content().splitlines()[1]
        page.goto(link)  # with confirm=True: then press the page's "Sign in" button
        session = page.request.get(app.origin + "/api/auth/session").json()
        assert session["user"]["email"] == "dora@example.com"
        page.close()
    smtp.stop()
    # --8<-- [end:email]


def test_passkey_in_chromium(browser: Any, store_url: str) -> None:
    # --8<-- [start:passkey]
    config = {
        "secret": SECRET,
        "adapter": AsyncSQLAlchemyStore(store_url),
        "experimental": {"enable_webauthn": True},
        "providers": [Passkey()],
    }
    with serve(config) as app:  # http://localhost:<port>: a secure context
        context = browser.new_context()
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("WebAuthn.enable", {"enableUI": False})
        options = {
            "protocol": "ctap2",
            "transport": "internal",
            "hasResidentKey": True,
            "hasUserVerification": True,
            "isUserVerified": True,
            "automaticPresenceSimulation": True,
        }
        device = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})

        page.goto(app.origin + "/api/auth/signin?callbackUrl=/")
        page.get_by_label("Email").fill("pia@example.com")
        page.get_by_role("button", name="Sign in with Passkey").click()  # registers
        page.wait_for_url(app.origin + "/")
        session = context.request.get(app.origin + "/api/auth/session").json()
        assert session["user"]["email"] == "pia@example.com"

        found = cdp.send("WebAuthn.getCredentials", {"authenticatorId": device["authenticatorId"]})
        [credential] = found["credentials"]  # its privateKey and signCount, for a clone
        assert credential["rpId"] == "localhost"
        context.close()
    # --8<-- [end:passkey]
