"""Base64url without padding (RFC 7515 §2 and Appendix C), decoded strictly.

Python's ``urlsafe_b64decode`` silently skips characters outside the alphabet and
accepts padding, so two different strings can decode to the same bytes. For
tokens that is malleability: a "tampered" token would still verify. This decoder
accepts exactly one spelling per byte string: alphabet ``A-Z a-z 0-9 - _``, no
``=``, no length that is 1 mod 4 and no non-zero unused trailing bits.
"""

from __future__ import annotations

import binascii

__all__ = ["decode", "encode"]

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_ALPHABET_BYTES = _ALPHABET.encode("ascii")
# Unused low bits of the last character when the length is 2 or 3 mod 4.
_TRAILING_MASK = {2: 0x0F, 3: 0x03}
_TO_STANDARD = bytes.maketrans(b"-_", b"+/")
_TO_URLSAFE = bytes.maketrans(b"+/", b"-_")


def encode(data: bytes) -> str:
    """Encode ``data`` as unpadded base64url text."""
    return binascii.b2a_base64(data, newline=False).translate(_TO_URLSAFE).rstrip(b"=").decode()


def decode(text: str) -> bytes:
    """Decode unpadded base64url; raise ``ValueError`` for any non-canonical input."""
    # `translate` deleting the alphabet leaves exactly the foreign bytes (faster than a regex
    # on multi-kilobyte chunked tokens).
    if not text.isascii():
        raise ValueError("not base64url")
    if text.encode("ascii").translate(None, _ALPHABET_BYTES):
        raise ValueError("not base64url")
    return _decode_alphabet_checked(text)


_ALPHABET_AND_DOT = _ALPHABET_BYTES + b"."


def _is_alphabet(text: str, *, dots: bool = False) -> bool:
    """Whether `text` has only base64url characters (and `.` with `dots`): one check for all
    the segments of a compact token."""
    return text.isascii() and not text.encode("ascii").translate(
        None, _ALPHABET_AND_DOT if dots else _ALPHABET_BYTES
    )


def _decode_alphabet_checked(text: str) -> bytes:
    """`decode` of a text already known to be in the alphabet (`_is_alphabet`): the length
    and trailing-bit checks only."""
    rem = len(text) % 4
    if rem and (rem == 1 or _ALPHABET.index(text[-1]) & _TRAILING_MASK[rem]):
        raise ValueError("not canonical base64url")
    # The alphabet is already checked, so the C decoder needs no validation of its own.
    data = text.encode("ascii").translate(_TO_STANDARD)
    return binascii.a2b_base64(data + (b"", b"", b"==", b"=")[rem])
