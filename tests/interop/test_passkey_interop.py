"""Passkeys shared with a live `@auth/core@0.41.3` (with `@simplewebauthn/server` 9 and
`@auth/kysely-adapter`) on one PostgreSQL database: a passkey registered through Auth.js signs
in with authcore, and one registered through authcore signs in with Auth.js. The software
authenticator plays the browser for both."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from authcore.providers.passkey import Passkey
from authcore.stores.sqlalchemy import SQLAlchemyStore
from tests.support.webauthn import PasskeyBrowser, SoftwareAuthenticator

from .conftest import shared_database
from .node_bridge import NodeWorker

pytestmark = pytest.mark.interop

SECRET = "interop-passkey-secret-0123456789abcdef"
ORIGIN = "http://localhost:3000"


@pytest.fixture
def node(own_worker: NodeWorker) -> NodeWorker:
    return own_worker


@pytest.fixture
def shared(node: NodeWorker, tmp_path: Path) -> Iterator[tuple[dict[str, Any], SQLAlchemyStore]]:
    with shared_database("postgres", node, tmp_path) as both:
        yield both


class NodeBrowser:
    """A cookie jar in front of Auth.js's `Auth()`."""

    def __init__(self, node: NodeWorker, db: dict[str, Any]) -> None:
        self.node, self.db = node, db
        self.jar: dict[str, str] = {}

    def call(self, method: str, path: str, body: dict[str, str] | None = None) -> dict[str, Any]:
        headers = {"cookie": "; ".join(f"{k}={v}" for k, v in self.jar.items())}
        res: dict[str, Any] = self.node.call_ok(
            "v5.auth",
            method=method,
            url=f"{ORIGIN}/api/auth{path}",
            headers=headers,
            body=body,
            config={
                "secret": SECRET,
                "trustHost": True,
                "basePath": "/api/auth",
                "experimental": {"enableWebAuthn": True},
                "providers": [{"type": "catalog", "file": "passkey"}],
                "adapter": self.db,
            },
        )
        for name, value in res["headers"]:
            if name == "set-cookie":
                key, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if cookie_value and "Max-Age=0" not in value:
                    self.jar[key] = cookie_value
                else:
                    self.jar.pop(key, None)
        return res

    def ceremony(self, key: SoftwareAuthenticator, query: dict[str, str]) -> dict[str, Any]:
        res = self.call("GET", f"/webauthn-options/passkey?{urlencode(query)}")
        assert res["status"] == 200, res
        body = res["json"]
        make = key.create if body["action"] == "register" else key.get
        csrf = self.call("GET", "/csrf")["json"]["csrfToken"]
        form = {
            "csrfToken": csrf,
            "action": body["action"],
            "data": json.dumps(make(body["options"])),
        }
        return self.call("POST", "/callback/passkey", form)

    def email(self) -> Any:
        session = self.call("GET", "/session")["json"]
        return session and session["user"]["email"]


def _authcore(store: SQLAlchemyStore) -> PasskeyBrowser:
    config = {
        "secret": SECRET,
        "env": {},
        "url": f"{ORIGIN}/api/auth",
        "adapter": store,
        "experimental": {"enable_webauthn": True},
        "providers": [Passkey()],
    }
    return PasskeyBrowser(config, ORIGIN)


def _signed_in(location: str | None) -> None:
    assert location is not None and "error" not in location, location


def test_a_passkey_registered_with_authjs_signs_in_with_authcore(
    node: NodeWorker, shared: Any
) -> None:
    db, store = shared
    key = SoftwareAuthenticator(origin=ORIGIN)
    authjs = NodeBrowser(node, db)
    res = authjs.ceremony(key, {"email": "ivy@example.com"})
    assert res["status"] == 302, res
    _signed_in(dict(res["headers"]).get("location"))
    assert authjs.email() == "ivy@example.com"

    credential_id = base64.b64encode(key.credential_id).decode()
    row = store.get_authenticator(credential_id)
    assert row is not None, "Auth.js stored the credential id in another encoding"
    assert row["credential_public_key"] == base64.b64encode(key.cose_key()).decode()
    assert row["transports"] == "internal,hybrid"
    account = store.get_account(credential_id, "passkey")
    assert account is not None and account["type"] == "webauthn"

    browser = _authcore(store)
    _signed_in(browser.authenticate(key).location)
    assert browser.session()["user"]["email"] == "ivy@example.com"
    assert store.get_authenticator(credential_id)["counter"] == 1


def test_a_passkey_registered_with_authcore_signs_in_with_authjs(
    node: NodeWorker, shared: Any
) -> None:
    db, store = shared
    key = SoftwareAuthenticator(origin=ORIGIN)
    browser = _authcore(store)
    _signed_in(browser.register(key, "joe@example.com").location)
    authjs = NodeBrowser(node, db)
    res = authjs.ceremony(key, {"action": "authenticate"})
    assert res["status"] == 302, res
    _signed_in(dict(res["headers"]).get("location"))
    assert authjs.email() == "joe@example.com"
    credential_id = base64.b64encode(key.credential_id).decode()
    assert store.get_authenticator(credential_id)["counter"] == 1
