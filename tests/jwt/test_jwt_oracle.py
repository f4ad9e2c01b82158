"""joserfc as an independent implementation of the same JWE, in both directions."""

from __future__ import annotations

import json
from typing import Any, Literal

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from joserfc import jwe as oracle
from joserfc.jwk import OctKey, thumbprint

from authcore import jwt
from authcore.jose import base64url

SECRETS = ["oracle-secret-0123456789abcdef", "sécret-ключ-秘密-🔑"]
SALTS = ["authjs.session-token", "__Secure-authjs.session-token", "authjs.state"]
NOW = 1_800_000_000
CLAIMS: dict[str, Any] = {"name": "Zoë", "picture": None, "roles": ["a", "b"], "n": 1.5}


def _key(secret: str, salt: str, length: int) -> bytes:
    info = f"Auth.js Generated Encryption Key ({salt})".encode()
    return HKDF(hashes.SHA256(), length, salt.encode(), info).derive(secret.encode())


def _kid(key: OctKey) -> str:
    """Auth.js kid: SHA-512 thumbprint for a 64-byte key, SHA-256 for 32 bytes."""
    digest: Literal["sha256", "sha512"] = "sha512" if len(key.raw_value) == 64 else "sha256"
    return thumbprint(key.as_dict(), digest)


def _v4_key(secret: str) -> bytes:
    info = b"NextAuth.js Generated Encryption Key"
    return HKDF(hashes.SHA256(), 32, b"", info).derive(secret.encode())


@pytest.mark.parametrize("secret", SECRETS)
@pytest.mark.parametrize("salt", SALTS)
def test_ours_decrypts_with_joserfc(secret: str, salt: str) -> None:
    token = jwt.encode(token=CLAIMS, secret=secret, salt=salt, now=NOW)
    key = OctKey.import_key(_key(secret, salt, 64))
    result = oracle.decrypt_compact(token, key)
    assert result.protected == {"alg": "dir", "enc": "A256CBC-HS512", "kid": _kid(key)}
    assert result.plaintext is not None
    payload = json.loads(result.plaintext)
    assert payload == {
        **CLAIMS,
        "iat": NOW,
        "exp": NOW + jwt.DEFAULT_MAX_AGE,
        "jti": payload["jti"],
    }


@pytest.mark.parametrize("secret", SECRETS)
@pytest.mark.parametrize("enc", ["A256CBC-HS512", "A256GCM"])
def test_joserfc_tokens_decode_with_ours(secret: str, enc: str) -> None:
    salt = "authjs.session-token"
    key = OctKey.import_key(_key(secret, salt, 64 if enc == "A256CBC-HS512" else 32))
    claims = {**CLAIMS, "exp": NOW + 60}
    plaintext = json.dumps(claims).encode()
    with_kid = oracle.encrypt_compact({"alg": "dir", "enc": enc, "kid": _kid(key)}, plaintext, key)
    without_kid = oracle.encrypt_compact({"alg": "dir", "enc": enc}, plaintext, key)
    for token in (with_kid, without_kid):
        assert jwt.decode(token=token, secret=["other", secret], salt=salt, now=NOW) == claims


def test_joserfc_thumbprint_is_our_kid() -> None:
    salt = "authjs.session-token"
    token = jwt.encode(token={}, secret=SECRETS[0], salt=salt, now=NOW)
    header = json.loads(base64url.decode(token.split(".")[0]))
    assert header["kid"] == _kid(OctKey.import_key(_key(SECRETS[0], salt, 64)))


def test_v4_interop_with_joserfc() -> None:
    key = OctKey.import_key(_v4_key(SECRETS[0]))
    ours = jwt.encode_v4(token=CLAIMS, secret=SECRETS[0], now=NOW)
    assert json.loads(oracle.decrypt_compact(ours, key).plaintext or b"")["name"] == "Zoë"
    theirs = oracle.encrypt_compact(
        {"alg": "dir", "enc": "A256GCM"}, json.dumps({"sub": "v4"}).encode(), key
    )
    assert jwt.decode_v4(token=theirs, secret=SECRETS[0], now=NOW) == {"sub": "v4"}


def test_joserfc_zip_token_is_refused() -> None:
    salt = "authjs.session-token"
    key = OctKey.import_key(_key(SECRETS[0], salt, 64))
    token = oracle.encrypt_compact(
        {"alg": "dir", "enc": "A256CBC-HS512", "zip": "DEF", "kid": _kid(key)},
        b'{"sub":"zipped"}',
        key,
    )
    assert oracle.decrypt_compact(token, key).plaintext == b'{"sub":"zipped"}'
    with pytest.raises(jwt.InvalidToken) as exc:
        jwt.decode(token=token, secret=SECRETS[0], salt=salt, now=NOW)
    assert exc.value.code == "unsupported_header"
