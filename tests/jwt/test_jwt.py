"""authcore.jwt against the tokens real @auth/core 0.41.3 produced (tests/fixtures)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from authcore import jwt
from authcore.jose import base64url
from authcore.jose.jwk import oct_thumbprint

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "authjs-vectors.json").read_text("utf-8")
)
NOW: int = VECTORS["generator"]["generated_at_unix"]
JWT = VECTORS["jwt"]


def _hkdf(secret: str, salt: str, length: int) -> bytes:
    """Independent HKDF, straight from Auth.js `src/jwt.ts`."""
    info = f"Auth.js Generated Encryption Key ({salt})".encode()
    return HKDF(hashes.SHA256(), length, salt.encode(), info).derive(secret.encode())


def _header(token: str) -> bytes:
    return base64url.decode(token.split(".", maxsplit=1)[0])


@pytest.mark.parametrize("case", JWT, ids=[c["id"] for c in JWT])
def test_authjs_token_decodes_to_recorded_payload(case: dict[str, Any]) -> None:
    payload = jwt.decode(
        token=case["jwe"], secret=case["decode_secret"], salt=case["input"]["salt"], now=NOW
    )
    assert payload == case["payload"]
    assert list(payload) == list(case["payload"])  # key order too (jwt-12 keeps nbf last)


@pytest.mark.parametrize("case", JWT, ids=[c["id"] for c in JWT])
def test_derived_key_and_kid_match(case: dict[str, Any]) -> None:
    derived = case["derived_key"]
    key = _hkdf(derived["secret_used"], case["input"]["salt"], 64)
    assert key.hex() == derived["key_hex"]
    assert oct_thumbprint(key) == derived["kid"] == case["protected_header"]["kid"]
    assert json.loads(_header(case["jwe"])) == case["protected_header"]


@pytest.mark.parametrize("case", JWT, ids=[c["id"] for c in JWT])
def test_encode_matches_authjs_shape(case: dict[str, Any]) -> None:
    given = case["input"]
    token = jwt.encode(
        token=given["token"],
        secret=given["secret"],
        salt=given["salt"],
        max_age=given.get("maxAge", jwt.DEFAULT_MAX_AGE),
        now=NOW,
    )
    assert _header(token) == _header(case["jwe"])  # byte-identical protected header
    assert token.split(".")[0] == case["jwe"].split(".")[0]
    assert [len(part) for part in token.split(".")] == case["segment_lengths"]
    assert len(token) == case["jwe_length"]
    decoded = jwt.decode(token=token, secret=case["decode_secret"], salt=given["salt"], now=NOW)
    expected = dict(case["payload"])
    assert decoded.pop("jti") != expected.pop("jti")  # a fresh UUID every time
    assert decoded == expected


def test_plaintext_bytes_match_json_stringify() -> None:
    # jwt-06 holds U+0000, U+2028, quotes and a backslash; the ciphertext lengths
    # match only if our JSON bytes have the same length as JSON.stringify's.
    case = next(c for c in JWT if c["id"] == "jwt-06")
    token = jwt.encode(
        token=case["input"]["token"], secret=case["input"]["secret"], salt="s", now=NOW
    )
    assert len(token.split(".")[3]) == case["segment_lengths"][3]


@pytest.mark.parametrize("case", VECTORS["jwt_decode_only"], ids=lambda c: c["jwe"][:40])
def test_decode_only_vectors(case: dict[str, Any]) -> None:
    payload = jwt.decode(token=case["jwe"], secret=case["secret"], salt=case["salt"], now=NOW)
    assert payload == case["decoded_by_auth_core"]
    header = json.loads(_header(case["jwe"]))
    assert header == case["protected_header"]
    key = _hkdf(case["secret"], case["salt"], len(case["derived_key_hex"]) // 2)
    assert key.hex() == case["derived_key_hex"]
    if "kid" in header:
        assert oct_thumbprint(key) == header["kid"]


def test_gcm_key_is_first_half_of_cbc_key() -> None:
    assert _hkdf("any", "authjs.session-token", 64)[:32] == _hkdf("any", "authjs.session-token", 32)


def test_negative_vectors() -> None:
    for case in VECTORS["jwt_negative"]:
        expected = case["result"].get("payload", "error")
        if expected == "error" or expected is None:
            # authcore raises for an empty token too, where Auth.js returns null.
            with pytest.raises(jwt.InvalidToken):
                jwt.decode(token=case["token"], secret=case["secret"], salt=case["salt"], now=NOW)
        else:
            got = jwt.decode(token=case["token"], secret=case["secret"], salt=case["salt"], now=NOW)
            assert got == expected


def _negative(description: str) -> dict[str, Any]:
    return next(c for c in VECTORS["jwt_negative"] if c["description"].startswith(description))


@pytest.mark.parametrize(
    ("description", "code"),
    [
        ("wrong secret", "no_matching_key"),
        ("wrong salt", "no_matching_key"),
        ("ciphertext tampered", "bad_tag"),
        ("tag tampered", "bad_tag"),
        ("not a JWE", "malformed"),
        ("a 3-part", "malformed"),
        ("expired 60 s", "expired"),
        ("empty token", "empty"),
    ],
)
def test_negative_vector_codes(description: str, code: str) -> None:
    case = _negative(description)
    with pytest.raises(jwt.InvalidToken) as exc:
        jwt.decode(token=case["token"], secret=case["secret"], salt=case["salt"], now=NOW)
    assert exc.value.code == code
    assert str(exc.value) == "invalid token"


def _cookies() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for flow, data in VECTORS["signin"].items():
        for name, cookie in data["cookies"].items():
            if "payload" in cookie:
                found.append((f"{flow}/{name}", cookie))
    return found


@pytest.mark.parametrize(("label", "cookie"), _cookies(), ids=[c[0] for c in _cookies()])
def test_signin_check_cookies(label: str, cookie: dict[str, Any]) -> None:
    secret = VECTORS["secrets"]["default"]
    payload = jwt.decode(token=cookie["decoded_value"], secret=secret, salt=cookie["salt"], now=NOW)
    assert payload == cookie["payload"]
    assert json.loads(_header(cookie["decoded_value"])) == cookie["protected_header"]
    assert payload["exp"] - payload["iat"] == 900
    # One key per purpose (CVE-2023-48309): a check cookie is not a session token.
    with pytest.raises(jwt.InvalidToken):
        jwt.decode(
            token=cookie["decoded_value"], secret=secret, salt="authjs.session-token", now=NOW
        )


def test_state_parameter_inside_state_cookie() -> None:
    data = VECTORS["signin"]["http_checks_pkce_state_nonce"]
    secret = VECTORS["secrets"]["default"]
    outer = jwt.decode(
        token=data["cookies"]["authjs.state"]["decoded_value"],
        secret=secret,
        salt="authjs.state",
        now=NOW,
    )
    assert outer["value"] == data["authorize_query"]["state"]
    inner = jwt.decode(token=outer["value"], secret=secret, salt="encodedState", now=NOW)
    assert inner == data["checks"]["state"]["state_param_payload"]


def test_session_cookie_from_real_signin() -> None:
    session = VECTORS["session"]["from_real_signin"]
    cookie = session["session_cookie"]
    payload = jwt.decode(
        token=cookie["value"], secret=VECTORS["secrets"]["default"], salt=cookie["name"], now=NOW
    )
    assert payload == session["session_cookie_payload"]


SPEC15_TOKEN = (
    "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2Q0JDLUhTNTEyIiwia2lkIjoiTTRIenI1VEVOb1BualZUOXpSNWtnSlQyWjZt"
    "eVB3MHYzVW5zcHY3NGxlV0IwNjJWaUZfdHVCVWE0R2FFazZORGdzdDBPNGZnZFVhRm1yTkNuWmRTTVEifQ..hudMxQ4I"
    "sVZTWFC4aFrKng.-MXlMoyvnQP2PbMRg4qP6Sv_XVvoVJ7e1nWdaqjdN18ANd7PpCpgaZX0yF6sMwyZTraBsjCv8TwOtW"
    "n-Y-bhksWCSvYK06047KND8iARhz09dzwN1Ldvacs_oHWsE1t11q2PI2JV04WxZUTnHDQLBuTIGMru55lPAO9uC_9Q-0T"
    "Izoz_4h5GxBKEsjVJw6kmkrDEGUrz1RTxrLuqq90ODw.RS9Gh-wOdaN0f6tUEHXWMfm5gjCsoPwMOINmW3u-H64"
)


def test_spec_section_15_session_token() -> None:
    payload = jwt.decode(
        token=SPEC15_TOKEN, secret="test-secret-do-not-use", salt="authjs.session-token", now=NOW
    )
    assert payload == {
        "name": "Test User",
        "email": "test@example.com",
        "picture": None,
        "sub": "user-1",
        "iat": 1795945401,
        "exp": 2111305401,
        "jti": "8cf2d245-12a0-4295-b5e7-22d01f60daac",
    }


@pytest.mark.parametrize(
    ("salt", "key_hex", "kid"),
    [
        (
            "__Secure-authjs.session-token",
            "4f52bce16037b2c71582c7cc1e4af93340d4717a005b094215d86deb3aab6636"
            "0131e375a0901a35a3e7f28a789f247afc89b5e270046f4d263bd383f61f1212",
            "lMSA-MztjEyfvLX-4hMMq9avTacIazOkLlA6bpRF7kbhHbCAScJAPZU9-KgxIGeur-ER3HRhGChHfztsPPxrnA",
        ),
        (
            "authjs.pkce.code_verifier",
            "742707b543d28d8f75aabd9a10cb92e05000cb2f7de728ead838d2a1b228d434"
            "ddaf2ccb0cd89cc66c60913a89cdf2dd3a444693505eed8c2c6db89862494beb",
            "AM7SXGgO_n3up8uLbM_1eiRohFKRYpZQvH3vf9y9aGjbfasAMgdScAQK6U5Sw5EvPMqo2gsKiFK-d7dC-g-CwA",
        ),
        (
            "encodedState",
            "5ab2298f3de282f417b5116e35ef94400efd9fdcd7f86b768ddc26a0a6f9b69c"
            "93897434ec5e4875969be2ff365cfe73803821753cf9ed170419ebfa400c9567",
            "chfthXYKuNax-ChJ25lq-xIFvw6SuRkID30cNSY5PxbHzq4vOeCajcKzfyB5RD-uiDH2S-JtTt0Eo5JwGBA2kg",
        ),
    ],
)
def test_spec_section_15_keys(salt: str, key_hex: str, kid: str) -> None:
    key = _hkdf("test-secret-do-not-use", salt, 64)
    assert key.hex() == key_hex
    token = jwt.encode(token={}, secret="test-secret-do-not-use", salt=salt, now=NOW)
    assert json.loads(_header(token))["kid"] == kid == oct_thumbprint(key)
