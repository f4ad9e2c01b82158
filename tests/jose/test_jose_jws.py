"""JWS compact (RFC 7515) with the RFCs' own examples (RFC 7515 App. A, RFC 8037 App. A)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from authcore.jose import InvalidToken, base64url, jwk, jws

A_PAYLOAD = b'{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}'
A_PAYLOAD_B64 = (
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
)

# RFC 7515 Appendix A.2 (RS256).
A2_JWK = {
    "kty": "RSA",
    "n": (
        "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4"
        "d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5re"
        "xMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxX"
        "FvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"
    ),
    "e": "AQAB",
    "d": (
        "Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXO"
        "oAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51"
        "gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3c"
        "cPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ"
    ),
}
A2_TOKEN = (
    "eyJhbGciOiJSUzI1NiJ9."
    + A_PAYLOAD_B64
    + ".cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp"
    "5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07"
    "Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI"
    "8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw"
)

# RFC 7515 Appendix A.3 (ES256): the signature is randomised, so verify only.
A3_JWK = {
    "kty": "EC",
    "crv": "P-256",
    "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
    "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
}
A3_D = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"
A3_TOKEN = (
    "eyJhbGciOiJFUzI1NiJ9."
    + A_PAYLOAD_B64
    + ".DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"
)

# RFC 8037 Appendix A.1 and A.4/A.5 (Ed25519, deterministic).
A1_D = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
A1_JWK = {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
A4_TOKEN = (
    "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."
    "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"
)


def _int(value: str) -> int:
    return int.from_bytes(base64url.decode(value), "big")


def _a2_private_key() -> rsa.RSAPrivateKey:
    n, e, d = _int(A2_JWK["n"]), _int(A2_JWK["e"]), _int(A2_JWK["d"])
    p, q = rsa.rsa_recover_prime_factors(n, e, d)
    public = rsa.RSAPublicNumbers(e, n)
    numbers = rsa.RSAPrivateNumbers(
        p, q, d, rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q), rsa.rsa_crt_iqmp(p, q), public
    )
    return numbers.private_key()


def _set(*keys: dict[str, Any]) -> jwk.JWKSet:
    return jwk.JWKSet.from_dict({"keys": list(keys)})


def _code(token: str, keys: jwk.JWKSet, algorithms: list[str]) -> str:
    with pytest.raises(InvalidToken) as exc:
        jws.verify_compact(token, keys, algorithms=algorithms)
    assert str(exc.value) == "invalid token"
    return exc.value.code


def test_rfc7515_a2_sign_is_byte_identical() -> None:
    assert jws.sign_compact({"alg": "RS256"}, A_PAYLOAD, _a2_private_key()) == A2_TOKEN


def test_rfc7515_a2_verify() -> None:
    header, payload = jws.verify_compact(A2_TOKEN, _set(A2_JWK), algorithms=["RS256"])
    assert header == {"alg": "RS256"}
    assert payload == A_PAYLOAD


def test_rfc7515_a3_verify() -> None:
    header, payload = jws.verify_compact(A3_TOKEN, _set(A3_JWK), algorithms=["ES256"])
    assert (header, payload) == ({"alg": "ES256"}, A_PAYLOAD)


def test_rfc7515_a3_sign_then_verify() -> None:
    private = ec.derive_private_key(_int(A3_D), ec.SECP256R1())
    token = jws.sign_compact({"alg": "ES256"}, A_PAYLOAD, private)
    signature = base64url.decode(token.split(".")[2])
    assert len(signature) == 64  # raw R || S, not DER
    assert jws.verify_compact(token, _set(A3_JWK), algorithms=["ES256"])[1] == A_PAYLOAD


def test_rfc8037_a4_sign_is_byte_identical() -> None:
    private = ed25519.Ed25519PrivateKey.from_private_bytes(base64url.decode(A1_D))
    assert jws.sign_compact({"alg": "EdDSA"}, b"Example of Ed25519 signing", private) == A4_TOKEN


def test_rfc8037_a5_verify() -> None:
    _, payload = jws.verify_compact(A4_TOKEN, _set(A1_JWK), algorithms=["EdDSA"])
    assert payload == b"Example of Ed25519 signing"


@pytest.mark.parametrize("alg", ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"])
def test_rsa_algorithms_round_trip(alg: str) -> None:
    token = jws.sign_compact({"alg": alg, "kid": "a2"}, b"{}", _a2_private_key())
    keys = _set({**A2_JWK, "kid": "a2"})
    assert jws.verify_compact(token, keys, algorithms=[alg]) == ({"alg": alg, "kid": "a2"}, b"{}")


@pytest.mark.parametrize(
    ("alg", "curve", "crv", "size"),
    [
        ("ES256", ec.SECP256R1(), "P-256", 32),
        ("ES384", ec.SECP384R1(), "P-384", 48),
        ("ES512", ec.SECP521R1(), "P-521", 66),
    ],
)
def test_ec_algorithms_round_trip(alg: str, curve: ec.EllipticCurve, crv: str, size: int) -> None:
    private = ec.generate_private_key(curve)
    numbers = private.public_key().public_numbers()
    public = {
        "kty": "EC",
        "crv": crv,
        "x": base64url.encode(numbers.x.to_bytes(size, "big")),
        "y": base64url.encode(numbers.y.to_bytes(size, "big")),
    }
    token = jws.sign_compact({"alg": alg}, b"{}", private)
    assert len(base64url.decode(token.split(".")[2])) == 2 * size
    assert jws.verify_compact(token, _set(public), algorithms=[alg])[1] == b"{}"


def test_der_signature_is_refused() -> None:
    private = ec.derive_private_key(_int(A3_D), ec.SECP256R1())
    header_payload = "eyJhbGciOiJFUzI1NiJ9." + A_PAYLOAD_B64
    from cryptography.hazmat.primitives import hashes

    der = private.sign(header_payload.encode(), ec.ECDSA(hashes.SHA256()))
    decode_dss_signature(der)  # it is a valid DER signature
    token = f"{header_payload}.{base64url.encode(der)}"
    assert _code(token, _set(A3_JWK), ["ES256"]) == "bad_signature"


def _unsigned(header: dict[str, Any]) -> str:
    head = base64url.encode(json.dumps(header).encode())
    return f"{head}.{A_PAYLOAD_B64}.{A2_TOKEN.split('.')[2]}"


@pytest.mark.parametrize(
    "header",
    [
        {"alg": "none"},
        {"alg": "HS256"},
        {"alg": "ES256"},  # not in the caller's allow-list below
        {"alg": "RS256", "crit": ["b64"], "b64": False},
        {"alg": "RS256", "kid": 1},
        {"alg": 256},
        {},
    ],
)
def test_refused_headers(header: dict[str, Any]) -> None:
    assert _code(_unsigned(header), _set(A2_JWK), ["RS256"]) == "unsupported_header"


def test_allow_list_cannot_name_none_or_hmac() -> None:
    for algs in (["none"], ["HS256"], ["RS256", "HS512"]):
        with pytest.raises(ValueError):
            jws.verify_compact(A2_TOKEN, _set(A2_JWK), algorithms=algs)


def test_hmac_with_published_oct_key_is_impossible() -> None:
    # Classic confusion: an HS256 token "signed" with a key the attacker knows.
    keys = _set({"kty": "oct", "k": base64url.encode(b"public-knowledge")}, A2_JWK)
    assert _code(_unsigned({"alg": "HS256"}), keys, ["RS256"]) == "unsupported_header"
    assert keys.select("HS256", None) == []


def test_alg_must_match_key_type() -> None:
    # An Ed25519 key cannot verify an RS256 token, even when kid matches.
    keys = _set({**A1_JWK, "kid": "k"})
    assert _code(_unsigned({"alg": "RS256", "kid": "k"}), keys, ["RS256"]) == "no_matching_key"


def test_kid_selection() -> None:
    keys = _set({**A2_JWK, "kid": "one"}, {**A2_JWK, "kid": "two"})
    token = jws.sign_compact({"alg": "RS256", "kid": "two"}, b"{}", _a2_private_key())
    assert jws.verify_compact(token, keys, algorithms=["RS256"])[1] == b"{}"
    unknown = jws.sign_compact({"alg": "RS256", "kid": "three"}, b"{}", _a2_private_key())
    assert _code(unknown, keys, ["RS256"]) == "no_matching_key"
    # Without kid, more than one candidate is ambiguous (as in oauth4webapi).
    assert _code(A2_TOKEN, keys, ["RS256"]) == "no_matching_key"


@pytest.mark.parametrize("segment", [0, 1, 2])
def test_tampering(segment: int) -> None:
    parts = A2_TOKEN.split(".")
    part = parts[segment]
    parts[segment] = part[:5] + ("A" if part[5] != "A" else "B") + part[6:]
    assert _code(".".join(parts), _set(A2_JWK), ["RS256"]) in {
        "bad_signature",
        "malformed",
        "unsupported_header",
    }


def test_wrong_signature_length() -> None:
    parts = A3_TOKEN.split(".")
    parts[2] = base64url.encode(base64url.decode(parts[2]) + b"\x00")
    assert _code(".".join(parts), _set(A3_JWK), ["ES256"]) == "bad_signature"


@pytest.mark.parametrize("token", ["", "a.b", "a.b.c.d", "!!.!!.!!", "e30.e30.@"])
def test_malformed(token: str) -> None:
    assert _code(token, _set(A2_JWK), ["RS256"]) in {"empty", "malformed"}


def test_size_caps() -> None:
    assert _code("!" * (jws.DEFAULT_MAX_LENGTH + 1), _set(A2_JWK), ["RS256"]) == "too_large"
    long_header = base64url.encode(json.dumps({"alg": "RS256", "x": "a" * 3000}).encode())
    assert _code(f"{long_header}.e30.AA", _set(A2_JWK), ["RS256"]) == "too_large"


def test_sign_refuses_mismatched_key() -> None:
    private = ed25519.Ed25519PrivateKey.from_private_bytes(base64url.decode(A1_D))
    for header in ({"alg": "RS256"}, {"alg": "HS256"}, {"alg": "none"}, {}):
        with pytest.raises(ValueError):
            jws.sign_compact(header, b"{}", private)
    with pytest.raises(ValueError):
        jws.sign_compact({"alg": "ES384"}, b"{}", ec.generate_private_key(ec.SECP256R1()))


# ---- HMAC, only through its own function ----------------------------------------------------

# RFC 7515 Appendix A.1: the HS256 example
A1_KEY = base64url.decode(
    "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"
)
A1_TOKEN = (
    "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
    ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
)


def test_rfc7515_a1_hmac_verify() -> None:
    header, payload = jws.verify_compact_hmac(A1_TOKEN, A1_KEY, algorithms=["HS256"])
    assert header["alg"] == "HS256"
    assert json.loads(payload)["iss"] == "joe"


def test_hmac_wrong_key_or_alg_is_refused() -> None:
    with pytest.raises(InvalidToken) as err:
        jws.verify_compact_hmac(A1_TOKEN, A1_KEY[:-1] + b"x", algorithms=["HS256"])
    assert err.value.code == "bad_signature"
    with pytest.raises(InvalidToken) as err:
        jws.verify_compact_hmac(A1_TOKEN, A1_KEY, algorithms=["HS512"])
    assert err.value.code == "unsupported_header"
    tampered = A1_TOKEN.replace(".eyJpc3MiOiJqb2Ui", ".eyJpc3MiOiJib2Ui")
    with pytest.raises(InvalidToken):
        jws.verify_compact_hmac(tampered, A1_KEY, algorithms=["HS256"])


def test_hmac_function_takes_no_asymmetric_alg_and_no_empty_key() -> None:
    with pytest.raises(ValueError, match="HMAC"):
        jws.verify_compact_hmac(A1_TOKEN, A1_KEY, algorithms=["RS256"])
    with pytest.raises(ValueError, match="HMAC"):
        jws.verify_compact_hmac(A1_TOKEN, A1_KEY, algorithms=[])
    with pytest.raises(ValueError, match="empty"):
        jws.verify_compact_hmac(A1_TOKEN, b"", algorithms=["HS256"])
