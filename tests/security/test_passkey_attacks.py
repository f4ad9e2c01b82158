"""Passkey attacks: each bad registration or assertion is refused with the
`WebAuthnVerificationError` page (or a 400 JSON for bad options requests) and leaves the
store exactly as it was: no user, account or authenticator, no counter moved."""

from __future__ import annotations

import copy
import json
from typing import Any

import cbor2
import pytest

from authcore.providers.passkey import Passkey, WebAuthnProvider
from authcore.stores.memory import MemoryStore
from tests.support.mockidp import b64url
from tests.support.security import SECRET
from tests.support.webauthn import FLAG_AT, FLAG_UP, PasskeyBrowser, SoftwareAuthenticator

REFUSED = "/api/auth/error?error=WebAuthnVerificationError"


def make(store: MemoryStore, **provider: Any) -> dict[str, Any]:
    return {
        "secret": SECRET,
        "env": {},
        "trust_host": True,
        "adapter": store,
        "experimental": {"enable_webauthn": True},
        "providers": [Passkey(**provider), WebAuthnProvider(id="other", name="Other")],
    }


def snapshot(store: MemoryStore) -> Any:
    return copy.deepcopy((store._users, store._accounts, store._sessions, store._authenticators))


def refused(res: Any, error: str = REFUSED) -> None:
    assert res.status == 302, (res.status, res.body[:200])
    assert res.location is not None and res.location.endswith(error), res.location


def accepted(res: Any) -> None:
    assert res.status == 302 and res.location is not None
    assert res.location.startswith("https://app.example.test"), res.location
    assert "error" not in res.location, res.location


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def registered(store: MemoryStore) -> tuple[PasskeyBrowser, SoftwareAuthenticator]:
    """A user with one passkey (counter 10), signed out."""
    browser = PasskeyBrowser(make(store))
    key = SoftwareAuthenticator(counter=10)
    assert browser.register(key, "amy@example.com").status == 302
    browser.sign_out()
    return browser, key


def register_options(browser: PasskeyBrowser, email: str = "new@example.com") -> dict[str, Any]:
    res = browser.options("register", email)
    assert res.status == 200
    options: dict[str, Any] = res.json()["options"]
    return options


def auth_options(browser: PasskeyBrowser, email: str | None = None) -> dict[str, Any]:
    res = browser.options("authenticate", email)
    assert res.status == 200
    options: dict[str, Any] = res.json()["options"]
    return options


# Registration -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        "{not json",
        "[]",
        json.dumps({"id": 5, "response": {}}),
        json.dumps({"id": "AAAA"}),
        "[" * 5000 + "]" * 5000,
        "x" * 40_000,
    ],
    ids=["not-json", "array", "id-not-string", "no-response", "deep-json", "huge"],
)
def test_malformed_registration_json(store: MemoryStore, data: str) -> None:
    browser = PasskeyBrowser(make(store))
    register_options(browser)
    before = snapshot(store)
    refused(browser.post("register", data))
    assert snapshot(store) == before


def _cbor_deep(depth: int) -> bytes:
    return b"\x81" * depth + b"\x00"


@pytest.mark.parametrize(
    "attestation",
    [
        _cbor_deep(20_000),
        b"\x5b\x7f\xff\xff\xff\xff\xff\xff\xff",  # a byte string of 2^63 bytes, announced
        b"\x9b\x00\x00\x00\xff\xff\xff\xff\xff",  # an array of 2^40 items, announced
        b"\xbb\x00\x00\x00\xff\xff\xff\xff\xff",  # a map of 2^40 pairs, announced
        cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": b"\x00" * 10}),
        b"\xff\xff",
    ],
    ids=["deep", "huge-bytes", "huge-array", "huge-map", "short-authdata", "garbage"],
)
def test_cbor_bombs_and_garbage_in_the_attestation(store: MemoryStore, attestation: bytes) -> None:
    browser = PasskeyBrowser(make(store))
    options = register_options(browser)
    before = snapshot(store)
    data = SoftwareAuthenticator().create(options, attestation_object=attestation)
    refused(browser.post("register", data))
    assert snapshot(store) == before


def test_a_cbor_bomb_in_the_public_key(store: MemoryStore) -> None:
    browser = PasskeyBrowser(make(store))
    options = register_options(browser)
    key = SoftwareAuthenticator()
    key.cose_key = lambda: _cbor_deep(5_000)  # type: ignore[method-assign]
    before = snapshot(store)
    refused(browser.post("register", key.create(options)))
    assert snapshot(store) == before


