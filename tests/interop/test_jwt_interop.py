"""authcore.jwt against the real @auth/core 0.41.3 and next-auth v4, in both directions.

A Python service and a Node app sharing ``AUTH_SECRET`` must read each other's session
tokens (Auth.js `src/jwt.ts`), so every token made on one side is decoded on the other.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from authcore import jwt

from .node_bridge import NodeWorker

pytestmark = pytest.mark.interop

SALTS = ["authjs.session-token", "__Secure-authjs.session-token"]
SECRETS = ["interop-ascii-secret-0123456789", "ünïcødé sécret 🔑 секрет 秘密"]
TOKEN: dict[str, Any] = {
    "name": "Bob",
    "email": "bob@x.com",
    "sub": "1",
    "picture": None,
    "extra": {"roles": ["a", "b"], "ü": "✓"},
}


def header(jwe: str) -> dict[str, Any]:
    head = jwe.split(".", maxsplit=1)[0]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    return decoded


def tamper(jwe: str) -> str:
    """Flip one character in the middle of the ciphertext (6 significant bits, never padding)."""
    parts = jwe.split(".")
    ct = parts[3]
    i = len(ct) // 2
    parts[3] = ct[:i] + ("A" if ct[i] != "A" else "B") + ct[i + 1 :]
    return ".".join(parts)


def claims(payload: dict[str, Any]) -> dict[str, Any]:
    return {k: payload[k] for k in TOKEN}


# -- v5 (@auth/core) -------------------------------------------------------------------------


@pytest.mark.parametrize("salt", SALTS)
@pytest.mark.parametrize("secret", SECRETS)
def test_authcore_token_decodes_in_authjs(authjs: NodeWorker, salt: str, secret: str) -> None:
    jwe = jwt.encode(token=TOKEN, secret=secret, salt=salt, max_age=120)
    res = authjs.call_ok("v5.decode", token=jwe, secret=secret, salt=salt)
    assert claims(res["payload"]) == TOKEN
    assert res["payload"]["exp"] - res["payload"]["iat"] == 120
    # Same key derivation → same kid as a token @auth/core makes itself.
    theirs = authjs.call_ok("v5.encode", token={}, secret=secret, salt=salt)["jwe"]
    assert header(jwe) == header(theirs)


@pytest.mark.parametrize("salt", SALTS)
@pytest.mark.parametrize("secret", SECRETS)
def test_authjs_token_decodes_in_authcore(authjs: NodeWorker, salt: str, secret: str) -> None:
    jwe = authjs.call_ok("v5.encode", token=TOKEN, secret=secret, salt=salt, maxAge=120)["jwe"]
    payload = jwt.decode(token=jwe, secret=secret, salt=salt)
    assert claims(payload) == TOKEN
    assert payload["exp"] - payload["iat"] == 120
    assert isinstance(payload["jti"], str)


def test_salts_are_not_interchangeable(authjs: NodeWorker) -> None:
    secret = SECRETS[0]
    mine = jwt.encode(token=TOKEN, secret=secret, salt=SALTS[0])
    assert "error" in authjs.call("v5.decode", token=mine, secret=secret, salt=SALTS[1])
    theirs = authjs.call_ok("v5.encode", token=TOKEN, secret=secret, salt=SALTS[0])["jwe"]
    with pytest.raises(jwt.InvalidToken):
        jwt.decode(token=theirs, secret=secret, salt=SALTS[1])


def test_rotated_secrets_both_ways(authjs: NodeWorker) -> None:
    salt, new, old = SALTS[0], "the-new-secret-ü", "the-old-secret"
    # authcore encodes with secret[0]; @auth/core accepts it with [new, old] and with new alone.
    mine = jwt.encode(token=TOKEN, secret=[new, old], salt=salt)
    res = authjs.call_ok("v5.decode", token=mine, secret=[new, old], salt=salt)
    assert claims(res["payload"]) == TOKEN
    assert "payload" in authjs.call("v5.decode", token=mine, secret=new, salt=salt)
    assert "error" in authjs.call("v5.decode", token=mine, secret=old, salt=salt)
    # A token @auth/core made before the rotation still decodes in authcore.
    theirs = authjs.call_ok("v5.encode", token=TOKEN, secret=old, salt=salt)["jwe"]
    assert claims(jwt.decode(token=theirs, secret=[new, old], salt=salt)) == TOKEN
    with pytest.raises(jwt.InvalidToken):
        jwt.decode(token=theirs, secret=[new], salt=salt)


def test_tampered_tokens_are_rejected_by_both(authjs: NodeWorker) -> None:
    secret, salt = SECRETS[1], SALTS[1]
    mine = tamper(jwt.encode(token=TOKEN, secret=secret, salt=salt))
    assert "error" in authjs.call("v5.decode", token=mine, secret=secret, salt=salt)
    with pytest.raises(jwt.InvalidToken):
        jwt.decode(token=mine, secret=secret, salt=salt)
    theirs = tamper(authjs.call_ok("v5.encode", token=TOKEN, secret=secret, salt=salt)["jwe"])
    assert "error" in authjs.call("v5.decode", token=theirs, secret=secret, salt=salt)
    with pytest.raises(jwt.InvalidToken):
        jwt.decode(token=theirs, secret=secret, salt=salt)


def test_authcore_session_cookie_is_a_session_in_auth_js(authjs: NodeWorker) -> None:
    secret, salt = SECRETS[0], SALTS[0]
    jwe = jwt.encode(token=TOKEN, secret=secret, salt=salt)
    res = authjs.call_ok(
        "v5.auth",
        method="GET",
        url="http://localhost:3000/auth/session",
        headers={"cookie": f"{salt}={jwe}"},
        config={"secret": secret, "trustHost": True, "basePath": "/auth", "providers": []},
    )
    # `picture: null` becomes `image: null` (Auth.js `src/lib/actions/session.ts`: only undefined
    # keys are dropped).
    assert res["json"]["user"] == {"name": "Bob", "email": "bob@x.com", "image": None}
    # ...and the cookie @auth/core rolls over is read back by authcore.
    rolled = next(v for k, v in res["headers"] if k == "set-cookie" and v.startswith(salt + "="))
    value = rolled.split(";", 1)[0].split("=", 1)[1]
    assert claims(jwt.decode(token=value, secret=secret, salt=salt)) == TOKEN


# -- v4 (next-auth) --------------------------------------------------------------------------


@pytest.mark.parametrize("secret", SECRETS)
def test_v4_both_ways(authjs: NodeWorker, secret: str) -> None:
    mine = jwt.encode_v4(token=TOKEN, secret=secret, max_age=90)
    theirs_view = authjs.call_ok("v4.decode", token=mine, secret=secret)["payload"]
    assert claims(theirs_view) == TOKEN
    assert theirs_view["exp"] - theirs_view["iat"] == 90
    via_cookie = authjs.call_ok(
        "v4.getToken", headers={"cookie": f"next-auth.session-token={mine}"}, secret=secret
    )
    assert claims(via_cookie["payload"]) == TOKEN

    theirs = authjs.call_ok("v4.encode", token=TOKEN, secret=secret, maxAge=90)["jwe"]
    payload = jwt.decode_v4(token=theirs, secret=secret)
    assert claims(payload) == TOKEN
    assert payload["exp"] - payload["iat"] == 90


def test_v4_tampered_and_wrong_secret_are_rejected_by_both(authjs: NodeWorker) -> None:
    secret = SECRETS[0]
    mine = jwt.encode_v4(token=TOKEN, secret=secret)
    assert "error" in authjs.call("v4.decode", token=tamper(mine), secret=secret)
    assert "error" in authjs.call("v4.decode", token=mine, secret="another")
    theirs = authjs.call_ok("v4.encode", token=TOKEN, secret=secret)["jwe"]
    with pytest.raises(jwt.InvalidToken):
        jwt.decode_v4(token=tamper(theirs), secret=secret)
    with pytest.raises(jwt.InvalidToken):
        jwt.decode_v4(token=theirs, secret="another")


def test_v4_and_v5_tokens_do_not_cross(authjs: NodeWorker) -> None:
    secret, salt = SECRETS[0], SALTS[0]
    v4_theirs = authjs.call_ok("v4.encode", token=TOKEN, secret=secret)["jwe"]
    with pytest.raises(jwt.InvalidToken):
        jwt.decode(token=v4_theirs, secret=secret, salt=salt)
    v5_mine = jwt.encode(token=TOKEN, secret=secret, salt=salt)
    assert "error" in authjs.call("v4.decode", token=v5_mine, secret=secret)
