"""JWK import, JWK Sets and RFC 7638 thumbprints."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from authcore.jose import base64url, jwk

# RFC 7638 §3.1.
RFC7638_RSA = {
    "kty": "RSA",
    "n": (
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECP"
        "ebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY"
        "368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0f"
        "M4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
    ),
    "e": "AQAB",
    "alg": "RS256",
    "kid": "2011-04-29",
}
# RFC 8037 §A.2/A.3.
RFC8037_OKP = {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}


def test_rfc7638_thumbprint() -> None:
    assert jwk.thumbprint(RFC7638_RSA) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def test_rfc8037_thumbprint() -> None:
    assert jwk.thumbprint(RFC8037_OKP) == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


# tests/fixtures/authjs-vectors.json, produced by @auth/core 0.41.3 with secret
# "test-secret-do-not-use".
SPEC15_KEY = bytes.fromhex(
    "f9b92cf8075eb3df57f02dbcac11ff9ddb5ab1ec53ed8445a13baa23e326e229"
    "f518d88c56dedb7098227c8246497a3d0418fc5a5b228592740544f82ee36874"
)


def test_oct_thumbprint_sha512_for_64_byte_key() -> None:
    assert jwk.oct_thumbprint(SPEC15_KEY) == (
        "M4Hzr5TENoPnjVT9zR5kgJT2Z6myPw0v3Unspv74leWB062ViF_tuBUa4GaEk6NDgst0O4fgdUaFmrNCnZdSMQ"
    )


def test_oct_thumbprint_sha256_for_32_byte_key() -> None:
    assert jwk.oct_thumbprint(SPEC15_KEY[:32]) == "wWtpM0uiprOtdPSE0Xf3hqdWvoBGyMz_RnAr62R8jSM"


def test_oct_thumbprint_rejects_other_sizes() -> None:
    with pytest.raises(ValueError):
        jwk.oct_thumbprint(bytes(16))


def test_thumbprint_requires_members() -> None:
    with pytest.raises(KeyError):
        jwk.thumbprint({"kty": "RSA", "n": "AQAB"})
    with pytest.raises(ValueError):
        jwk.thumbprint({"kty": "nope"})


def _ec_jwk(key: ec.EllipticCurvePublicKey, crv: str, size: int, **extra: Any) -> dict[str, Any]:
    numbers = key.public_numbers()
    return {
        "kty": "EC",
        "crv": crv,
        "x": base64url.encode(numbers.x.to_bytes(size, "big")),
        "y": base64url.encode(numbers.y.to_bytes(size, "big")),
        **extra,
    }


def test_import_rsa() -> None:
    key = jwk.import_public_key({**RFC7638_RSA, "use": "sig", "d": "ignored-private-member"})
    assert isinstance(key.key, rsa.RSAPublicKey)
    assert (key.kid, key.alg, key.use, key.kty) == ("2011-04-29", "RS256", "sig", "RSA")
    assert key.key.key_size == 2048


def test_import_ec_and_okp() -> None:
    public = ec.generate_private_key(ec.SECP256R1()).public_key()
    key = jwk.import_public_key(_ec_jwk(public, "P-256", 32, kid="e1"))
    assert isinstance(key.key, ec.EllipticCurvePublicKey)
    assert key.key.public_numbers() == public.public_numbers()
    okp = jwk.import_public_key(RFC8037_OKP)
    assert isinstance(okp.key, ed25519.Ed25519PublicKey)


@pytest.mark.parametrize(
    "bad",
    [
        {"kty": "oct", "k": "AAAA"},
        {"kty": "RSA", "n": "AQAB", "e": "AQAB"},  # far below 2048 bits
        {"kty": "RSA", "e": "AQAB"},
        {"kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA"},
        {"kty": "EC", "crv": "secp256k1", "x": "AAAA", "y": "AAAA"},
        {"kty": "OKP", "crv": "X25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
        {"kty": "OKP", "crv": "Ed25519", "x": "AAAA"},
        {**RFC8037_OKP, "kid": 7},
        {**RFC8037_OKP, "key_ops": "verify"},
        {"kty": "EC"},
        {},
    ],
)
def test_import_rejects(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        jwk.import_public_key(bad)


def test_ec_point_must_be_on_curve() -> None:
    public = ec.generate_private_key(ec.SECP256R1()).public_key()
    data = _ec_jwk(public, "P-256", 32)
    y = bytearray(base64url.decode(data["y"]))
    y[-1] ^= 1
    data["y"] = base64url.encode(bytes(y))
    with pytest.raises(ValueError):
        jwk.import_public_key(data)


def test_jwkset_never_yields_oct_and_selects_by_kid_and_alg() -> None:
    p256 = ec.generate_private_key(ec.SECP256R1()).public_key()
    p384 = ec.generate_private_key(ec.SECP384R1()).public_key()
    keys = jwk.JWKSet.from_dict(
        {
            "keys": [
                {"kty": "oct", "k": "c2VjcmV0", "kid": "rsa1"},
                RFC7638_RSA,
                {**RFC7638_RSA, "kid": "enc", "alg": None, "use": "enc"},
                {**RFC7638_RSA, "kid": "ops", "alg": None, "key_ops": ["encrypt"]},
                _ec_jwk(p256, "P-256", 32, kid="ec"),
                _ec_jwk(p384, "P-384", 48, kid="ec384"),
                RFC8037_OKP,
                "not a key",
                {"kty": "EC", "crv": "P-256"},
            ]
        }
    )
    assert len(keys.keys) == 6
    assert all(k.kty != "oct" for k in keys.keys)
    assert [k.kid for k in keys.select("RS256", "2011-04-29")] == ["2011-04-29"]
    assert keys.select("PS256", "2011-04-29") == []  # the JWK pins alg RS256
    assert keys.select("RS256", "enc") == []
    assert keys.select("RS256", "ops") == []
    assert [k.kid for k in keys.select("ES256", None)] == ["ec"]
    assert keys.select("ES256", "ec384") == []
    assert [k.kid for k in keys.select("ES384", None)] == ["ec384"]
    assert len(keys.select("EdDSA", None)) == 1
    assert keys.select("HS256", None) == []
    assert keys.select("none", None) == []


def test_jwkset_requires_keys_list() -> None:
    with pytest.raises(ValueError):
        jwk.JWKSet.from_dict({"keys": {}})