@pytest.mark.parametrize(
    "bend",
    [
        {"challenge": b64url(b"\x01" * 32)},
        {"origin": "https://evil.example"},
        {"origin": "http://app.example.test"},
        {"rp_id": "evil.example"},
        {"flags": FLAG_UP | FLAG_AT},  # no user verification, which Passkey requires
    ],
    ids=["wrong-challenge", "wrong-origin", "wrong-scheme", "wrong-rp-id", "no-uv"],
)
def test_a_bent_registration_is_refused(store: MemoryStore, bend: dict[str, Any]) -> None:
    browser = PasskeyBrowser(make(store))
    options = register_options(browser)
    before = snapshot(store)
    refused(browser.post("register", SoftwareAuthenticator().create(options, **bend)))
    assert snapshot(store) == before


def test_a_failed_callback_clears_the_challenge_cookie(store: MemoryStore) -> None:
    browser = PasskeyBrowser(make(store))
    options = register_options(browser)
    assert "__Secure-authjs.challenge" in browser.jar
    refused(
        browser.post(
            "register", SoftwareAuthenticator().create(options, origin="https://x.example")
        )
    )
    assert "__Secure-authjs.challenge" not in browser.jar


def test_a_registration_without_its_challenge_cookie(store: MemoryStore) -> None:
    browser = PasskeyBrowser(make(store))
    options = register_options(browser)
    browser.jar.pop("__Secure-authjs.challenge")
    before = snapshot(store)
    refused(browser.post("register", SoftwareAuthenticator().create(options)))
    assert snapshot(store) == before


def test_a_registration_replayed_with_its_cookie(store: MemoryStore) -> None:
    browser = PasskeyBrowser(make(store))
    options = register_options(browser)
    jar = dict(browser.jar)
    data = SoftwareAuthenticator().create(options)
    assert browser.post("register", data).status == 302
    browser.sign_out()
    before = snapshot(store)
    browser.jar = jar
    refused(browser.post("register", data))
    assert snapshot(store) == before


def test_an_authentication_challenge_cannot_register(store: MemoryStore) -> None:
    browser = PasskeyBrowser(make(store))
    options = auth_options(browser)
    reg = register_options(PasskeyBrowser(make(store)))
    reg["challenge"] = options["challenge"]
    before = snapshot(store)
    refused(browser.post("register", SoftwareAuthenticator().create(reg)))
    assert snapshot(store) == before


def test_another_providers_challenge_is_refused(store: MemoryStore) -> None:
    browser = PasskeyBrowser(make(store))
    browser.provider_id = "other"
    options = register_options(browser)
    browser.provider_id = "passkey"
    before = snapshot(store)
    refused(browser.post("register", SoftwareAuthenticator().create(options)))
    assert snapshot(store) == before


def test_an_existing_email_cannot_register_while_signed_out(
    registered: tuple[PasskeyBrowser, SoftwareAuthenticator],
) -> None:
    browser, _ = registered
    res = browser.options("register", "amy@example.com")
    assert res.status == 400 and res.json() == {"error": "Invalid request"}


def test_a_credential_registered_twice_is_refused(
    store: MemoryStore, registered: tuple[PasskeyBrowser, SoftwareAuthenticator]
) -> None:
    _, key = registered
    browser = PasskeyBrowser(make(store))
    options = register_options(browser, "eve@example.com")
    before = snapshot(store)
    refused(browser.post("register", key.create(options)))
    assert snapshot(store) == before


# Authentication ---------------------------------------------------------------------------


def test_unknown_credential(
    store: MemoryStore, registered: tuple[PasskeyBrowser, SoftwareAuthenticator]
) -> None:
    browser, _ = registered
    stranger = SoftwareAuthenticator(rp_id="app.example.test")
    before = snapshot(store)
    refused(browser.post("authenticate", stranger.get(auth_options(browser))))
    assert snapshot(store) == before
    assert browser.session() is None


@pytest.mark.parametrize(
    "data",
    ["{not json", "null", json.dumps({"id": "!!", "response": {}}), json.dumps({"id": "AA"})],
    ids=["not-json", "null", "bad-id", "no-response"],
)
def test_malformed_assertion_json(
    store: MemoryStore, registered: tuple[PasskeyBrowser, SoftwareAuthenticator], data: str
) -> None:
    browser, _ = registered
    auth_options(browser)
    before = snapshot(store)
    refused(browser.post("authenticate", data))
    assert snapshot(store) == before


@pytest.mark.parametrize(
    "bend",
    [
        {"challenge": b64url(b"\x02" * 32)},
        {"origin": "https://evil.example"},
        {"rp_id": "evil.example"},
        {"flags": FLAG_UP},
        {"counter": 10},  # not above the stored 10: a replay
        {"counter": 3},  # below it: a cloned authenticator
    ],
    ids=["wrong-challenge", "wrong-origin", "wrong-rp-id", "no-uv", "counter-same", "counter-back"],
)
def test_a_bent_assertion_is_refused(
    store: MemoryStore,
    registered: tuple[PasskeyBrowser, SoftwareAuthenticator],
    bend: dict[str, Any],
) -> None:
    browser, key = registered
    options = auth_options(browser)
    before = snapshot(store)
    refused(browser.post("authenticate", key.get(options, **bend)))
    assert snapshot(store) == before
    assert browser.session() is None


