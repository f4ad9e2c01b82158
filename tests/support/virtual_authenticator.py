"""Chromium's virtual WebAuthn authenticators (the DevTools `WebAuthn` domain, through a
Playwright CDP session) for the passkey browser tests, and the `@simplewebauthn/browser`
bundle a sign-in page loads from unpkg, served from `tests/interop/node/node_modules` instead
(the tests run offline; the bytes are npm's)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "Authenticators",
    "Credential",
    "load_simplewebauthn_browser",
    "serve_simplewebauthn_browser",
    "webauthn_sign_in",
]

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


def _bundle() -> bytes:
    if not _BUNDLE.is_file():
        raise FileNotFoundError(f"{_BUNDLE} is missing: run `npm ci` in tests/interop/node")
    return _BUNDLE.read_bytes()


def load_simplewebauthn_browser(page: Any) -> None:
    """Put `window.SimpleWebAuthnBrowser` (npm's `@simplewebauthn/browser`) on the page."""
    page.add_script_tag(content=_bundle().decode())


# next-auth's client `signIn(provider, {action, ...})` for WebAuthn (`next-auth/webauthn`, as
# published with @auth/core 0.41.3): fetch the options, run the ceremony with
# @simplewebauthn/browser, post the result to the callback with `X-Auth-Return-Redirect`.
_SIGN_IN = """async ([base, provider, params]) => {
  const query = new URLSearchParams(params);
  const res = await fetch(`${base}/webauthn-options/${provider}?${query}`);
  if (!res.ok) return { error: `options: ${res.status} ${await res.text()}` };
  const { action, options } = await res.json();
  let data;
  try {
    data = action === "register"
      ? await SimpleWebAuthnBrowser.startRegistration(options)
      : await SimpleWebAuthnBrowser.startAuthentication(options);
  } catch (e) {
    return { action, error: `${e.name}: ${e.message}` };
  }
  const csrf = await (await fetch(`${base}/csrf`)).json();
  const body = new URLSearchParams({
    ...params, action, data: JSON.stringify(data), csrfToken: csrf.csrfToken,
    callbackUrl: location.href,
  });
  const out = await fetch(`${base}/callback/${provider}`, {
    method: "post",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      "X-Auth-Return-Redirect": "1",
    },
    body,
  });
  return { action, status: out.status, url: (await out.json()).url };
}"""


def webauthn_sign_in(
    page: Any, base: str, provider: str = "passkey", **params: str
) -> dict[str, Any]:
    """Runs next-auth's WebAuthn `signIn` in the page (which must have
    `load_simplewebauthn_browser`); returns `{action, url}` or `{action?, error}`; the caller
    goes to `url` as the client would."""
    out: dict[str, Any] = page.evaluate(_SIGN_IN, [base, provider, params])
    return out


def serve_simplewebauthn_browser(context: Any) -> None:
    """Answer the unpkg URL of `@simplewebauthn/browser` (any version) with the installed one,
    and refuse every other request that leaves the machine."""
    body = _bundle()

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
        backup_eligible: bool | None = None,
        backed_up: bool | None = None,
    ) -> str:
        """A platform authenticator (a passkey device); returns its id. `backup_eligible` /
        `backed_up` set the BE / BS flags of the credentials it makes (a synced passkey)."""
        options: dict[str, Any] = {
            "protocol": protocol,
            "transport": transport,
            "hasResidentKey": has_resident_key,
            "hasUserVerification": has_user_verification,
            "isUserVerified": is_user_verified,
            "automaticPresenceSimulation": automatic_presence,
        }
        if backup_eligible is not None:
            options["defaultBackupEligibility"] = backup_eligible
        if backed_up is not None:
            options["defaultBackupState"] = backed_up
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
