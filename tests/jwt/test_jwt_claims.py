"""authcore.jwt behaviour: claims, clock tolerance, rotation, v4, and refusals."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

import pytest

from authcore import jwt
from authcore.jose import base64url, jwa, jwe
from authcore.jwt import _derived_key

SECRET = "claims-test-secret-0123456789abcdef"
SALT = "authjs.session-token"
NOW = 1_800_000_000


def _code(call: Callable[[], object]) -> str:
    with pytest.raises(jwt.InvalidToken) as exc:
        call()
    assert str(exc.value) == "invalid token"
    assert repr(exc.value).startswith("InvalidToken(code=")
    return exc.value.code


def _decode(token: str, **kwargs: Any) -> dict[str, Any]:
    options: dict[str, Any] = {"secret": SECRET, "salt": SALT, "now": NOW, **kwargs}
    return jwt.decode(token=token, **options)


def _raw(payload: bytes, *, kid: bool = True, enc: jwa.Enc = "A256CBC-HS512") -> str:
    """Encrypt arbitrary plaintext bytes with the real derived key."""
    key, thumbprint = _derived_key(SECRET, SALT, 64 if enc == "A256CBC-HS512" else 32)
    return jwe.encrypt_compact(payload, key, enc=enc, kid=thumbprint if kid else None)


def test_encode_sets_claims() -> None:
    token = jwt.encode(token={"sub": "u", "iat": 1, "jti": "x"}, secret=SECRET, salt=SALT, now=NOW)
    payload = _decode(token)
    assert list(payload) == ["sub", "iat", "jti", "exp"]
    assert payload["iat"] == NOW
    assert payload["exp"] == NOW + jwt.DEFAULT_MAX_AGE == NOW + 2592000
    assert payload["jti"] != "x" and len(payload["jti"]) == 36


def test_fractional_now_is_floored() -> None:
    token = jwt.encode(token={}, secret=SECRET, salt=SALT, max_age=60, now=NOW + 0.999)
    assert _decode(token)["iat"] == NOW
    assert _decode(token)["exp"] == NOW + 60


def test_default_clock_is_used() -> None:
    token = jwt.encode(token={"a": 1}, secret=SECRET, salt=SALT)
    assert jwt.decode(token=token, secret=SECRET, salt=SALT)["a"] == 1


def test_non_ascii_stays_utf8() -> None:
    token = jwt.encode(
        token={"name": "Zoë 日本 🎉", "x": "\ud800"}, secret=SECRET, salt=SALT, now=NOW
    )
    key, _ = _derived_key(SECRET, SALT, 64)
    _, plaintext = jwe.decrypt_compact(token, lambda _h: (key,))
    assert "Zoë 日本 🎉".encode() in plaintext
    assert b'"x":"\\ud800"' in plaintext  # lone surrogate escaped as JSON.stringify does
    assert _decode(token)["name"] == "Zoë 日本 🎉"


def test_nan_is_refused_at_encode() -> None:
    with pytest.raises(ValueError):
        jwt.encode(token={"x": float("nan")}, secret=SECRET, salt=SALT, now=NOW)


@pytest.mark.parametrize(
    ("offset", "ok"),
    [(-16, False), (-15, False), (-14, True), (0, True), (60, True)],
)
def test_exp_tolerance(offset: int, ok: bool) -> None:
    # Expired when exp <= now - 15 (jose clockTolerance 15).
    token = jwt.encode(token={}, secret=SECRET, salt=SALT, max_age=60, now=NOW)
    now = NOW + 60 - offset
    if ok:
        assert _decode(token, now=now)["exp"] == NOW + 60
    else:
        assert _code(lambda: _decode(token, now=now)) == "expired"


@pytest.mark.parametrize(("nbf", "ok"), [(NOW + 15, True), (NOW + 16, False), (NOW - 100, True)])
def test_nbf_tolerance(nbf: int, ok: bool) -> None:
    token = jwt.encode(token={"nbf": nbf}, secret=SECRET, salt=SALT, now=NOW)
    if ok:
        assert _decode(token)["nbf"] == nbf
    else:
        assert _code(lambda: _decode(token)) == "not_yet_valid"


def test_iat_in_future_is_accepted() -> None:
    token = _raw(json.dumps({"iat": NOW + 10_000, "exp": NOW + 20_000}).encode())
    assert _decode(token)["iat"] == NOW + 10_000


@pytest.mark.parametrize(
    "claims",
    [
        {"exp": True},
        {"exp": "2000000000"},
        {"exp": None},
        {"nbf": False},
        {"iat": "now"},
        {"iat": [1]},
        {"exp": 1e400},
    ],
)
def test_claims_must_be_numbers(claims: dict[str, Any]) -> None:
    token = _raw(json.dumps(claims).replace("Infinity", "1e400").encode())
    assert _code(lambda: _decode(token)) == "bad_claims"


def test_tokens_without_exp_are_accepted() -> None:
    assert _decode(_raw(b'{"sub":"x"}')) == {"sub": "x"}


@pytest.mark.parametrize(
    "plaintext",
    [
        b"[1,2,3]",
        b'"string"',
        b"null",
        b"not json",
        b'{"a":1,"a":2}',
        b'{"a":{"b":1,"b":1}}',
        b"\xff\xfe{}",
        b'{"name":"\xe9"}',
        b'\xef\xbb\xbf{"a":1}',
        b'{"a":NaN}',
        b"",
        b"[" * 5_000,
    ],
)
def test_payload_must_be_a_strict_json_object(plaintext: bytes) -> None:
    assert _code(lambda: _decode(_raw(plaintext), max_length=100_000)) == "bad_payload"


def test_rotation_old_token_new_list() -> None:
    old = jwt.encode(token={"sub": "u"}, secret="old-secret-value", salt=SALT, now=NOW)
    assert _decode(old, secret=["new-secret-value", "old-secret-value"])["sub"] == "u"
    assert _code(lambda: _decode(old, secret=["new-secret-value"])) == "no_matching_key"


def test_rotation_first_secret_encrypts() -> None:
    token = jwt.encode(token={}, secret=["new-secret", "old-secret"], salt=SALT, now=NOW)
    assert _decode(token, secret="new-secret")["iat"] == NOW
    assert _code(lambda: _decode(token, secret="old-secret")) == "no_matching_key"


def test_kidless_token_tries_every_secret() -> None:
    # Deliberate difference from Auth.js (docs/differences.md row 4), which tries only secret[0].
    token = _raw(b'{"sub":"no-kid"}', kid=False)
    assert _decode(token, secret=["another-secret", SECRET])["sub"] == "no-kid"
    assert _code(lambda: _decode(token, secret=["a-secret", "b-secret"])) == "bad_tag"


def test_kidless_gcm_token_tries_every_secret() -> None:
    token = _raw(b'{"sub":"gcm"}', kid=False, enc="A256GCM")
    assert _decode(token, secret=["another-secret", SECRET])["sub"] == "gcm"


def test_unknown_kid_is_not_brute_forced() -> None:
    key, _ = _derived_key(SECRET, SALT, 64)
    token = jwe.encrypt_compact(b"{}", key, kid="some-other-kid")
    assert _code(lambda: _decode(token)) == "no_matching_key"


@pytest.mark.parametrize("segment", range(5))
def test_tampering_each_segment(segment: int) -> None:
    token = jwt.encode(token={"sub": "u"}, secret=SECRET, salt=SALT, now=NOW)
    parts = token.split(".")
    if segment == 1:
        parts[1] = base64url.encode(os.urandom(32))
    else:
        raw = bytearray(base64url.decode(parts[segment]))
        raw[len(raw) // 2] ^= 0x04
        parts[segment] = base64url.encode(bytes(raw))
    _code(lambda: _decode(".".join(parts)))


@pytest.mark.parametrize("cut", [1, 10, 43, 44, 200])
def test_truncated(cut: int) -> None:
    token = jwt.encode(token={"sub": "u"}, secret=SECRET, salt=SALT, now=NOW)
    _code(lambda: _decode(token[:-cut]))


def test_wrong_key_and_wrong_salt() -> None:
    token = jwt.encode(token={}, secret=SECRET, salt=SALT, now=NOW)
    assert _code(lambda: _decode(token, secret="wrong")) == "no_matching_key"
    assert _code(lambda: _decode(token, salt="authjs.state")) == "no_matching_key"


def test_oversized_token_rejected_before_work() -> None:
    big = "\x00" * 16385
    assert _code(lambda: _decode(big)) == "too_large"
    token = jwt.encode(token={"blob": "x" * 2000}, secret=SECRET, salt=SALT, now=NOW)
    assert _code(lambda: _decode(token, max_length=1000)) == "too_large"
    assert _decode(token, max_length=len(token))["blob"] == "x" * 2000


def _forge(header: dict[str, Any], *, encrypted_key: str = "") -> str:
    segment = base64url.encode(json.dumps(header, separators=(",", ":")).encode())
    key, _ = _derived_key(SECRET, SALT, 64)
    iv = os.urandom(16)
    ct, tag = jwa.encrypt("A256CBC-HS512", key, iv=iv, plaintext=b"{}", aad=segment.encode())
    return ".".join((segment, encrypted_key, *(base64url.encode(v) for v in (iv, ct, tag))))


@pytest.mark.parametrize(
    "extra",
    [
        {"alg": "none"},
        {"zip": "DEF"},
        {"jwk": {"kty": "oct", "k": "AAAA"}},
        {"alg": "PBES2-HS512+A256KW", "p2c": 10**9, "p2s": "AAAAAAAAAAA"},
        {"crit": ["exp"]},
        {"alg": "RSA-OAEP"},
        {"enc": "A128GCM"},
    ],
)
def test_foreign_headers(extra: dict[str, Any]) -> None:
    _, kid = _derived_key(SECRET, SALT, 64)
    header = {"alg": "dir", "enc": "A256CBC-HS512", "kid": kid, **extra}
    assert _code(lambda: _decode(_forge(header))) == "unsupported_header"


def test_forged_header_baseline_is_accepted() -> None:
    _, kid = _derived_key(SECRET, SALT, 64)
    assert _decode(_forge({"alg": "dir", "enc": "A256CBC-HS512", "kid": kid})) == {}


def test_non_empty_encrypted_key() -> None:
    _, kid = _derived_key(SECRET, SALT, 64)
    token = _forge({"alg": "dir", "enc": "A256CBC-HS512", "kid": kid}, encrypted_key="AAAA")
    assert _code(lambda: _decode(token)) == "unsupported_header"


@pytest.mark.parametrize(("index", "size"), [(2, 12), (2, 32), (4, 16), (4, 64)])
def test_wrong_iv_and_tag_lengths(index: int, size: int) -> None:
    parts = jwt.encode(token={}, secret=SECRET, salt=SALT, now=NOW).split(".")
    parts[index] = base64url.encode(os.urandom(size))
    assert _code(lambda: _decode(".".join(parts))) == "malformed"


@pytest.mark.parametrize("secret", ["", "   ", [], [""], ["ok", ""]])
def test_missing_secret_is_a_configuration_error(secret: Any) -> None:
    with pytest.raises(ValueError):
        jwt.encode(token={}, secret=secret, salt=SALT)
    with pytest.raises(ValueError):
        jwt.decode(token="x", secret=secret, salt=SALT)


def test_hkdf_runs_once_per_secret_and_salt(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = jwt._hkdf

    def counting(secret: str, salt: bytes, info: bytes, length: int) -> bytes:
        calls.append(secret)
        return real(secret, salt, info, length)

    monkeypatch.setattr(jwt, "_hkdf", counting)
    _derived_key.cache_clear()
    jwt._keyring.cache_clear()
    token = jwt.encode(token={}, secret="cache-test-secret", salt=SALT, now=NOW)
    for _ in range(5):
        _decode(token, secret="cache-test-secret")
    assert calls == ["cache-test-secret"]


# NextAuth.js v4 generation.


def test_v4_round_trip_and_header() -> None:
    token = jwt.encode_v4(token={"sub": "v4"}, secret=SECRET, now=NOW)
    assert base64url.decode(token.split(".")[0]) == b'{"alg":"dir","enc":"A256GCM"}'
    payload = jwt.decode_v4(token=token, secret=SECRET, now=NOW)
    assert payload["sub"] == "v4" and payload["exp"] == NOW + jwt.DEFAULT_MAX_AGE


def test_v4_tries_every_secret() -> None:
    token = jwt.encode_v4(token={"sub": "v4"}, secret="old-v4-secret", now=NOW)
    assert jwt.decode_v4(token=token, secret=["new", "old-v4-secret"], now=NOW)["sub"] == "v4"
    assert _code(lambda: jwt.decode_v4(token=token, secret=["new"], now=NOW)) == "bad_tag"


def test_v4_and_v5_are_not_interchangeable() -> None:
    v4 = jwt.encode_v4(token={}, secret=SECRET, now=NOW)
    v5 = jwt.encode(token={}, secret=SECRET, salt=SALT, now=NOW)
    _code(lambda: _decode(v4))
    assert _code(lambda: jwt.decode_v4(token=v5, secret=SECRET, now=NOW)) == "unsupported_header"


def test_v4_expiry() -> None:
    token = jwt.encode_v4(token={}, secret=SECRET, max_age=10, now=NOW)
    assert jwt.decode_v4(token=token, secret=SECRET, now=NOW + 24)["iat"] == NOW
    assert _code(lambda: jwt.decode_v4(token=token, secret=SECRET, now=NOW + 25)) == "expired"


def test_public_names() -> None:
    assert set(jwt.__all__) == {
        "encode",
        "decode",
        "encode_v4",
        "decode_v4",
        "InvalidToken",
        "DEFAULT_MAX_AGE",
        "get_token",
    }
