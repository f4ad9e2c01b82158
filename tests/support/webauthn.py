"""A software passkey: an EC P-256 key that answers `navigator.credentials.create/get` the
way a platform authenticator does ('none' attestation, ES256 assertions), as the browser's
JSON (base64url fields), plus a browser that drives `/webauthn-options` and the callback.

Every field an attacker controls can be bent per call (origin, RP ID, challenge, counter,
user handle, flags), so the refusal tests build their bad input from a real ceremony.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from authcore import Auth, Request, Response
from tests.support.mockidp import b64url
from tests.support.security import ORIGIN, Browser, cookie_changes, cookie_header

__all__ = [
    "FLAG_UP",
    "FLAG_UV",
    "AsyncPasskeyBrowser",
    "PasskeyBrowser",
    "SoftwareAuthenticator",
    "b64url",
]

FLAG_UP, FLAG_UV, FLAG_BE, FLAG_BS, FLAG_AT = 0x01, 0x04, 0x08, 0x10, 0x40


def _client_data(kind: str, challenge: str, origin: str) -> bytes:
    return json.dumps(
        {"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False},
        separators=(",", ":"),
    ).encode()


@dataclass
class SoftwareAuthenticator:
    """One credential (made by `create`); `counter` grows by one per assertion unless
    `counter_step` is 0 (like most synced passkeys)."""

    origin: str = ORIGIN
    counter: int = 0
    counter_step: int = 1
    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    credential_id: bytes = field(default_factory=lambda: secrets.token_bytes(16))
    user_handle: bytes | None = None
    rp_id: str | None = None

    def cose_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,
                3: -7,
                -1: 1,
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def create(
        self,
        options: Mapping[str, Any],
        *,
        origin: str | None = None,
        rp_id: str | None = None,
        challenge: str | None = None,
        flags: int = FLAG_UP | FLAG_UV | FLAG_AT | FLAG_BE | FLAG_BS,
        attestation_object: bytes | None = None,
    ) -> dict[str, Any]:
        """The registration response to `options` (PublicKeyCredentialCreationOptionsJSON)."""
        self.rp_id = rp_id or options["rp"]["id"]
        self.user_handle = str(options["user"]["id"]).encode()
        auth_data = (
            hashlib.sha256(self.rp_id.encode()).digest()
            + bytes([flags])
            + struct.pack(">I", self.counter)
            + bytes(16)  # AAGUID
            + struct.pack(">H", len(self.credential_id))
            + self.credential_id
            + self.cose_key()
        )
        att = attestation_object or cbor2.dumps(
            {"fmt": "none", "attStmt": {}, "authData": auth_data}
        )
        client_data = _client_data(
            "webauthn.create", challenge or options["challenge"], origin or self.origin
        )
        cid = b64url(self.credential_id)
        return {
            "id": cid,
            "rawId": cid,
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(att),
                "transports": ["internal", "hybrid"],
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }

    def get(
        self,
        options: Mapping[str, Any],
        *,
        origin: str | None = None,
        rp_id: str | None = None,
        challenge: str | None = None,
        counter: int | None = None,
        user_handle: bytes | None = None,
        flags: int = FLAG_UP | FLAG_UV | FLAG_BE | FLAG_BS,
    ) -> dict[str, Any]:
        """The assertion for `options` (PublicKeyCredentialRequestOptionsJSON)."""
        if counter is None:
            self.counter += self.counter_step
            counter = self.counter
        rp = rp_id or options.get("rpId") or self.rp_id or ""
        auth_data = hashlib.sha256(rp.encode()).digest() + bytes([flags])
        auth_data += struct.pack(">I", counter)
        client_data = _client_data(
            "webauthn.get", challenge or options["challenge"], origin or self.origin
        )
        signature = self.key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        handle = self.user_handle if user_handle is None else user_handle
        cid = b64url(self.credential_id)
        return {
            "id": cid,
            "rawId": cid,
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
                "userHandle": b64url(handle) if handle else None,
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }


class PasskeyBrowser(Browser):
    """A browser with a passkey provider's two endpoints."""

    provider_id = "passkey"

    def options(self, action: str | None = None, email: str | None = None) -> Response:
        query = {k: v for k, v in (("action", action), ("email", email)) if v is not None}
        path = f"/webauthn-options/{self.provider_id}"
        if query:
            from urllib.parse import urlencode

            path += "?" + urlencode(query)
        return self.call("GET", path)

    def post(self, action: str, data: Any) -> Response:
        raw = data if isinstance(data, str) else json.dumps(data)
        form = {"csrfToken": self.csrf(), "action": action, "data": raw}
        return self.call("POST", f"/callback/{self.provider_id}", form=form)

    def register(self, authenticator: SoftwareAuthenticator, email: str | None) -> Response:
        res = self.options("register" if email is None else None, email)
        assert res.status == 200, res.body[:300]
        body = res.json()
        assert body["action"] == "register", body
        return self.post("register", authenticator.create(body["options"]))

    def authenticate(
        self, authenticator: SoftwareAuthenticator, email: str | None = None
    ) -> Response:
        res = self.options("authenticate", email)
        assert res.status == 200, res.body[:300]
        return self.post("authenticate", authenticator.get(res.json()["options"]))

    def session(self) -> Any:
        return self.call("GET", "/session").json()

    def sign_out(self) -> Response:
        return self.call("POST", "/signout", form={"csrfToken": self.csrf(), "callbackUrl": "/"})


class AsyncPasskeyBrowser:
    """The same ceremonies through the async `Auth()` (for async stores), in one event loop."""

    def __init__(self, config: Mapping[str, Any], origin: str = ORIGIN) -> None:
        self.config, self.origin = config, origin
        self.jar: dict[str, str] = {}

    async def call(self, method: str, path: str, form: Mapping[str, str] | None = None) -> Response:
        from urllib.parse import urlencode

        headers = {"cookie": cookie_header(self.jar)} if self.jar else {}
        body = b""
        if form is not None:
            headers["content-type"] = "application/x-www-form-urlencoded"
            body = urlencode(form).encode()
        res = await Auth(
            Request(method, f"{self.origin}/api/auth{path}", headers, body), self.config
        )
        changes = cookie_changes(res)
        for name in changes.cleared:
            self.jar.pop(name, None)
        self.jar.update(changes.values)
        return res

    async def ceremony(self, key: SoftwareAuthenticator, query: str) -> Response:
        res = await self.call("GET", f"/webauthn-options/passkey?{query}")
        assert res.status == 200, res.body[:300]
        body = res.json()
        make = key.create if body["action"] == "register" else key.get
        csrf = (await self.call("GET", "/csrf")).json()["csrfToken"]
        form = {
            "csrfToken": csrf,
            "action": body["action"],
            "data": json.dumps(make(body["options"])),
        }
        return await self.call("POST", "/callback/passkey", form)

    async def session(self) -> Any:
        return (await self.call("GET", "/session")).json()
