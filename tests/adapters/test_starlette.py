"""Starlette and FastAPI adapter, through Starlette's TestClient (and raw ASGI for bytes)."""

# No `from __future__ import annotations`: FastAPI reads the `Annotated` dependencies at runtime.

from collections.abc import Mapping, MutableMapping
from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

import authcore
from authcore.adapters.starlette import Session, StarletteAuth, requires_auth, to_auth_request
from authcore.errors import AuthError
from authcore.testing import MockIdP
from tests.support.adapters import (
    TRICKY_SET_COOKIES,
    Resp,
    client_config,
    credentials_sign_in,
    csrf_token,
    http_scope,
    make_config,
    non_latin1_callback_urls,
    session_of,
    sign_in,
    sign_out,
)


class Driver:
    def __init__(self, app: Any) -> None:
        self.client = TestClient(app, follow_redirects=False)

    def _resp(self, r: Any) -> Resp:
        return Resp(r.status_code, list(r.headers.multi_items()), r.content)

    def get(self, path: str, headers: Mapping[str, str] | None = None) -> Resp:
        return self._resp(self.client.get(path, headers=dict(headers or {})))

    def post_form(self, path: str, form: Mapping[str, str]) -> Resp:
        return self._resp(self.client.post(path, data=dict(form)))

    def post_json(self, path: str, data: Any) -> Resp:
        return self._resp(self.client.post(path, json=data))


def starlette_app(config: dict[str, Any]) -> Starlette:
    auth = StarletteAuth(config)

    async def protected(request: Request) -> Response:
        return PlainTextResponse(f"hello {request.state.session['user']['name']}")

    guarded = requires_auth(auth)(protected)
    return Starlette(routes=[*auth.routes, Route("/protected", guarded, methods=["GET", "POST"])])


def fastapi_app(config: dict[str, Any]) -> FastAPI:
    auth = StarletteAuth(config)
    app = FastAPI()
    auth.install(app)

    @app.get("/protected")
    async def protected(
        session: Annotated[Session, Depends(auth.require_session)],
    ) -> dict[str, Any]:
        return {"name": session["user"].get("name")}

    @app.get("/maybe")
    async def maybe(session: Annotated[Session | None, Depends(auth.session)]) -> dict[str, Any]:
        return {"session": session}

    return app


