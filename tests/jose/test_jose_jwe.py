"""JWE compact serialisation with ``alg: dir`` (RFC 7516 §7.1, RFC 7518 §4.5)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping

import pytest

from authcore.jose import InvalidToken, base64url, jwa, jwe

KEY = bytes(range(64))
GCM_KEY = bytes(range(32))


def _fixed(*keys: bytes) -> jwe.KeyResolver:
    def resolve(_header: Mapping[str, str]) -> Iterable[bytes]:
        return keys

    return resolve


def _forge(header_json: str, key: bytes = KEY, enc: jwa.Enc = "A256CBC-HS512") -> str:
    """A correctly encrypted token under an arbitrary protected header."""
    header = base64url.encode(header_json.encode())
    iv = os.urandom(jwa.ENCRYPTIONS[enc].iv_size)
    ct, tag = jwa.encrypt(enc, key, iv=iv, plaintext=b"{}", aad=header.encode())
    return ".".join((header, "", base64url.encode(iv), base64url.encode(ct), base64url.encode(tag)))


def _code(token: str, *, keys: jwe.KeyResolver | None = None, **kwargs: object) -> str:
    with pytest.raises(InvalidToken) as exc:
        jwe.decrypt_compact(token, keys or _fixed(KEY), **kwargs)  # type: ignore[arg-type]
    assert str(exc.value) == "invalid token"
    return exc.value.code


def test_header_bytes_match_jose() -> None:
    token = jwe.encrypt_compact(b"x", KEY, kid="abc")
    header = base64url.decode(token.split(".")[0])
    assert header == b'{"alg":"dir","enc":"A256CBC-HS512","kid":"abc"}'
    token = jwe.encrypt_compact(b"x", GCM_KEY, enc="A256GCM")
    assert base64url.decode(token.split(".")[0]) == b'{"alg":"dir","enc":"A256GCM"}'


def test_segment_shape() -> None:
    token = jwe.encrypt_compact(b"hello", KEY, kid="k")
    _, key, iv, ct, tag = token.split(".")
    assert key == ""
    assert (len(iv), len(ct), len(tag)) == (22, 22, 43)


def test_fixed_iv_is_deterministic() -> None:
    one = jwe.encrypt_compact(b"x", KEY, iv=bytes(16))
    assert one == jwe.encrypt_compact(b"x", KEY, iv=bytes(16))
    assert one.split(".")[2] == base64url.encode(bytes(16))


@pytest.mark.parametrize("enc", ["A256CBC-HS512", "A256GCM"])
def test_round_trip(enc: jwa.Enc) -> None:
    key = KEY if enc == "A256CBC-HS512" else GCM_KEY
    token = jwe.encrypt_compact(b'{"a":1}', key, enc=enc, kid="k1")
    header, plaintext = jwe.decrypt_compact(token, _fixed(key), allowed_enc=[enc])
    assert plaintext == b'{"a":1}'
    assert dict(header) == {"alg": "dir", "enc": enc, "kid": "k1"}


def test_enc_must_be_allowed() -> None:
    token = jwe.encrypt_compact(b"x", GCM_KEY, enc="A256GCM")
    assert _code(token, keys=_fixed(GCM_KEY)) == "unsupported_header"


def test_keys_are_tried_in_order() -> None:
    token = jwe.encrypt_compact(b"x", KEY)
    _, plaintext = jwe.decrypt_compact(token, _fixed(os.urandom(64), os.urandom(64), KEY))
    assert plaintext == b"x"
    assert _code(token, keys=_fixed()) == "no_matching_key"
    assert _code(token, keys=_fixed(os.urandom(64))) == "bad_tag"


@pytest.mark.parametrize("segment", range(5))
def test_tampering_any_segment_fails(segment: int) -> None:
    token = jwe.encrypt_compact(b'{"sub":"x"}', KEY, kid="k")
    parts = token.split(".")
    if segment == 1:
        parts[1] = "AA"
    else:
        part = parts[segment]
        index = len(part) // 2
        parts[segment] = part[:index] + ("A" if part[index] != "A" else "B") + part[index + 1 :]
    _code(".".join(parts))


@pytest.mark.parametrize(
    "header",
    [
        '{"alg":"none","enc":"A256CBC-HS512"}',
        '{"alg":"dir","enc":"A256CBC-HS512","zip":"DEF"}',
        '{"alg":"dir","enc":"A256CBC-HS512","jwk":{"kty":"oct","k":"AAAA"}}',
        '{"alg":"dir","enc":"A256CBC-HS512","jku":"https://evil.example/jwks"}',
        '{"alg":"dir","enc":"A256CBC-HS512","x5u":"https://evil.example/cert"}',
        '{"alg":"dir","enc":"A256CBC-HS512","crit":["exp"],"exp":1}',
        '{"alg":"dir","enc":"A256CBC-HS512","crit":[]}',
        '{"alg":"PBES2-HS512+A256KW","enc":"A256CBC-HS512","p2c":1000000000,"p2s":"AAAA"}',
        '{"alg":"dir","enc":"A256CBC-HS512","p2c":1000000000}',
        '{"alg":"RSA-OAEP","enc":"A256CBC-HS512"}',
        '{"alg":"dir","enc":"A128CBC-HS256"}',
        '{"alg":"dir","enc":"XYZ"}',
        '{"alg":"dir"}',
        '{"enc":"A256CBC-HS512"}',
        '{"alg":"dir","enc":"A256CBC-HS512","kid":5}',
        '{"alg":"dir","enc":"A256CBC-HS512","kid":null}',
        '{"alg":["dir"],"enc":"A256CBC-HS512"}',
    ],
)
def test_foreign_headers_are_refused(header: str) -> None:
    assert _code(_forge(header)) == "unsupported_header"


@pytest.mark.parametrize(
    "header",
    [
        '{"alg":"dir","alg":"dir","enc":"A256CBC-HS512"}',
        '{"alg":"dir","enc":"A256GCM","enc":"A256CBC-HS512"}',
        '["alg","dir"]',
        "not json",
        '{"alg":"dir","enc":"A256CBC-HS512"',
        '{"alg":"dir","enc":"A256CBC-HS512","x":NaN}',
    ],
)
def test_malformed_headers_are_refused(header: str) -> None:
    assert _code(_forge(header)) == "malformed"


def test_typ_and_cty_are_tolerated() -> None:
    token = _forge('{"alg":"dir","enc":"A256CBC-HS512","typ":"JWT","cty":"JWT"}')
    assert jwe.decrypt_compact(token, _fixed(KEY))[1] == b"{}"


def test_header_not_utf8() -> None:
    header = base64url.encode(b'{"alg":"dir","enc":"A256CBC-HS512","kid":"\xff"}')
    token = jwe.encrypt_compact(b"x", KEY)
    assert _code(".".join([header, *token.split(".")[1:]])) == "malformed"


def test_encrypted_key_must_be_empty() -> None:
    parts = jwe.encrypt_compact(b"x", KEY).split(".")
    parts[1] = base64url.encode(os.urandom(32))
    assert _code(".".join(parts)) == "unsupported_header"


@pytest.mark.parametrize(("index", "size"), [(2, 12), (2, 15), (2, 17), (2, 32), (4, 16), (4, 31)])
def test_iv_and_tag_sizes_are_exact(index: int, size: int) -> None:
    parts = jwe.encrypt_compact(b"x", KEY).split(".")
    parts[index] = base64url.encode(os.urandom(size))
    assert _code(".".join(parts)) == "malformed"


def test_gcm_sizes_are_exact() -> None:
    parts = jwe.encrypt_compact(b"x", GCM_KEY, enc="A256GCM").split(".")
    for index, size in ((2, 16), (4, 32)):
        bad = list(parts)
        bad[index] = base64url.encode(os.urandom(size))
        assert _code(".".join(bad), keys=_fixed(GCM_KEY), allowed_enc=["A256GCM"]) == "malformed"


def test_ciphertext_not_block_aligned() -> None:
    parts = jwe.encrypt_compact(b"x", KEY).split(".")
    parts[3] = base64url.encode(os.urandom(17))
    assert _code(".".join(parts)) == "malformed"


@pytest.mark.parametrize(
    "token",
    ["", "garbage", "a.b.c", "a.b.c.d", "a.b.c.d.e.f", "....", "eyJ9..AAAA.AAAA.AAAA"],
)
def test_not_a_compact_jwe(token: str) -> None:
    assert _code(token) in {"empty", "malformed"}


def test_size_cap_comes_before_any_decoding() -> None:
    # Characters outside base64url would be "malformed"; the cap must answer first.
    huge = "!" * (jwe.DEFAULT_MAX_LENGTH + 1)
    assert _code(huge) == "too_large"
    token = jwe.encrypt_compact(b"x" * 100, KEY)
    assert _code(token, max_length=len(token) - 1) == "too_large"
    assert jwe.decrypt_compact(token, _fixed(KEY), max_length=len(token))[1] == b"x" * 100


def test_header_cap() -> None:
    padding = "a" * jwe.MAX_HEADER_LENGTH
    assert _code(_forge(json.dumps({"alg": "dir", "enc": "A256CBC-HS512", "kid": padding}))) == (
        "too_large"
    )


def test_non_string_token() -> None:
    assert _code(b"abc") == "empty"  # type: ignore[arg-type]
