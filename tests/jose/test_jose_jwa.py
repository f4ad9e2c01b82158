"""RFC 7518 §5 content encryption, checked against the RFC's own test case."""

from __future__ import annotations

import os

import pytest

from authcore.jose import InvalidToken, jwa


def _hex(text: str) -> bytes:
    return bytes.fromhex("".join(text.split()))


# RFC 7518 Appendix B.3: AES_256_CBC_HMAC_SHA_512.
B3_K = bytes(range(64))
B3_P = _hex(
    """41 20 63 69 70 68 65 72 20 73 79 73 74 65 6d 20 6d 75 73 74 20 6e 6f 74 20 62 65 20
    72 65 71 75 69 72 65 64 20 74 6f 20 62 65 20 73 65 63 72 65 74 2c 20 61 6e 64 20 69 74
    20 6d 75 73 74 20 62 65 20 61 62 6c 65 20 74 6f 20 66 61 6c 6c 20 69 6e 74 6f 20 74 68
    65 20 68 61 6e 64 73 20 6f 66 20 74 68 65 20 65 6e 65 6d 79 20 77 69 74 68 6f 75 74 20
    69 6e 63 6f 6e 76 65 6e 69 65 6e 63 65"""
)
B3_IV = _hex("1a f3 8c 2d c2 b9 6f fd d8 66 94 09 23 41 bc 04")
B3_A = _hex(
    """54 68 65 20 73 65 63 6f 6e 64 20 70 72 69 6e 63 69 70 6c 65 20 6f 66 20 41 75 67 75
    73 74 65 20 4b 65 72 63 6b 68 6f 66 66 73"""
)
B3_E = _hex(
    """4a ff aa ad b7 8c 31 c5 da 4b 1b 59 0d 10 ff bd 3d d8 d5 d3 02 42 35 26 91 2d a0 37
    ec bc c7 bd 82 2c 30 1d d6 7c 37 3b cc b5 84 ad 3e 92 79 c2 e6 d1 2a 13 74 b7 7f 07
    75 53 df 82 94 10 44 6b 36 eb d9 70 66 29 6a e6 42 7e a7 5c 2e 08 46 a1 1a 09 cc f5
    37 0d c8 0b fe cb ad 28 c7 3f 09 b3 a3 b7 5e 66 2a 25 94 41 0a e4 96 b2 e2 e6 60 9e
    31 e6 e0 2c c8 37 f0 53 d2 1f 37 ff 4f 51 95 0b be 26 38 d0 9d d7 a4 93 09 30 80 6d
    07 03 b1 f6"""
)
B3_T = _hex(
    """4d d3 b4 c0 88 a7 f4 5c 21 68 39 64 5b 20 12 bf 2e 62 69 a8 c5 6a 81 6d bc 1b 26 77
    61 95 5b c5"""
)


def test_rfc7518_b3_plaintext_is_the_kerckhoffs_sentence() -> None:
    assert B3_P.startswith(b"A cipher system must not be required to be secret")
    assert B3_A == b"The second principle of Auguste Kerckhoffs"


def test_rfc7518_b3_encrypt() -> None:
    assert jwa.encrypt("A256CBC-HS512", B3_K, iv=B3_IV, plaintext=B3_P, aad=B3_A) == (B3_E, B3_T)


def test_rfc7518_b3_decrypt() -> None:
    args = {"iv": B3_IV, "ciphertext": B3_E, "tag": B3_T, "aad": B3_A}
    assert jwa.decrypt("A256CBC-HS512", B3_K, **args) == B3_P


@pytest.mark.parametrize("field", ["iv", "ciphertext", "tag", "aad"])
def test_rfc7518_b3_any_flipped_bit_fails(field: str) -> None:
    args = {"iv": B3_IV, "ciphertext": B3_E, "tag": B3_T, "aad": B3_A}
    value = bytearray(args[field])
    value[len(value) // 2] ^= 0x01
    args[field] = bytes(value)
    with pytest.raises(InvalidToken) as exc:
        jwa.decrypt("A256CBC-HS512", B3_K, **args)
    assert exc.value.code == "bad_tag"


def test_wrong_key_half_fails() -> None:
    key = B3_K[:32] + bytes(32)  # right MAC key, wrong AES key: tag passes, padding fails
    with pytest.raises(InvalidToken) as exc:
        jwa.decrypt("A256CBC-HS512", key, iv=B3_IV, ciphertext=B3_E, tag=B3_T, aad=B3_A)
    assert exc.value.code == "bad_tag"


def test_truncated_tag_is_refused() -> None:
    with pytest.raises(InvalidToken) as exc:
        jwa.decrypt("A256CBC-HS512", B3_K, iv=B3_IV, ciphertext=B3_E, tag=B3_T[:16], aad=B3_A)
    assert exc.value.code == "malformed"


@pytest.mark.parametrize("enc", ["A256CBC-HS512", "A256GCM"])
@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, 1000])
def test_round_trip(enc: jwa.Enc, size: int) -> None:
    spec = jwa.ENCRYPTIONS[enc]
    key, iv, plaintext = os.urandom(spec.key_size), os.urandom(spec.iv_size), os.urandom(size)
    ciphertext, tag = jwa.encrypt(enc, key, iv=iv, plaintext=plaintext, aad=b"hdr")
    assert len(tag) == spec.tag_size
    out = jwa.decrypt(enc, key, iv=iv, ciphertext=ciphertext, tag=tag, aad=b"hdr")
    assert out == plaintext
    with pytest.raises(InvalidToken):
        jwa.decrypt(enc, key, iv=iv, ciphertext=ciphertext, tag=tag, aad=b"hdR")


def test_encrypt_checks_sizes() -> None:
    with pytest.raises(ValueError):
        jwa.encrypt("A256CBC-HS512", bytes(32), iv=bytes(16), plaintext=b"", aad=b"")
    with pytest.raises(ValueError):
        jwa.encrypt("A256GCM", bytes(32), iv=bytes(16), plaintext=b"", aad=b"")
