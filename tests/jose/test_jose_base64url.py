"""Strict base64url (RFC 7515 §2, Appendix C)."""

from __future__ import annotations

import os

import pytest

from authcore.jose import base64url


def test_rfc7515_appendix_c_example() -> None:
    assert base64url.encode(bytes([3, 236, 255, 224, 193])) == "A-z_4ME"
    assert base64url.decode("A-z_4ME") == bytes([3, 236, 255, 224, 193])


@pytest.mark.parametrize("size", range(0, 40))
def test_round_trip(size: int) -> None:
    data = os.urandom(size)
    text = base64url.encode(data)
    assert "=" not in text
    assert base64url.decode(text) == data


@pytest.mark.parametrize(
    "text",
    [
        "A-z_4ME=",  # padding
        "A+z/4ME",  # standard alphabet
        "A-z_ 4ME",  # whitespace
        "A-z_\n4ME",
        "A-z_4M",  # valid length but non-zero trailing bits (canonical is "A-z_4ME")
        "A-z_4MF",  # non-canonical trailing bits
        "AAAAA",  # length 1 mod 4
        "A-z_4MÉ",  # non-ASCII
        "ﬁ",
    ],
)
def test_rejects_non_canonical(text: str) -> None:
    with pytest.raises(ValueError):
        base64url.decode(text)


def test_empty() -> None:
    assert base64url.decode("") == b""
    assert base64url.encode(b"") == ""
