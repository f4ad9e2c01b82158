"""The read-only adapters through each framework's own test client (FastAPI TestClient,
Flask test_client, Django Client / AsyncClient), with tokens minted by `authcore.jwt`."""

import hashlib
from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

from authcore import jwt
from authcore.errors import ConfigError
from authcore.nextjs import NextAuthReader, Session
from tests.support.nextjs import FRAMEWORKS, api, django_settings, flask_app

NOW = 1_800_000_000.0
SECRET = "adapter-secret-0123456789abcdef012345"
CLAIMS = {"sub": "u-9", "name": "Ann", "email": "ann@x.com"}
OPTIONS: dict[str, Any] = {"secret": SECRET, "now": lambda: NOW}
TOKEN = "12" * 32


def v5(name: str = "authjs.session-token", **kw: Any) -> str:
    return jwt.encode(token=CLAIMS, secret=SECRET, salt=name, now=NOW, **kw)


def v4() -> str:
    return jwt.encode_v4(token=CLAIMS, secret=SECRET, now=NOW)


def csrf(name: str = "authjs.csrf-token", token: str = TOKEN) -> str:
    digest = hashlib.sha256((token + SECRET).encode()).hexdigest()
    return f"{name}={token}%7C{digest}"


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize(
    ("cookie", "gen"),
    [
        (lambda: f"authjs.session-token={v5()}", "v5"),
        (lambda: f"__Secure-authjs.session-token={v5('__Secure-authjs.session-token')}", "v5"),
        (lambda: f"next-auth.session-token={v4()}", "v4"),
        (lambda: f"__Secure-next-auth.session-token={v4()}", "v4"),
    ],
)
def test_session_through_the_framework(framework: str, cookie: Any, gen: str) -> None:
    with api(framework, OPTIONS) as call:
        me = call("GET", "/me", cookie())
        assert me.status == 200
        assert me.body["session"]["user"] == {
            "name": "Ann",
            "email": "ann@x.com",
            "image": None,
            "id": "u-9",
        }
        for url in ("/private", "/private-async"):
            res = call("GET", url, cookie())
            assert res.status == 200, (url, res.body)
            assert res.body == {"email": "ann@x.com", "sub": "u-9", "gen": gen}
        claims = call("GET", "/token", cookie()).body["token"]
        assert claims["sub"] == "u-9" and claims["exp"] == NOW + 30 * 24 * 3600


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_no_or_bad_session_is_401(framework: str) -> None:
    other = jwt.encode(token=CLAIMS, secret="x" * 40, salt="authjs.session-token", now=NOW)
    cases = [
        None,
        f"authjs.session-token={other}",
        "authjs.session-token=0f8fad5b-d9cb-469f-a165-70867728950e",
        f"authjs.session-token={v5()}; authjs.session-token={v5()}",
    ]
    with api(framework, OPTIONS) as call:
        for cookie in cases:
            assert call("GET", "/me", cookie).body == {"session": None}
            for url in ("/private", "/private-async"):
                res = call("GET", url, cookie)
                assert res.status == 401
                assert res.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_bearer(framework: str) -> None:
    with api(framework, OPTIONS) as call:
        res = call("GET", "/private", headers={"Authorization": f"Bearer {v4()}"})
        assert res.status == 200 and res.body["gen"] == "v4"
        assert call("GET", "/private", headers={"Authorization": "Bearer %"}).status == 401


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_csrf_on_mutations(framework: str) -> None:
    session = f"authjs.session-token={v5()}"
    with api(framework, OPTIONS) as call:
        ok = call("POST", "/items", f"{session}; {csrf()}", {"X-CSRF-Token": TOKEN})
        assert ok.status == 200 and ok.body == {"ok": True, "sub": "u-9"}
        v4_ok = call(
            "POST", "/items", f"{session}; {csrf('next-auth.csrf-token')}", {"X-CSRF-Token": TOKEN}
        )
        assert v4_ok.status == 200
        for cookie, headers in [
            (f"{session}; {csrf()}", {}),  # header missing
            (f"{session}; {csrf()}", {"X-CSRF-Token": "34" * 32}),  # wrong token
            (session, {"X-CSRF-Token": TOKEN}),  # cookie missing
            (f"{session}; {csrf()}; {csrf()}", {"X-CSRF-Token": TOKEN}),  # duplicated cookie
            (f"{session}; authjs.csrf-token={TOKEN}%7C{'0' * 64}", {"X-CSRF-Token": TOKEN}),
        ]:
            res = call("POST", "/items", cookie, headers)
            assert res.status == 403, (cookie, headers)
        # safe methods are not checked
        assert call("GET", "/items", session).status == 200


def test_fastapi_custom_header_and_cached_read() -> None:
    reads: list[int] = []

    class Counting(NextAuthReader):
        def inspect(self, request: Any) -> Any:
            reads.append(1)
            return super().inspect(request)

    from authcore.adapters.nextjs.fastapi import NextAuthSession

    nextauth = NextAuthSession(reader=Counting(SECRET, now=lambda: NOW), csrf_header="x-xsrf")
    app = FastAPI()

    @app.post("/x", dependencies=[Depends(nextauth.require_csrf)])
    async def x(
        a: Annotated[Session, Depends(nextauth.require_session)],
        b: Annotated[Session | None, Depends(nextauth)],
    ) -> Any:
        return {"same": a is b}

    client = TestClient(app)
    cookie = f"authjs.session-token={v5()}; {csrf()}"
    res = client.post("/x", headers={"cookie": cookie, "x-xsrf": TOKEN})
    assert res.json() == {"same": True}
    assert len(reads) == 1
    assert client.post("/x", headers={"cookie": cookie, "x-csrf-token": TOKEN}).status_code == 403


def test_flask_reads_app_config() -> None:
    app = flask_app({"secret": SECRET, "now": lambda: NOW, "generation": "v4"}, via_config=True)
    client = app.test_client(use_cookies=False)
    assert client.get("/me", headers={"Cookie": f"next-auth.session-token={v4()}"}).json == {
        "session": {
            "user": {"name": "Ann", "email": "ann@x.com", "image": None, "id": "u-9"},
            "expires": "2027-02-14T08:00:00.000Z",
        }
    }
    # pinned to v4: a v5 cookie is not read
    assert (
        client.get("/private", headers={"Cookie": f"authjs.session-token={v5()}"}).status_code
        == 401
    )
    bad = flask_app({"secret": SECRET, "secrett": "typo"}, via_config=True).test_client(
        use_cookies=False
    )
    with pytest.raises(ConfigError, match="secrett"):
        bad.get("/me")


def test_django_settings_errors_and_lazy_context() -> None:
    from django.http import HttpRequest
    from django.test import RequestFactory

    from authcore.adapters.nextjs import django as dj

    with django_settings({"secret": SECRET, "now": lambda: NOW}):
        request: HttpRequest = RequestFactory().get("/", HTTP_COOKIE=f"authjs.session-token={v5()}")
        context = dj.get_nextauth(request)
        assert "unread" in repr(context)
        assert context and context.session is not None and context.reason is None
        assert dj.get_nextauth(request) is context
        assert "read" in repr(context)
    with django_settings({"secret": SECRET, "generation": "v9"}), pytest.raises(ConfigError):
        dj.NextAuthMiddleware(lambda r: None)  # fails at start-up, not per request
    with django_settings({"secret": SECRET, "unknown": 1}), pytest.raises(ConfigError):
        dj.get_reader()
