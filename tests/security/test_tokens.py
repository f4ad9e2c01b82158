"""Session tokens and cookies (CVE-2023-48309; RFC 8725 §3.1; docs/security.md#resource-limits;
docs/differences.md#other-deliberate-choices; RFC 7516).

Every bad token sent to GET /session answers 200 `null`, clears exactly the session
cookies the request carried (Max-Age=0), sets no session value and logs `JWTSessionError`
without the token. Forged tokens are built here with an independent A256CBC-HS512
implementation and the right key, so a refusal proves the header policy, not a bad tag.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from authcore import Request, jwt
from authcore._session import get_session
from authcore.jwt import get_token
from tests.support.security import (
    NOW,
    OTHER_SECRET,
    SECRET,
    SESSION,
    STATE,
    Logs,
    assert_no_leak,
    cookie_changes,
    cookie_header,
    make_config,
    send,
)

USER = {"name": "bob", "email": "bob@example.test", "sub": "42"}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def derive(secret: str, salt: str, length: int = 64) -> bytes:
    info = f"Auth.js Generated Encryption Key ({salt})".encode()
    return HKDF(hashes.SHA256(), length, salt.encode(), info).derive(secret.encode())


def kid_of(key: bytes) -> str:
    jwk = json.dumps({"k": b64(key), "kty": "oct"}, separators=(",", ":")).encode()
    return b64(hashlib.sha512(jwk).digest())


def forge(header: dict[str, Any] | bytes, payload: dict[str, Any] | bytes, key: bytes) -> str:
    """A compact JWE with a correct A256CBC-HS512 tag over whatever header is given."""
    raw_header = header if isinstance(header, bytes) else json.dumps(header).encode()
    plaintext = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    protected = b64(raw_header)
    iv = os.urandom(16)
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plaintext) + padder.finalize()
    enc = Cipher(algorithms.AES(key[32:]), modes.CBC(iv)).encryptor()
    ciphertext = enc.update(padded) + enc.finalize()
    aad = protected.encode()
    mac = hmac.new(
        key[:32], aad + iv + ciphertext + (len(aad) * 8).to_bytes(8, "big"), hashlib.sha512
    )
    return ".".join((protected, "", b64(iv), b64(ciphertext), b64(mac.digest()[:32])))


KEY = derive(SECRET, SESSION)
GOOD_HEADER = {"alg": "dir", "enc": "A256CBC-HS512", "kid": kid_of(KEY)}


def claims(**extra: Any) -> dict[str, Any]:
    return {**USER, "iat": int(NOW), "exp": int(NOW) + 3600, "jti": "j", **extra}


def _session(cookies: Any, logs: Logs | None = None, **extra: Any) -> Any:
    config = make_config(**(logs.config_extra() if logs else {}), **extra)
    return send(config, "GET", "/session", cookies=cookies)


def _assert_null(res: Any, cleared: set[str], logs: Logs | None = None) -> None:
    assert res.status == 200
    assert res.body == b"null"
    changes = cookie_changes(res)
    assert changes.cleared == cleared
    assert not any("session-token" in name for name in changes.values)
    if logs is not None:
        assert "JWTSessionError" in logs.error_types()


def test_forger_control_case() -> None:
    """The forger is right: a well-formed token with the good header IS a session."""
    res = _session({SESSION: forge(GOOD_HEADER, claims(), KEY)})
    assert res.json()["user"] == {"name": "bob", "email": "bob@example.test"}
    assert SESSION in cookie_changes(res).values


def _valid() -> str:
    return jwt.encode(token=USER, secret=SECRET, salt=SESSION, now=NOW)


@pytest.mark.parametrize("segment", range(5))
@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_tampered_byte_in_each_segment(segment: int, where: str) -> None:
    parts = _valid().split(".")
    seg = parts[segment]
    if not seg:  # the empty encrypted-key segment: any content is refused
        parts[segment] = "AA"
    else:
        i = {"first": 0, "middle": len(seg) // 2, "last": len(seg) - 1}[where]
        swapped = "B" if seg[i] != "B" else "C"
        parts[segment] = seg[:i] + swapped + seg[i + 1 :]
    _assert_null(_session({SESSION: ".".join(parts)}), {SESSION})


@pytest.mark.parametrize(
    "cut",
    [
        lambda t: t[:-1],
        lambda t: t[: len(t) // 2],
        lambda t: t.rsplit(".", 1)[0],
        lambda t: t.rsplit(".", 1)[0] + ".",
        lambda t: t + "A",
        lambda t: t + ".AA",
        lambda t: t.replace(".", "..", 1),
        lambda t: t.split(".")[0],
        lambda t: "." * 4,
    ],
)
def test_truncated_or_extended(cut: Any) -> None:
    _assert_null(_session({SESSION: cut(_valid())}), {SESSION})


def test_wrong_key(logs: Logs) -> None:
    token = jwt.encode(token=USER, secret=OTHER_SECRET, salt=SESSION, now=NOW)
    res = _session({SESSION: token}, logs)
    _assert_null(res, {SESSION}, logs)
    assert_no_leak(res, logs, [token, SECRET, OTHER_SECRET])


def test_wrong_salt_same_secret() -> None:
    """The unprefixed cookie's key is not the __Secure- cookie's key."""
    token = jwt.encode(token=USER, secret=SECRET, salt="authjs.session-token", now=NOW)
    _assert_null(_session({SESSION: token}), {SESSION})


def test_kid_less_token_with_wrong_key() -> None:
    header = {"alg": "dir", "enc": "A256CBC-HS512"}
    _assert_null(
        _session({SESSION: forge(header, claims(), derive(OTHER_SECRET, SESSION))}), {SESSION}
    )


@pytest.mark.parametrize(
    ("claim", "value", "valid"),
    [
        ("exp", int(NOW) - 15, False),  # exp <= now - 15: expired (Auth.js `src/jwt.ts`)
        ("exp", int(NOW) - 14, True),
        ("exp", int(NOW) - 10**6, False),
        ("nbf", int(NOW) + 16, False),
        ("nbf", int(NOW) + 15, True),
        ("exp", "9999999999", False),  # claims must be numbers
        ("exp", None, False),
        ("nbf", [0], False),
        ("iat", "x", False),
        ("exp", True, False),
    ],
)
def test_time_claims(claim: str, value: Any, valid: bool) -> None:
    res = _session({SESSION: forge(GOOD_HEADER, claims(**{claim: value}), KEY)})
    if valid:
        assert res.json()["user"]["name"] == "bob"
    else:
        _assert_null(res, {SESSION})


@pytest.mark.parametrize(
    "header",
    [
        {"alg": "none", "enc": "A256CBC-HS512"},
        {"alg": "none"},
        {"alg": "PBES2-HS256+A128KW", "enc": "A256CBC-HS512", "p2c": 10**9, "p2s": "AAAA"},
        {"alg": "RSA-OAEP", "enc": "A256CBC-HS512"},
        {"alg": "A256KW", "enc": "A256CBC-HS512"},
        {"alg": "dir", "enc": "A128CBC-HS256"},
        {"alg": "dir", "enc": "none"},
        {"alg": "dir"},
        {"alg": "dir", "enc": "A256CBC-HS512", "zip": "DEF"},
        {"alg": "dir", "enc": "A256CBC-HS512", "jwk": {"kty": "oct", "k": "AAAA"}},
        {"alg": "dir", "enc": "A256CBC-HS512", "jku": "https://evil.example/jwks"},
        {"alg": "dir", "enc": "A256CBC-HS512", "x5u": "https://evil.example/x"},
        {"alg": "dir", "enc": "A256CBC-HS512", "crit": ["exp"], "exp": 1},
        {"alg": "dir", "enc": "A256CBC-HS512", "crit": []},
        {"alg": "dir", "enc": "A256CBC-HS512", "kid": 1},
        {"alg": "dir", "enc": "A256CBC-HS512", "kid": None},
        {"alg": "DIR", "enc": "A256CBC-HS512"},
        {"alg": ["dir"], "enc": "A256CBC-HS512"},
    ],
)
def test_foreign_headers_are_refused(header: dict[str, Any]) -> None:
    _assert_null(_session({SESSION: forge(header, claims(), KEY)}), {SESSION})


@pytest.mark.parametrize(
    "raw_header",
    [
        b'{"alg":"dir","enc":"A256CBC-HS512","alg":"none"}',  # duplicate member
        b'{"alg":"dir","enc":"A256CBC-HS512","enc":"A256CBC-HS512"}',
        b'["dir"]',
        b"null",
        b'{"alg":"dir","enc":"A256CBC-HS512"',
        b'\xef\xbb\xbf{"alg":"dir","enc":"A256CBC-HS512"}',
        '{"alg":"dir","enc":"A256CBC-HS512"}'.encode("utf-16"),
    ],
)
def test_malformed_headers_are_refused(raw_header: bytes) -> None:
    _assert_null(_session({SESSION: forge(raw_header, claims(), KEY)}), {SESSION})


def test_oversized_protected_header() -> None:
    header = {**GOOD_HEADER, "typ": "x" * 2000}
    _assert_null(_session({SESSION: forge(header, claims(), KEY)}), {SESSION})


@pytest.mark.parametrize(
    "payload",
    [b"{}", b"[]", b"null", b'"bob"', b"1", b"not json", b'{"a":1,"a":2}', b"{" * 5000],
)
def test_payloads_that_are_no_session(payload: bytes) -> None:
    """`{}` is the 'empty user' of CVE-2023-48309: never a session."""
    _assert_null(_session({SESSION: forge(GOOD_HEADER, payload, KEY)}), {SESSION})


def test_non_canonical_base64() -> None:
    token = _valid()
    parts = token.split(".")
    variants = [
        ".".join([parts[0] + "=", *parts[1:]]),
        ".".join([*parts[:4], parts[4] + "=="]),
        ".".join([*parts[:3], parts[3][:8] + "=" + parts[3][8:], parts[4]]),
        ".".join([*parts[:3], parts[3][:8] + "+" + parts[3][9:], parts[4]]),
        ".".join([*parts[:3], parts[3][:8] + "%" + parts[3][9:], parts[4]]),
    ]
    for variant in variants:
        assert variant != token
        _assert_null(_session({SESSION: variant}), {SESSION})


def test_session_cookie_over_the_header_cap_is_400() -> None:
    """With the default caps a 16 KiB token cannot even arrive: the Cookie header is capped
    at 16384 bytes first (400 "Bad request."), and the answer clears the session cookie so
    the browser is not locked out."""
    res = _session({SESSION: "A" * 16385})
    assert res.status == 400
    assert res.body == b'"Bad request."'
    assert [c.split(";", 1)[0] for c in res.set_cookies] == [f"{SESSION}="]


def test_oversized_token_in_chunks(logs: Logs) -> None:
    """More than `max_token_chars` (16384) reassembled: refused before any crypto."""
    token = "A" * 16385
    chunks = [(f"{SESSION}.{i}", token[i * 4097 : (i + 1) * 4097]) for i in range(4)]
    chunks[-1] = (chunks[-1][0], token[3 * 4097 :])
    res = _session(chunks, logs, limits={"max_cookie_header_bytes": 32768})
    _assert_null(res, {name for name, _ in chunks}, logs)
    assert_no_leak(res, logs, ["A" * 200])


def test_too_many_chunks() -> None:
    token = _valid()
    size = len(token) // 5 + 1
    chunks = [(f"{SESSION}.{i}", token[i * size : (i + 1) * size]) for i in range(5)]
    assert "".join(v for _, v in chunks) == token
    _assert_null(_session(chunks), {name for name, _ in chunks})


def test_chunks_are_reassembled_in_order_control() -> None:
    token = _valid()
    half = len(token) // 2
    res = _session([(f"{SESSION}.1", token[half:]), (f"{SESSION}.0", token[:half])])
    assert res.json()["user"]["name"] == "bob"


def test_plain_cookie_next_to_chunks() -> None:
    token = _valid()
    half = len(token) // 2
    cookies = [(SESSION, token), (f"{SESSION}.0", token[:half]), (f"{SESSION}.1", token[half:])]
    _assert_null(_session(cookies), {n for n, _ in cookies})


def test_duplicated_session_cookie(logs: Logs) -> None:
    token = _valid()
    attacker = jwt.encode(
        token={"name": "mallory", "sub": "666"}, secret=SECRET, salt=SESSION, now=NOW
    )
    for pair in ([token, token], [attacker, token], [token, attacker]):
        res = _session(cookie_header([(SESSION, pair[0]), (SESSION, pair[1])]), logs)
        _assert_null(res, {SESSION}, logs)


def test_duplicated_chunk() -> None:
    token = _valid()
    half = len(token) // 2
    cookies = [
        (f"{SESSION}.0", token[:half]),
        (f"{SESSION}.1", token[half:]),
        (f"{SESSION}.1", token[half:]),
    ]
    _assert_null(_session(cookie_header(cookies)), {f"{SESSION}.0", f"{SESSION}.1"})


@pytest.mark.parametrize(
    "name",
    [
        f"{SESSION}-x",
        f"{SESSION}.foo",
        f"{SESSION}.-1",
        f"{SESSION}.99999",
        f"{SESSION}.\u0661",
        "authjs.session-token",
    ],
)
def test_lookalike_and_unprefixed_names_are_not_sessions(name: str) -> None:
    """Only the exact name or `<name>.<digits>`; on https the unprefixed (tossable) name is
    not read at all."""
    token = jwt.encode(token=USER, secret=SECRET, salt=name, now=NOW)
    res = _session({name: token})
    assert res.body == b"null"
    assert not any("session-token" in n for n in cookie_changes(res).values)


def test_check_cookie_pasted_into_session_cookie(logs: Logs) -> None:
    """CVE-2023-48309: a state cookie (same secret, its own salt) is not a session."""
    sealed = jwt.encode(
        token={"value": "v", "provider": "instagram"},
        secret=SECRET,
        salt=STATE,
        max_age=900,
        now=NOW,
    )
    res = _session({SESSION: sealed}, logs)
    _assert_null(res, {SESSION}, logs)
    state_param = jwt.encode(
        token={"random": "r"}, secret=SECRET, salt="encodedState", max_age=900, now=NOW
    )
    _assert_null(_session({SESSION: state_param}), {SESSION})


def test_session_cookie_from_a_real_oauth_state_cookie() -> None:
    """The real thing: the state cookie minted by POST /signin/instagram."""
    from authcore.providers.instagram import Instagram

    config = make_config(providers=[Instagram(client_id="cid", client_secret="cs-0123456789")])
    csrf = send(config, "GET", "/csrf")
    jar = cookie_changes(csrf).values
    start = send(
        config,
        "POST",
        "/signin/instagram",
        cookies=jar,
        form={"csrfToken": csrf.json()["csrfToken"]},
    )
    minted = cookie_changes(start).values
    for name in ("__Secure-authjs.state", "__Secure-authjs.pkce.code_verifier"):
        res = send(config, "GET", "/session", cookies={SESSION: minted[name]})
        _assert_null(res, {SESSION})


def test_signout_with_garbage_session_still_clears() -> None:
    config = make_config()
    csrf = send(config, "GET", "/csrf")
    jar = {**cookie_changes(csrf).values, SESSION: "garbage"}
    res = send(
        config, "POST", "/signout", cookies=jar, form={"csrfToken": csrf.json()["csrfToken"]}
    )
    assert res.status == 302
    assert SESSION in cookie_changes(res).cleared


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer %",
        "Bearer %A",
        "Bearer %ZZ",
        "Bearer " + "A" * 20000,
        "Bearer a.b.c.d.e",
        "Basic x",
        "Bearer ",
    ],
)
def test_get_token_bearer_never_throws(authorization: str) -> None:
    """GHSA-xmf8-cvqr-rfgj: a malformed bearer is no token, never an exception."""
    req = Request("GET", "https://app.example.test/", {"authorization": authorization})
    assert get_token(req, secret=SECRET, now=NOW) is None


def test_get_token_refuses_check_cookie_as_bearer() -> None:
    sealed = jwt.encode(token={"value": "v", "provider": "x"}, secret=SECRET, salt=STATE, now=NOW)
    req = Request("GET", "https://app.example.test/", {"authorization": f"Bearer {sealed}"})
    assert get_token(req, secret=SECRET, now=NOW) is None


def test_get_session_fails_closed_on_tampering() -> None:
    token = _valid()
    req = Request("GET", "https://app.example.test/x", {"cookie": f"{SESSION}={token[:-2]}"})
    assert get_session(req, make_config()) is None
    req = Request("GET", "https://app.example.test/x", {"cookie": f"{SESSION}={token}"})
    assert get_session(req, make_config(secret="")) is None  # broken config: None, not an error
