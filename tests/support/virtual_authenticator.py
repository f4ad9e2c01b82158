"""Chromium's virtual WebAuthn authenticators (the DevTools `WebAuthn` domain, through a
Playwright CDP session) for the passkey browser tests, and the `@simplewebauthn/browser`
bundle a sign-in page loads from unpkg, served from `tests/interop/node/node_modules` instead
(the tests run offline; the bytes are npm's)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Authenticators", "Credential", "serve_simplewebauthn_browser"]

_BUNDLE = (
    Path(__file__).resolve().parents[1]
    / "interop"
    / "node"
    / "node_modules"
    / "@simplewebauthn"
    / "browser"
    / "dist"
    / "bundle"
    / "index.umd.min.js"
)
UNPKG = "https://unpkg.com/@simplewebauthn/browser@*/dist/bundle/index.umd.min.js"


def serve_simplewebauthn_browser(context: Any) -> None:
    """Answer the unpkg URL of `@simplewebauthn/browser` (any version) with the installed one,
    and refuse every other request that leaves the machine."""
    if not _BUNDLE.is_file():
        raise FileNotFoundError(f"{_BUNDLE} is missing: run `npm ci` in tests/interop/node")
    body = _BUNDLE.read_bytes()

    def fulfil(route: Any) -> None:
        route.fulfill(
            status=200,
            body=body,
            headers={
                "content-type": "application/javascript",
                "access-control-allow-origin": "*",
            },
        )

    context.route(UNPKG, fulfil)


@dataclass(frozen=True)
class Credential:
    """One credential as `WebAuthn.getCredentials` reports it (ids and keys base64)."""

    credential_id: str
    rp_id: str
    private_key: str
    sign_count: int
    is_resident: bool
    user_handle: str | None
    raw: dict[str, Any]

    @classmethod
    def of(cls, raw: dict[str, Any]) -> Credential:
        return cls(
            credential_id=raw["credentialId"],
            rp_id=raw.get("rpId", ""),
            private_key=raw["privateKey"],
            sign_count=int(raw["signCount"]),
            is_resident=bool(raw["isResidentCredential"]),
            user_handle=raw.get("userHandle"),
            raw=raw,
        )


class Authenticators:
    """The virtual authenticators of one page (`WebAuthn.enable` on a CDP session)."""

    def __init__(self, context: Any, page: Any) -> None:
        self.cdp = context.new_cdp_session(page)
        self.cdp.send("WebAuthn.enable", {"enableUI": False})

    def add(
        self,
        *,
        protocol: str = "ctap2",
        transport: str = "internal",
        has_resident_key: bool = True,
        has_user_verification: bool = True,
        is_user_verified: bool = True,
        automatic_presence: bool = True,
    ) -> str:
        """A platform authenticator (a passkey device); returns its id."""
        options = {
            "protocol": protocol,
            "transport": transport,
            "hasResidentKey": has_resident_key,
            "hasUserVerification": has_user_verification,
            "isUserVerified": is_user_verified,
            "automaticPresenceSimulation": automatic_presence,
        }
        out = self.cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})
        authenticator_id: str = out["authenticatorId"]
        return authenticator_id

    def remove(self, authenticator_id: str) -> None:
        self.cdp.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": authenticator_id})

    def credentials(self, authenticator_id: str) -> list[Credential]:
        out = self.cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
        return [Credential.of(c) for c in out["credentials"]]

    def add_credential(self, authenticator_id: str, credential: dict[str, Any]) -> None:
        self.cdp.send(
            "WebAuthn.addCredential",
            {"authenticatorId": authenticator_id, "credential": credential},
        )

    def remove_credential(self, authenticator_id: str, credential_id: str) -> None:
        self.cdp.send(
            "WebAuthn.removeCredential",
            {"authenticatorId": authenticator_id, "credentialId": credential_id},
        )

    def set_presence(self, authenticator_id: str, enabled: bool) -> None:
        """With presence simulation off the authenticator never answers (the user does not
        touch it), so another authenticator of the page does."""
        self.cdp.send(
            "WebAuthn.setAutomaticPresenceSimulation",
            {"authenticatorId": authenticator_id, "enabled": enabled},
        )

    def set_credential_properties(
        self, authenticator_id: str, credential_id: str, **props: bool
    ) -> None:
        """`backupEligibility` / `backupState` of a stored credential."""
        self.cdp.send(
            "WebAuthn.setCredentialProperties",
            {"authenticatorId": authenticator_id, "credentialId": credential_id, **props},
        )

    def clone(self, source: Credential, *, sign_count: int) -> dict[str, Any]:
        """The same key pair and credential id with another signature counter: a cloned
        authenticator, for `add_credential`."""
        keep = (
            "credentialId",
            "isResidentCredential",
            "rpId",
            "privateKey",
            "userHandle",
            "userName",
            "userDisplayName",
        )
        out = {k: source.raw[k] for k in keep if k in source.raw}
        out["signCount"] = sign_count
        return out