@pytest.fixture(params=["starlette", "fastapi"])
def flavour(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def make_driver(flavour: str, config: dict[str, Any]) -> Driver:
    return Driver(starlette_app(config) if flavour == "starlette" else fastapi_app(config))


def test_full_instagram_flow(idp: MockIdP, flavour: str) -> None:
    client = make_driver(flavour, make_config(idp))
    r = sign_in(client)
    assert r.header("location") == "http://testserver/protected"
    session = session_of(client)
    name = session["user"]["name"]
    assert name in ("Mock Business", "mock_business")
    assert session["user"].get("email") is None
    r = client.get("/protected")
    assert r.status == 200
    assert name in r.text


def test_sign_out(idp: MockIdP, flavour: str) -> None:
    client = make_driver(flavour, make_config(idp))
    sign_in(client)
    r = sign_out(client)
    assert r.header("location") == "http://testserver/"
    cleared = [c for c in r.set_cookies() if c.startswith("authjs.session-token=")]
    assert cleared and ("Max-Age=0" in cleared[0] or "Expires=Thu, 01 Jan 1970" in cleared[0])
    assert session_of(client) is None
    assert client.get("/protected").status in (303, 401)


def test_session_update(idp: MockIdP, flavour: str) -> None:
    client = make_driver(flavour, make_config(idp))
    sign_in(client)
    token = csrf_token(client)
    r = client.post_json("/api/auth/session", {"csrfToken": token, "data": {"name": "Renamed"}})
    assert r.status == 200, r.text
    assert r.json()["user"]["name"] == "Renamed"
    assert session_of(client)["user"]["name"] == "Renamed"


def test_csrf_failure(idp: MockIdP, flavour: str) -> None:
    client = make_driver(flavour, make_config(idp))
    csrf_token(client)
    before = len(idp.requests)
    r = client.post_form(
        "/api/auth/signin/instagram", {"csrfToken": "forged", "callbackUrl": "/protected"}
    )
    assert r.status == 302
    location = r.header("location") or ""
    assert location == "http://testserver/api/auth/signin?error=MissingCSRF"
    assert not any(c.startswith("authjs.state=") for c in r.set_cookies())
    assert len(idp.requests) == before


def test_protected_without_session(idp: MockIdP) -> None:
    plain = make_driver("starlette", make_config(idp))
    r = plain.get("/protected?tab=1")
    assert r.status == 303
    assert r.header("location") == "/api/auth/signin?callbackUrl=%2Fprotected%3Ftab%3D1"
    assert plain.post_form("/protected", {}).status == 401

    api = make_driver("fastapi", make_config(idp))
    assert api.get("/protected").status == 401
    assert api.get("/maybe").json() == {"session": None}


def test_garbage_session_cookie_is_no_session(idp: MockIdP) -> None:
    api = make_driver("fastapi", make_config(idp))
    r = api.get("/maybe", headers={"cookie": "authjs.session-token=not-a-jwe"})
    assert r.json() == {"session": None}
    assert api.get("/protected", headers={"cookie": "authjs.session-token=x.y.z.w.v"}).status == 401


def test_fastapi_dependency_returns_typed_session(idp: MockIdP) -> None:
    api = make_driver("fastapi", make_config(idp))
    sign_in(api)
    body = api.get("/maybe").json()
    assert body["session"]["user"]["name"] in ("Mock Business", "mock_business")
    assert isinstance(body["session"]["expires"], str)


def test_set_cookie_headers_go_out_byte_for_byte(
    idp: MockIdP, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def fake_auth(request: authcore.Request, config: Any) -> authcore.Response:
        headers = [("Location", "/x"), *(("Set-Cookie", c) for c in TRICKY_SET_COOKIES)]
        return authcore.Response(302, headers, b"")

    monkeypatch.setattr(authcore, "Auth", fake_auth)
    app = starlette_app(make_config(idp))
    r = TestClient(app, follow_redirects=False).get("/api/auth/session")
    assert r.headers.get_list("set-cookie") == TRICKY_SET_COOKIES

    # and on the ASGI wire itself
    sent: list[MutableMapping[str, Any]] = []
    scope = http_scope("GET", "/api/auth/session")

    async def receive() -> MutableMapping[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    import anyio

    anyio.run(app, scope, receive, send)
    raw = [v for k, v in sent[0]["headers"] if k == b"set-cookie"]
    assert raw == [c.encode("latin-1") for c in TRICKY_SET_COOKIES]


def test_request_url_comes_from_the_scope_and_forwarded_headers_pass_through() -> None:
    seen: list[authcore.Request] = []

    async def endpoint(request: Request) -> Response:
        seen.append(await to_auth_request(request))
        return PlainTextResponse("ok")

    app = Starlette(routes=[Route("/api/auth/{rest:path}", endpoint, methods=["GET", "POST"])])
    TestClient(app).post(
        "/api/auth/signin/instagram?x=1",
        headers={"x-forwarded-host": "evil.example", "x-forwarded-proto": "https"},
        content=b"a=1",
    )
    req = seen[0]
    assert req.url == "http://testserver/api/auth/signin/instagram?x=1"
    assert req.header("x-forwarded-host") == "evil.example"
    assert req.header("x-forwarded-proto") == "https"
    assert req.body == b"a=1"


def test_untrusted_forwarded_host_does_not_steer_the_redirect_uri(idp: MockIdP) -> None:
    config = make_config(idp, trust_host=False, url="http://testserver")
    client = make_driver("starlette", config)
    token = csrf_token(client)
    r = client.client.post(
        "/api/auth/signin/instagram",
        data={"csrfToken": token, "callbackUrl": "/"},
        headers={"x-forwarded-host": "evil.example", "x-forwarded-proto": "https"},
    )
    assert r.status_code == 302
    assert "evil.example" not in r.headers["location"]
    assert (
        "redirect_uri=http%3A%2F%2Ftestserver%2Fapi%2Fauth%2Fcallback%2Finstagram"
        in r.headers["location"]
    )


def test_bad_config_fails_at_start_up() -> None:
    with pytest.raises(AuthError):
        StarletteAuth({"providers": [], "secret": "s" * 32, "base_path": "no-slash"})


def test_oversized_body_is_cut_at_the_core_limit_plus_one(
    idp: MockIdP, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = make_driver("starlette", make_config(idp))
    big = b"a=" + b"x" * 300_000
    r = client.client.post(
        "/api/auth/signin/instagram",
        content=big,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 400  # the core's answer

    seen: list[int] = []

    async def fake_auth(request: authcore.Request, config: Any) -> authcore.Response:
        seen.append(len(request.body))
        return authcore.Response(400, [], b"")

    monkeypatch.setattr(authcore, "Auth", fake_auth)
    client.client.post("/api/auth/signin/instagram", content=big)
    assert seen == [65_537]


def test_non_latin1_callback_urls(idp: MockIdP, flavour: str) -> None:
    non_latin1_callback_urls(make_driver(flavour, make_config(idp)))


def test_the_client_address_reaches_the_core(flavour: str) -> None:
    seen: list[str | None] = []
    app = starlette_app if flavour == "starlette" else fastapi_app
    driver = Driver(app(client_config(seen)))
    driver.client = TestClient(
        driver.client.app, follow_redirects=False, client=("203.0.113.9", 50000)
    )
    credentials_sign_in(driver)
    assert seen == ["203.0.113.9"]


def test_the_client_address_reaches_the_core_through_the_endpoint() -> None:
    seen: list[str | None] = []
    auth = StarletteAuth(client_config(seen))
    routes = [Route("/api/auth/{rest:path}", auth.endpoint, methods=["GET", "POST"])]
    driver = Driver(Starlette(routes=routes))
    driver.client = TestClient(
        driver.client.app, follow_redirects=False, client=("2001:db8::7", 50000)
    )
    credentials_sign_in(driver)
    assert seen == ["2001:db8::7"]


def test_an_email_sign_in_from_app_code_carries_the_form_and_the_client() -> None:
    from authcore.providers.nodemailer import Nodemailer
    from authcore.stores.memory import AsyncMemoryStore

    seen: list[tuple[str, str | None]] = []

    def send(params: Any) -> None:
        seen.append((params.identifier, params.request.client))

    auth = StarletteAuth(
        {
            "secret": "starlette-email-secret-0123456789abcdef",
            "env": {},
            "trust_host": True,
            "adapter": AsyncMemoryStore(),
            "providers": [Nodemailer(send_verification_request=send)],
        }
    )

    async def login(request: Request) -> Response:
        return await auth.sign_in(request, "nodemailer", form={"email": "Ada@Example.com"})

    app = Starlette(routes=[*auth.routes, Route("/login", login, methods=["POST"])])
    client = TestClient(app, follow_redirects=False, client=("203.0.113.9", 50000))
    r = client.post("/login")
    assert r.status_code in (302, 303)
    assert "/api/auth/verify-request?" in r.headers["location"]
    assert seen == [("ada@example.com", "203.0.113.9")]
