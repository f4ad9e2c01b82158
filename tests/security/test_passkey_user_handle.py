"""The user handle of a passkey assertion in both encodings browsers' scripts send: base64url
(the WebAuthn JSON) and UTF-8 text (`@simplewebauthn/browser` 9, which Auth.js's sign-in
page and `next-auth/webauthn` use). Either way an authcore handle names its user, and only
its user."""

from __future__ import annotations

import pytest

from authcore._webauthn import user_handle, verify_user_handle
from authcore._webauthn_verify import assertion_user_handle
from authcore.errors import WebAuthnVerificationError
from authcore.jose import base64url

SECRET = "user-handle-secret-0123456789abcdef"


def _assertion(handle: str | None) -> dict[str, object]:
    return {"id": "x", "response": {"userHandle": handle}}


@pytest.mark.parametrize("form", ["base64url", "utf-8 text"])
def test_an_authcore_handle_is_read_in_either_encoding(form: str) -> None:
    handle = user_handle(SECRET, "user-1")
    sent = base64url.encode(handle.encode()) if form == "base64url" else handle
    got = assertion_user_handle(_assertion(sent))
    assert got == handle.encode()
    verify_user_handle([SECRET], got, "user-1")
    with pytest.raises(WebAuthnVerificationError):
        verify_user_handle([SECRET], got, "user-2")


def test_a_random_handle_carries_nothing_to_check() -> None:
    random_handle = user_handle(SECRET, None)  # Auth.js's and a new user's: 64 hex digits
    for sent in (random_handle, base64url.encode(random_handle.encode())):
        verify_user_handle([SECRET], assertion_user_handle(_assertion(sent)), "anyone")
    assert assertion_user_handle(_assertion(None)) is None
    assert assertion_user_handle(_assertion("")) is None


def test_a_malformed_handle_is_refused() -> None:
    with pytest.raises(WebAuthnVerificationError):
        assertion_user_handle(_assertion("not base64url!"))
    forged = "ac1.é" + user_handle(SECRET, "user-1").removeprefix("ac1.")
    with pytest.raises(WebAuthnVerificationError):
        verify_user_handle([SECRET], assertion_user_handle(_assertion(forged)), "user-1")
