"""Unit tests of `authcore.nextjs`: tokens minted in Python with `authcore.jwt` (the interop
tests mint them with the real next-auth / @auth/core)."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timezone
from typing import Any

import pytest

from authcore import jwt
from authcore._http import Request
from authcore._options import Limits
from authcore.errors import ConfigError
from authcore.nextjs import (
    DatabaseSessionToken,
    NextAuthReader,
    ReadResult,
    SessionReader,
    get_token,
    secrets_from_env,
)

NOW = 1_800_000_000.0
SECRET = "next-secret-0123456789abcdef0123456789"
OLD = "old-secret-0123456789abcdef0123456789ab"
CLAIMS = {"sub": "user-1", "name": "Bob", "email": "bob@x.com", "picture": "https://i/b.png"}


def v5(
    claims: dict[str, Any] | None = None,
    *,
    secret: str = SECRET,
    salt: str = "authjs.session-token",
    now: float = NOW,
    max_age: int = 3600,
) -> str:
    return jwt.encode(token=claims or CLAIMS, secret=secret, salt=salt, now=now, max_age=max_age)


def v4(
    claims: dict[str, Any] | None = None,
    *,
    secret: str = SECRET,
    now: float = NOW,
    max_age: int = 3600,
) -> str:
    return jwt.encode_v4(token=claims or CLAIMS, secret=secret, now=now, max_age=max_age)


def req(cookie: str | None = None, **headers: str) -> Request:
    h = [(k.replace("_", "-"), v) for k, v in headers.items()]
    if cookie is not None:
        h.append(("cookie", cookie))
    return Request("POST", "http://api.internal/items", h)


def reader(secret: str | list[str] = SECRET, **kw: Any) -> NextAuthReader:
    return NextAuthReader(secret, now=lambda: NOW, **kw)


def chunks(name: str, value: str, size: int) -> list[tuple[str, str]]:
    return [(f"{name}.{i}", value[o : o + size]) for i, o in enumerate(range(0, len(value), size))]


def big_claims() -> dict[str, Any]:
    return {**CLAIMS, "groups": [f"group-{i:05d}" for i in range(600)]}


# -- both generations, all four default names ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "gen"),
    [
        ("authjs.session-token", "v5"),
        ("__Secure-authjs.session-token", "v5"),
        ("next-auth.session-token", "v4"),
        ("__Secure-next-auth.session-token", "v4"),
    ],
)
def test_reads_each_default_cookie(name: str, gen: str) -> None:
    token = v5(salt=name) if gen == "v5" else v4()
    session = reader().read(req(f"other=1; {name}={token}"))
    assert session is not None
    assert session.generation == gen
    assert session.cookie_name == name
    assert session.source == "cookie"
    assert session.user.id == "user-1"
    assert session.user.name == "Bob"
    assert session.user.email == "bob@x.com"
    assert session.user.image == "https://i/b.png"
    assert session.expires == datetime.fromtimestamp(NOW + 3600, tz=timezone.utc)
    assert session.token["sub"] == "user-1" and session.token["iat"] == NOW


def test_v5_salt_is_the_cookie_name() -> None:
    # A token sealed for the plain name does not open under the __Secure- name (Auth.js
    # `src/jwt.ts`).
    token = v5(salt="authjs.session-token")
    result = reader().inspect(req(f"__Secure-authjs.session-token={token}"))
    assert result.session is None and result.reason == "invalid_token"


def test_generation_pinning() -> None:
    cookie5 = f"authjs.session-token={v5()}"
    cookie4 = f"next-auth.session-token={v4()}"
    assert reader(generation="v5").read(req(cookie4)) is None
    assert reader(generation="v4").read(req(cookie5)) is None
    assert reader(generation="v5").read(req(cookie5)) is not None
    assert reader(generation="v4").read(req(cookie4)) is not None
    assert reader(generation="v5").session_cookie_names == (
        "__Secure-authjs.session-token",
        "authjs.session-token",
    )


def test_auto_prefers_v5_over_v4() -> None:
    both = f"next-auth.session-token={v4({'sub': 'old'})}; authjs.session-token={v5()}"
    session = reader().read(req(both))
    assert session is not None and session.generation == "v5" and session.user.id == "user-1"


def test_secure_modes() -> None:
    plain = f"authjs.session-token={v5()}"
    secure = f"__Secure-authjs.session-token={v5(salt='__Secure-authjs.session-token')}"
    assert reader(secure=True).read(req(plain)) is None
    assert reader(secure=True).read(req(secure)) is not None
    assert reader(secure=False).read(req(secure)) is None
    assert reader(secure=False).read(req(plain)) is not None


def test_secure_name_wins_and_an_invalid_one_does_not_fall_through() -> None:
    good_plain = f"authjs.session-token={v5({'sub': 'plain'})}"
    good_secure = f"__Secure-authjs.session-token={v5(salt='__Secure-authjs.session-token')}"
    session = reader().read(req(f"{good_plain}; {good_secure}"))
    assert session is not None and session.user.id == "user-1"
    bad_secure = "__Secure-authjs.session-token=" + v5(secret=OLD)
    result = reader().inspect(req(f"{good_plain}; {bad_secure}"))
    assert result.session is None and result.reason == "invalid_token"


# -- chunks ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("gen", "size"), [("v5", 3936), ("v4", 3933)])
def test_chunked_cookie_in_any_order(gen: str, size: int) -> None:
    name = "authjs.session-token" if gen == "v5" else "next-auth.session-token"
    token = v5(big_claims()) if gen == "v5" else v4(big_claims())
    parts = chunks(name, token, size)
    assert len(parts) >= 2
    header = "; ".join(f"{k}={v}" for k, v in reversed(parts))
    session = reader().read(req(header))
    assert session is not None and session.generation == gen
    assert len(session.token["groups"]) == 600


def test_plain_cookie_beside_chunks_is_invalid() -> None:
    token = v5(big_claims())
    header = "; ".join(f"{k}={v}" for k, v in chunks("authjs.session-token", token, 3936))
    result = reader().inspect(req(f"{header}; authjs.session-token={v5()}"))
    assert result.session is None and result.reason == "invalid_cookie"


def test_too_many_chunks_is_invalid() -> None:
    token = v5(big_claims())
    header = "; ".join(f"{k}={v}" for k, v in chunks("authjs.session-token", token, 500))
    result = reader().inspect(req(header))
    assert result.reason == "invalid_cookie"


def test_lookalike_names_are_not_chunks() -> None:
    token = v5()
    result = reader().inspect(
        req(f"authjs.session-token-x={token}; authjs.session-token.a={token}")
    )
    assert result.reason == "no_token"


@pytest.mark.parametrize(
    "name", ["authjs.session-token", "next-auth.session-token", "authjs.session-token.0"]
)
def test_duplicate_cookie_is_no_session(name: str) -> None:
    token = v5() if "authjs" in name else v4()
    result = reader().inspect(req(f"{name}={token}; {name}={token}"))
    assert result.session is None and result.reason == "duplicate_cookie"


def test_oversize_cookie_header() -> None:
    limits = Limits(max_cookie_header_bytes=100)
    result = reader(limits=limits).inspect(req(f"authjs.session-token={v5()}"))
    assert result.session is None and result.reason == "invalid_cookie"


# -- secrets --------------------------------------------------------------------------------


@pytest.mark.parametrize("gen", ["v5", "v4"])
def test_rotated_secrets_every_one_is_tried(gen: str) -> None:
    name = "authjs.session-token" if gen == "v5" else "next-auth.session-token"
    for minted_with in (SECRET, OLD):
        token = v5(secret=minted_with) if gen == "v5" else v4(secret=minted_with)
        assert reader([SECRET, OLD]).read(req(f"{name}={token}")) is not None
        assert reader([OLD, SECRET]).read(req(f"{name}={token}")) is not None


def test_kidless_v5_token_opens_with_a_later_secret() -> None:
    # Older @auth/core (A256GCM, no kid) tokens: tried against every secret, not only the first.
    from authcore.jose import jwe

    key, _ = jwt._derived_key(OLD, "authjs.session-token", 32)
    payload = b'{"sub":"gcm","exp":1800003600}'
    token = jwe.encrypt_compact(payload, key, enc="A256GCM")
    session = reader([SECRET, OLD]).read(req(f"authjs.session-token={token}"))
    assert session is not None and session.user.id == "gcm"


@pytest.mark.parametrize("gen", ["v5", "v4"])
def test_wrong_secret_tampered_expired(gen: str) -> None:
    name = "authjs.session-token" if gen == "v5" else "next-auth.session-token"

    def mint(**kw: Any) -> str:
        return v5(**kw) if gen == "v5" else v4(**kw)

    assert reader().inspect(req(f"{name}={mint(secret=OLD)}")).reason == "invalid_token"
    token = mint()
    head, ek, iv, ct, tag = token.split(".")
    flipped = ct[:-2] + ("A" if ct[-2] != "A" else "B") + ct[-1]
    tampered = ".".join((head, ek, iv, flipped, tag))
    assert reader().inspect(req(f"{name}={tampered}")).reason == "invalid_token"
    # exp = NOW - 100: expired; exp = NOW - 10: inside the 15 s tolerance (Auth.js `src/jwt.ts`)
    expired = reader().inspect(req(f"{name}={mint(now=NOW - 3700)}"))
    assert expired.session is None and expired.reason == "expired"
    assert expired.token_error == "expired"
    assert reader().read(req(f"{name}={mint(now=NOW - 3610)}")) is not None


def test_secrets_from_env_order() -> None:
    env = {
        "AUTH_SECRET": "zero",
        "AUTH_SECRET_1": "one",
        "AUTH_SECRET_3": "three",
        "NEXTAUTH_SECRET": "legacy",
        "AUTH_SECRET_2": " ",
    }
    assert secrets_from_env(env) == ["three", "one", "zero", "legacy"]
    assert secrets_from_env({}) == []


def test_secret_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for k in ("AUTH_SECRET", "AUTH_SECRET_1", "AUTH_SECRET_2", "AUTH_SECRET_3", "NEXTAUTH_SECRET"):
        monkeypatch.delenv(k, raising=False)
    with pytest.raises(ConfigError):
        NextAuthReader()
    monkeypatch.setenv("NEXTAUTH_SECRET", SECRET)
    assert NextAuthReader(now=lambda: NOW).read(req(f"next-auth.session-token={v4()}"))


@pytest.mark.parametrize(
    ("kwargs", "option"),
    [
        ({"secret": ""}, "secret"),
        ({"secret": []}, "secret"),
        ({"secret": ["ok", "  "]}, "secret"),
        ({"secret": SECRET, "generation": "v6"}, "generation"),
        ({"secret": SECRET, "secure": "yes"}, "secure"),
        ({"secret": SECRET, "generation": "v4", "salt": "x"}, "salt"),
        ({"secret": SECRET, "cookie_name": "a;b"}, "cookie_name"),
        ({"secret": SECRET, "on_database_session": "explode"}, "on_database_session"),
    ],
)
def test_config_errors_name_the_option(kwargs: dict[str, Any], option: str) -> None:
    with pytest.raises(ConfigError) as info:
        NextAuthReader(**kwargs)
    assert info.value.details["option"] == option


def test_repr_hides_secrets() -> None:
    r = reader([SECRET, OLD])
    assert SECRET not in repr(r) and OLD not in repr(r)
    assert SessionReader is NextAuthReader


# -- database sessions and other non-JWE values ---------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["0f8fad5b-d9cb-469f-a165-70867728950e", "a3f1" * 16],  # v5 randomUUID, v4 32-byte hex
)
def test_database_session_token_is_named(value: str, caplog: pytest.LogCaptureFixture) -> None:
    r = reader()
    with caplog.at_level(logging.WARNING, logger="authcore.nextjs"):
        first = r.inspect(req(f"next-auth.session-token={value}"))
        second = r.inspect(req(f"authjs.session-token={value}"))
    assert first.session is None and first.reason == "database_session"
    assert second.reason == "database_session"
    warnings = [rec for rec in caplog.records if "NEXTAUTH_DATABASE_SESSION" in rec.getMessage()]
    assert len(warnings) == 1  # once per reader
    assert value not in caplog.text


def test_database_session_raise_and_ignore(caplog: pytest.LogCaptureFixture) -> None:
    cookie = "authjs.session-token=0f8fad5b-d9cb-469f-a165-70867728950e"
    with pytest.raises(DatabaseSessionToken) as info:
        reader(on_database_session="raise").read(req(cookie))
    assert info.value.type == "DatabaseSessionToken"
    assert "strategy" in str(info.value)
    with caplog.at_level(logging.WARNING, logger="authcore.nextjs"):
        assert reader(on_database_session="ignore").read(req(cookie)) is None
    assert caplog.records == []


def test_signed_jwt_and_garbage() -> None:
    jws = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
    assert reader().inspect(req(f"authjs.session-token={jws}")).reason == "signed_jwt"
    assert reader().inspect(req("authjs.session-token=%%%<>")).reason == "malformed"
    assert reader().inspect(req("authjs.session-token=a.b.c.d.e")).reason == "invalid_token"


def test_no_cookie() -> None:
    result = reader().inspect(req("theme=dark"))
    assert result == ReadResult(None, "no_token")
    assert reader().read(Request("GET", "http://x/")) is None


# -- Authorization: Bearer ------------------------------------------------------------------


@pytest.mark.parametrize(
    "token_fn",
    [
        v5,
        lambda: v5(salt="__Secure-authjs.session-token"),
        v4,
    ],
)
def test_bearer_fallback(token_fn: Any) -> None:
    session = reader().read(req(authorization=f"Bearer {token_fn()}"))
    assert session is not None and session.source == "bearer" and session.cookie_name is None
    assert session.user.email == "bob@x.com"


def test_bearer_details() -> None:
    token = v5()
    encoded = token.replace(".", "%2E")
    assert reader().read(req(authorization=f"bearer {encoded}")) is not None
    assert reader().inspect(req(authorization="Bearer %")).reason == "bad_bearer"
    assert reader().inspect(req(authorization="Bearer %E0%A4%A")).reason == "bad_bearer"
    assert reader().inspect(req(authorization="Basic dXNlcjpwdw==")).reason == "no_token"
    two = Request("GET", "http://x/", [("authorization", f"Bearer {token}")] * 2)
    assert reader().inspect(two).reason == "bad_bearer"
    assert reader(bearer=False).inspect(req(authorization=f"Bearer {token}")).reason == "no_token"
    # A cookie, even an invalid one, takes precedence over the header (as in Auth.js).
    both = req("authjs.session-token=garbage.x.y.z.w", authorization=f"Bearer {token}")
    assert reader().read(both) is None


def test_bearer_uses_configured_salt_and_name() -> None:
    token = v5(salt="custom")
    assert reader(salt="custom").read(req(authorization=f"Bearer {token}")) is not None
    assert reader().read(req(authorization=f"Bearer {token}")) is None
    named = v5(salt="app.session")
    r = reader(cookie_name="app.session")
    assert r.read(req(authorization=f"Bearer {named}")) is not None


# -- custom names -----------------------------------------------------------------------------


def test_custom_cookie_name_and_salt() -> None:
    token = v5(salt="app.session")
    session = reader(cookie_name="app.session").read(req(f"app.session={token}"))
    assert session is not None and session.cookie_name == "app.session"
    # default names are no longer looked at
    assert reader(cookie_name="app.session").read(req(f"authjs.session-token={v5()}")) is None
    salted = v5(salt="pepper")
    assert reader(cookie_name="app.session", salt="pepper").read(req(f"app.session={salted}"))


def test_v5_app_that_kept_the_v4_cookie_name() -> None:
    # A v5 app migrated with cookies.sessionToken.name = "next-auth.session-token".
    token = v5(salt="next-auth.session-token")
    session = reader(cookie_name="next-auth.session-token").read(
        req(f"next-auth.session-token={token}")
    )
    assert session is not None and session.generation == "v5"
    assert reader(cookie_name="next-auth.session-token").read(
        req(f"next-auth.session-token={v4()}")
    )


# -- the session object ---------------------------------------------------------------------


def test_user_mapping_is_defensive() -> None:
    token = v5({"id": "db-7", "name": 42, "email": ["x"], "image": "https://i/x.png"})
    session = reader().read(req(f"authjs.session-token={token}"))
    assert session is not None
    assert session.user.id == "db-7"
    assert session.user.name is None and session.user.email is None
    assert session.user.image == "https://i/x.png"


def test_to_dict_is_the_authjs_shape() -> None:
    session = reader().read(req(f"authjs.session-token={v5()}"))
    assert session is not None
    assert session.to_dict() == {
        "user": {
            "name": "Bob",
            "email": "bob@x.com",
            "image": "https://i/b.png",
            "id": "user-1",
        },
        "expires": "2027-01-15T09:00:00.000Z",
    }
    assert "token=" not in repr(session) and "bob@x.com" in repr(session)


def test_read_token_returns_a_copy() -> None:
    r = reader()
    request = req(f"authjs.session-token={v5()}")
    claims = r.read_token(request)
    assert claims is not None and claims["email"] == "bob@x.com"
    claims["email"] = "evil"
    assert r.read_token(request) == {**claims, "email": "bob@x.com"}


def test_get_token_one_shot_and_raw() -> None:
    token = v4(big_claims())
    header = "; ".join(f"{k}={v}" for k, v in chunks("next-auth.session-token", token, 3933))
    request = req(header)
    claims = get_token(request, secret=SECRET, now=lambda: NOW)
    assert isinstance(claims, dict) and claims["sub"] == "user-1"
    assert get_token(request, secret=SECRET, now=lambda: NOW, raw=True) == token
    assert get_token(request, secret=OLD, now=lambda: NOW) is None
    fresh = v5()
    bearer = req(authorization=f"Bearer {fresh}")
    assert get_token(bearer, secret=SECRET, now=lambda: NOW, raw=True) == fresh


# -- CSRF -----------------------------------------------------------------------------------

TOKEN = "ab" * 32


def csrf_cookie(token: str = TOKEN, secret: str = SECRET) -> str:
    return f"{token}%7C{hashlib.sha256((token + secret).encode()).hexdigest()}"


@pytest.mark.parametrize(
    "name",
    [
        "authjs.csrf-token",
        "__Host-authjs.csrf-token",
        "next-auth.csrf-token",
        "__Host-next-auth.csrf-token",
    ],
)
def test_csrf_valid_for_each_cookie_name(name: str) -> None:
    request = req(f"{name}={csrf_cookie()}", x_csrf_token=TOKEN)
    assert reader().verify_csrf(request)
    assert not reader().csrf_required(request)


def test_csrf_failures() -> None:
    r = reader()
    good = f"authjs.csrf-token={csrf_cookie()}"
    assert not r.verify_csrf(req(good))  # no header
    assert not r.verify_csrf(req(good, x_csrf_token="cd" * 32))  # other token
    assert not r.verify_csrf(req(x_csrf_token=TOKEN))  # no cookie
    assert not r.verify_csrf(req(f"{good}; {good}", x_csrf_token=TOKEN))  # duplicated
    forged = f"authjs.csrf-token={TOKEN}%7C{'0' * 64}"
    assert not r.verify_csrf(req(forged, x_csrf_token=TOKEN))  # hash not ours
    other = f"authjs.csrf-token={csrf_cookie(secret=OLD)}"
    assert not r.verify_csrf(req(other, x_csrf_token=TOKEN))  # other secret
    assert not r.verify_csrf(req(f"authjs.csrf-token={TOKEN}", x_csrf_token=TOKEN))  # no hash
    long_token = "a" * 200
    assert not r.verify_csrf(
        req(f"authjs.csrf-token={csrf_cookie(long_token)}", x_csrf_token=long_token)
    )
    two = Request(
        "POST", "http://x/", [("cookie", good), ("x-csrf-token", TOKEN), ("x-csrf-token", TOKEN)]
    )
    assert not r.verify_csrf(two)
    assert r.csrf_required(req(good))
    assert not r.csrf_required(Request("GET", "http://x/"))
    assert r.verify_csrf(req(good, x_xsrf=TOKEN), header_name="X-XSRF")


def test_csrf_host_cookie_wins_over_plain() -> None:
    r = reader()
    planted = f"authjs.csrf-token={csrf_cookie('cd' * 32)}"
    host = f"__Host-authjs.csrf-token={csrf_cookie()}"
    assert r.verify_csrf(req(f"{planted}; {host}", x_csrf_token=TOKEN))
    assert not r.verify_csrf(req(f"{planted}; {host}", x_csrf_token="cd" * 32))


def test_csrf_with_rotated_secrets() -> None:
    r = reader([SECRET, OLD])
    for secret in (SECRET, OLD, f"{SECRET},{OLD}"):  # single secrets, and Auth.js String(array)
        assert r.verify_csrf(
            req(f"authjs.csrf-token={csrf_cookie(secret=secret)}", x_csrf_token=TOKEN)
        )


def test_csrf_generation_and_custom_name() -> None:
    v4_cookie = f"next-auth.csrf-token={csrf_cookie()}"
    assert not reader(generation="v5").verify_csrf(req(v4_cookie, x_csrf_token=TOKEN))
    assert reader(generation="v4").verify_csrf(req(v4_cookie, x_csrf_token=TOKEN))
    custom = reader(csrf_cookie_name="app.csrf")
    assert custom.verify_csrf(req(f"app.csrf={csrf_cookie()}", x_csrf_token=TOKEN))
    assert not custom.verify_csrf(req(f"authjs.csrf-token={csrf_cookie()}", x_csrf_token=TOKEN))
    assert reader(secure=True).csrf_cookie_names == (
        "__Host-authjs.csrf-token",
        "__Host-next-auth.csrf-token",
    )


def test_to_dict_is_the_session_json_of_the_same_cookie() -> None:
    """The one point where `authcore.nextjs.Session` meets the `/session` JSON
    (`authcore.adapters.Session`; docs/dev/architecture.md, "Why two `Session` types"): for
    a token issued now, `to_dict()` is what `get_session` answers, plus `user.id`."""
    from authcore import get_session

    now = 1_800_000_000.0
    claims = {"name": "Ann", "email": "ann@x.com", "picture": "https://i/a.png", "sub": "u7"}
    name = "authjs.session-token"
    token = jwt.encode(token=claims, secret="s" * 40, salt=name, now=now)
    request = Request("GET", "http://localhost:3000/", {"cookie": f"{name}={token}"})
    read = NextAuthReader("s" * 40, generation="v5", now=lambda: now).read(request)
    assert read is not None
    config = {"secret": "s" * 40, "env": {}, "providers": [], "clock": lambda: now}
    session = get_session(request, config)
    assert session is not None
    assert read.to_dict() == {**session, "user": {**session["user"], "id": "u7"}}
