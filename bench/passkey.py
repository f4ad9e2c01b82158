"""Passkey sign-in cost: `GET /webauthn-options` and the whole assertion ceremony (options,
then `POST /callback/passkey`: cookie, py_webauthn verification, store, session cookie)
through `auth_sync` on the memory store, beside py_webauthn's
`verify_authentication_response` alone (the floor: parsing, ES256 signature, checks).

    .venv/bin/python bench/passkey.py [--quick]

Prints µs per operation and the ceremony's overhead over the floor. A software
authenticator (tests/support/webauthn.py) answers; the counter grows each time.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import webauthn
from _timing import Timing, measure
from webauthn.helpers import parse_authentication_credential_json

from authcore.providers.passkey import Passkey
from authcore.stores.memory import MemoryStore
from tests.support.webauthn import PasskeyBrowser, SoftwareAuthenticator


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    timing = Timing(min_batch_ms=50, repeats=3) if args.quick else Timing()

    store = MemoryStore()
    config = {
        "secret": "bench-passkey-secret-0123456789abcdef",
        "env": {},
        "trust_host": True,
        "adapter": store,
        "experimental": {"enable_webauthn": True},
        "providers": [Passkey()],
        "logger": {"warn": lambda code: None},
    }
    browser = PasskeyBrowser(config)
    key = SoftwareAuthenticator()
    done = browser.register(key, "bench@example.com")
    assert done.status == 302 and "error" not in (done.location or "")
    csrf = browser.csrf()
    credential_id = base64.b64encode(key.credential_id).decode()

    def options() -> None:
        assert browser.options("authenticate").status == 200

    def ceremony() -> None:
        opts = browser.options("authenticate").json()["options"]
        data = json.dumps(key.get(opts))
        form = {"csrfToken": csrf, "action": "authenticate", "data": data}
        res = browser.call("POST", "/callback/passkey", form=form)
        assert res.status == 302 and "error" not in (res.location or ""), res.location

    stored = store.get_authenticator(credential_id)
    assert stored is not None
    public_key = base64.b64decode(stored["credential_public_key"])
    challenge = b"\x07" * 32
    fixed = {"challenge": base64.urlsafe_b64encode(challenge).decode().rstrip("=")}

    def floor() -> None:
        credential = parse_authentication_credential_json(key.get(fixed))
        webauthn.verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id="app.example.test",
            expected_origin="https://app.example.test",
            credential_public_key=public_key,
            credential_current_sign_count=0,
            require_user_verification=True,
        )

    results = {
        "GET /webauthn-options": measure(options, timing).ns_per_op / 1000,
        "assertion ceremony (options + callback)": measure(ceremony, timing).ns_per_op / 1000,
        "floor: software assertion + py_webauthn verify": measure(floor, timing).ns_per_op / 1000,
    }
    for name, us in results.items():
        print(f"{name:48s} {us:9.1f} µs")
    names = list(results)
    print(f"ceremony / floor: {results[names[1]] / results[names[2]]:.2f}x")


if __name__ == "__main__":
    main()