def test_a_tampered_signature_is_refused(
    store: MemoryStore, registered: tuple[PasskeyBrowser, SoftwareAuthenticator]
) -> None:
    browser, key = registered
    data = key.get(auth_options(browser))
    data["response"]["signature"] = b64url(b"\x30\x06\x02\x01\x01\x02\x01\x01")
    before = snapshot(store)
    refused(browser.post("authenticate", data))
    assert snapshot(store) == before


def test_an_assertion_replayed_with_its_challenge_cookie(store: MemoryStore) -> None:
    """A passkey whose counter stays 0 (synced passkeys): only the challenge's single use
    stops the replay."""
    browser = PasskeyBrowser(make(store))
    key = SoftwareAuthenticator(counter_step=0)
    accepted(browser.register(key, "sam@example.com"))
    browser.sign_out()
    options = auth_options(browser)
    jar = dict(browser.jar)
    data = key.get(options)
    accepted(browser.post("authenticate", data))
    browser.sign_out()
    browser.jar = jar
    before = snapshot(store)
    refused(browser.post("authenticate", data))
    assert snapshot(store) == before


def test_a_registration_challenge_cannot_authenticate(
    store: MemoryStore, registered: tuple[PasskeyBrowser, SoftwareAuthenticator]
) -> None:
    browser, key = registered
    reg = register_options(browser, "zed@example.com")
    before = snapshot(store)
    refused(browser.post("authenticate", key.get({"challenge": reg["challenge"]})))
    assert snapshot(store) == before


def test_a_passkey_of_another_user_than_the_identified_one(
    store: MemoryStore, registered: tuple[PasskeyBrowser, SoftwareAuthenticator]
) -> None:
    browser, amy_key = registered
    bob = PasskeyBrowser(make(store))
    assert bob.register(SoftwareAuthenticator(), "bob@example.com").status == 302
    options = auth_options(browser, "bob@example.com")  # the options name Bob
    before = snapshot(store)
    refused(browser.post("authenticate", amy_key.get(options)))
    assert snapshot(store) == before


def _second_passkey(store: MemoryStore, email: str) -> SoftwareAuthenticator:
    """A user (new) who then adds a passkey while signed in: its handle names them."""
    browser = PasskeyBrowser(make(store))
    assert browser.register(SoftwareAuthenticator(), email).status == 302
    key = SoftwareAuthenticator()
    options = browser.options("register").json()["options"]
    assert browser.post("register", key.create(options)).status == 302
    assert key.user_handle is not None and key.user_handle.startswith(b"ac1.")
    return key


def test_a_user_handle_of_another_user(store: MemoryStore) -> None:
    amy = _second_passkey(store, "amy@example.com")
    bob = _second_passkey(store, "bob@example.com")
    browser = PasskeyBrowser(make(store))
    before = snapshot(store)
    refused(
        browser.post("authenticate", amy.get(auth_options(browser), user_handle=bob.user_handle))
    )
    assert snapshot(store) == before
    assert browser.session() is None
    ok = browser.post("authenticate", amy.get(auth_options(browser)))
    accepted(ok)
    assert browser.session()["user"]["email"] == "amy@example.com"


# Options and the form ---------------------------------------------------------------------


def test_bad_options_requests(store: MemoryStore) -> None:
    browser = PasskeyBrowser(make(store))
    res = browser.options("delete")
    assert res.status == 400 and res.json() == {"error": "Invalid action"}
    res = browser.options(None, "not an email")
    assert res.status == 400 and res.json() == {"error": "Invalid email"}
    res = browser.options("register")  # no email, nobody signed in
    assert res.status == 400 and res.json() == {"error": "Invalid request"}
    assert browser.call("GET", "/webauthn-options/nope").status == 302


def test_the_callback_needs_csrf_and_an_action(
    store: MemoryStore, registered: tuple[PasskeyBrowser, SoftwareAuthenticator]
) -> None:
    browser, key = registered
    data = json.dumps(key.get(auth_options(browser)))
    before = snapshot(store)
    res = browser.call("POST", "/callback/passkey", form={"action": "authenticate", "data": data})
    refused(res, "/api/auth/signin?error=MissingCSRF")
    res = browser.call(
        "POST", "/callback/passkey", form={"csrfToken": browser.csrf(), "action": "x", "data": data}
    )
    refused(res)
    assert browser.call("GET", "/callback/passkey").status == 302
    assert snapshot(store) == before
