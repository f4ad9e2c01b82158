"""Verifying a passkey registration or assertion with py_webauthn (`pip install
'authcore[webauthn]'`), the only module that imports it. py_webauthn is the Python sibling
of `@simplewebauthn/server`, which Auth.js uses (docs/providers/passkey.md#why-py_webauthn).

The browser's JSON is parsed here with bounds first: its size, then the library's own
parsing, whose CBOR decoder refuses deep nesting and lengths beyond the data. Anything the
library raises becomes `WebAuthnVerificationError` with the exception's type only.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from ._webauthn import _HANDLE_PREFIX, RelyingParty, credential_key, transports_to_string
from .errors import ConfigError, WebAuthnVerificationError
from .jose import base64url

__all__ = [
    "MAX_RESPONSE_CHARS",
    "Registered",
    "assertion_user_handle",
    "parse_response",
    "verify_assertion",
    "verify_registration",
]

MAX_RESPONSE_CHARS = 32 * 1024
_DEVICE_TYPES = {"single_device": "singleDevice", "multi_device": "multiDevice"}


def _library() -> Any:
    try:
        import webauthn
    except ImportError:  # pragma: no cover - the extra is in `dev`
        raise ConfigError(
            "Passkeys need py_webauthn: pip install 'authcore[webauthn]'", option="providers"
        ) from None
    return webauthn


def parse_response(raw: object, what: str) -> dict[str, Any]:
    """The `data` form field: the browser's credential JSON, with a string `id`."""
    if not isinstance(raw, str) or not raw:
        raise WebAuthnVerificationError(f"Invalid WebAuthn {what} response: no data")
    if len(raw) > MAX_RESPONSE_CHARS:
        raise WebAuthnVerificationError(f"Invalid WebAuthn {what} response: too large")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise WebAuthnVerificationError(f"Invalid WebAuthn {what} response: not JSON") from None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("id"), str)
        or not isinstance(data.get("response"), dict)
    ):
        raise WebAuthnVerificationError(f"Invalid WebAuthn {what} response")
    return data


@dataclass(frozen=True, slots=True)
class Registered:
    """A verified new credential, in Auth.js's storage encoding."""

    credential_id: str
    credential_public_key: str
    counter: int
    credential_device_type: str
    credential_backed_up: bool
    transports: str | None


def _challenge_bytes(challenge: str) -> bytes:
    return base64url.decode(challenge)


def verify_registration(
    data: dict[str, Any],
    *,
    challenge: str,
    rp: RelyingParty,
    require_user_verification: bool,
) -> Registered:
    lib = _library()
    from webauthn.helpers import parse_registration_credential_json

    try:
        credential = parse_registration_credential_json(data)
        verified = lib.verify_registration_response(
            credential=credential,
            expected_challenge=_challenge_bytes(challenge),
            expected_rp_id=rp.id,
            expected_origin=list(rp.origins),
            require_user_verification=require_user_verification,
        )
    except Exception as exc:  # the library's message may quote the response: only its type
        raise WebAuthnVerificationError(
            f"WebAuthn registration could not be verified ({type(exc).__name__})"
        ) from None
    device = getattr(verified.credential_device_type, "value", verified.credential_device_type)
    return Registered(
        credential_id=base64.b64encode(verified.credential_id).decode("ascii"),
        credential_public_key=base64.b64encode(verified.credential_public_key).decode("ascii"),
        counter=int(verified.sign_count),
        credential_device_type=_DEVICE_TYPES.get(str(device), str(device)),
        credential_backed_up=bool(verified.credential_backed_up),
        transports=transports_to_string(data["response"].get("transports")),
    )


def assertion_user_handle(data: dict[str, Any]) -> bytes | None:
    """The assertion's `userHandle`, or None. Base64url as the WebAuthn JSON has it, except
    from `@simplewebauthn/browser` 9 (Auth.js's sign-in page, `next-auth/webauthn`), which
    sends the handle's bytes as UTF-8 text: an authcore handle (`ac1.`) is then as given."""
    raw = data["response"].get("userHandle")
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        raise WebAuthnVerificationError("Invalid WebAuthn Authentication response: userHandle")
    if raw.startswith(_HANDLE_PREFIX):
        return raw.encode("ascii", "replace")
    try:
        return base64url.decode(raw.rstrip("="))
    except ValueError:
        raise WebAuthnVerificationError(
            "Invalid WebAuthn Authentication response: userHandle"
        ) from None


def verify_assertion(
    data: dict[str, Any],
    *,
    challenge: str,
    rp: RelyingParty,
    authenticator: dict[str, Any],
    require_user_verification: bool,
) -> int:
    """The authenticator's new signature counter; refuses a counter that does not grow
    (a replayed assertion or a cloned authenticator) unless both are 0."""
    lib = _library()
    from webauthn.helpers import parse_authentication_credential_json

    try:
        credential = parse_authentication_credential_json(data)
        if credential_key(credential.id) != authenticator["credential_id"]:
            raise ValueError("the credential id is not the stored one")
        verified = lib.verify_authentication_response(
            credential=credential,
            expected_challenge=_challenge_bytes(challenge),
            expected_rp_id=rp.id,
            expected_origin=list(rp.origins),
            credential_public_key=base64.b64decode(authenticator["credential_public_key"]),
            credential_current_sign_count=int(authenticator["counter"]),
            require_user_verification=require_user_verification,
        )
    except Exception as exc:
        raise WebAuthnVerificationError(
            f"WebAuthn authentication could not be verified ({type(exc).__name__})"
        ) from None
    return int(verified.new_sign_count)
