"""Django adapter, through Django's test Client (sync views) and AsyncClient (async views),
plus the raw WSGI and ASGI handlers for the exact Set-Cookie bytes."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any, ClassVar, cast

import django
import pytest
from asgiref.sync import async_to_sync
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="django-adapter-tests",
        ALLOWED_HOSTS=["testserver", "app.example"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=["authcore.adapters.django.AuthMiddleware"],
        AUTHCORE={},
    )
    django.setup()

from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.wsgi import WSGIHandler
from django.test import AsyncClient, Client, override_settings
from django.test.client import ClientMixin
from django.urls import include, path

import authcore
from authcore.adapters.django import (
    AuthMiddleware,
    aget_session,
    auth_urls,
    get_session,
    login_required,
)
from authcore.errors import AuthError
from authcore.testing import MockIdP
from tests.support.adapters import (
    TRICKY_SET_COOKIES,
    Resp,
    client_config,
    credentials_sign_in,
    csrf_token,
    make_config,
    non_latin1_callback_urls,
    session_of,
    sign_in,
    sign_out,
)


@login_required
def protected(request: HttpRequest) -> HttpResponse:
    session = get_session(request)
    assert session is not None
    return HttpResponse(f"hello {session['user'].get('name')}")


def lazy(request: HttpRequest) -> JsonResponse:
    value: Any = cast(Any, request).auth_session  # attached by AuthMiddleware
    return JsonResponse(
        {"signed_in": bool(value), "name": value["user"]["name"] if value else None}
    )


@login_required
async def protected_async(request: HttpRequest) -> HttpResponse:
    session = await aget_session(request)
    assert session is not None
    return HttpResponse(f"hello {session['user'].get('name')}")


async def lazy_async(request: HttpRequest) -> JsonResponse:
    session = await cast(Any, request).aauth_session()
    return JsonResponse({"signed_in": session is not None})


urlpatterns = [
    path("api/auth/", include("authcore.adapters.django")),
    path("protected", protected),
    path("lazy", lazy),
]


class AsyncURLs:
    urlpatterns: ClassVar[list[Any]] = [
        path("api/auth/", include(auth_urls(asynchronous=True))),
        path("protected", protected_async),
        path("lazy", lazy_async),
    ]


def _resp(r: HttpResponse) -> Resp:
    headers = list(r.items())
    headers += [("Set-Cookie", m.output(header="")) for m in r.cookies.values()]
    return Resp(r.status_code, headers, r.content)


class Driver:
    """Django's Client, or its AsyncClient run to completion per call."""

    def __init__(self, client: ClientMixin, run: Callable[[Any], Any] = lambda r: r) -> None:
        self.client: Any = client
        self.run = run

    def get(self, path: str, headers: Mapping[str, str] | None = None) -> Resp:
        return _resp(self.run(self.client.get)(path, headers=dict(headers or {})))

    def post_form(self, path: str, form: Mapping[str, str]) -> Resp:
        from urllib.parse import urlencode

        post = self.run(self.client.post)
        return _resp(post(path, urlencode(form), content_type="application/x-www-form-urlencoded"))

    def post_json(self, path: str, data: Any) -> Resp:
        return _resp(self.run(self.client.post)(path, data, content_type="application/json"))


@pytest.fixture
def config(idp: MockIdP) -> Iterator[dict[str, Any]]:
    cfg = make_config(idp)
    with override_settings(AUTHCORE=cfg):
        yield cfg


@pytest.fixture(params=["wsgi", "asgi"])
def client(request: pytest.FixtureRequest, config: dict[str, Any]) -> Iterator[Driver]:
    if request.param == "wsgi":
        yield Driver(Client(raise_request_exception=True))
    else:
        with override_settings(ROOT_URLCONF=AsyncURLs):
            yield Driver(AsyncClient(raise_request_exception=True), async_to_sync)


def test_full_instagram_flow(client: Driver) -> None:
    r = sign_in(client)
    assert r.header("location") == "http://testserver/protected"
    name = session_of(client)["user"]["name"]
    assert name in ("Mock Business", "mock_business")
    r = client.get("/protected")
    assert (r.status, r.text) == (200, f"hello {name}")
    assert client.get("/lazy").json()["signed_in"] is True


def test_sign_out(client: Driver) -> None:
    sign_in(client)
    r = sign_out(client)
    assert r.header("location") == "http://testserver/"
    assert session_of(client) is None
    assert client.get("/lazy").json()["signed_in"] is False


def test_session_update(client: Driver) -> None:
    sign_in(client)
    token = csrf_token(client)
    r = client.post_json("/api/auth/session", {"csrfToken": token, "data": {"name": "Renamed"}})
    assert r.status == 200, r.text
    assert r.json()["user"]["name"] == "Renamed"
    assert client.get("/protected").text == "hello Renamed"


def test_csrf_failure(client: Driver) -> None:
    csrf_token(client)
    r = client.post_form(
        "/api/auth/signin/instagram", {"csrfToken": "forged", "callbackUrl": "/protected"}
    )
    assert r.status == 302
    assert r.header("location") == "http://testserver/api/auth/signin?error=MissingCSRF"
    assert not any(c.startswith("authjs.state=") for c in r.set_cookies())


def test_protected_without_session(client: Driver) -> None:
    r = client.get("/protected?tab=1")
    assert r.status == 303
    assert r.header("location") == "/api/auth/signin?callbackUrl=%2Fprotected%3Ftab%3D1"
    assert client.post_form("/protected", {}).status == 401
    junk = client.get("/lazy", headers={"Cookie": "authjs.session-token=junk"})
    assert junk.json()["signed_in"] is False


def test_sync_session_read_needs_no_event_loop(
    config: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Driver(Client(raise_request_exception=True))
    sign_in(client)

    def no_loop(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a session read created an event loop")

    monkeypatch.setattr(asyncio, "new_event_loop", no_loop)
    monkeypatch.setattr(asyncio, "run", no_loop)
    assert client.get("/protected").status == 200
    assert client.get("/lazy").json()["signed_in"] is True


def _fake_auth_response() -> authcore.Response:
    headers = [("Location", "/x"), *(("Set-Cookie", c) for c in TRICKY_SET_COOKIES)]
    return authcore.Response(302, headers, b"")


def test_set_cookie_bytes_wsgi(config: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(authcore, "auth_sync", lambda request, cfg: _fake_auth_response())
    captured: list[list[tuple[str, str]]] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc: Any = None) -> Any:
        captured.append(headers)

    import io

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/api/auth/session",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
    }
    WSGIHandler()(environ, start_response)
    assert [v for k, v in captured[0] if k == "Set-Cookie"] == TRICKY_SET_COOKIES
    assert ("Location", "/x") in captured[0]
    assert not any(k == "Content-Type" for k, _ in captured[0])


def test_set_cookie_bytes_asgi(config: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    async def fake(request: authcore.Request, cfg: Any) -> authcore.Response:
        return _fake_auth_response()

    monkeypatch.setattr(authcore, "Auth", fake)
    sent: list[Mapping[str, Any]] = []
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/api/auth/session",
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "scheme": "http",
        "server": ("testserver", 80),
        "root_path": "",
        "http_version": "1.1",
    }

    pending = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> dict[str, Any]:
        if pending:
            return pending.pop()
        await asyncio.Event().wait()  # no disconnect: Django cancels this once it has answered
        raise AssertionError("unreachable")

    async def send(message: Mapping[str, Any]) -> None:
        sent.append(message)

    with override_settings(ROOT_URLCONF=AsyncURLs):
        async_to_sync(ASGIHandler())(scope, receive, send)
    raw = [v for k, v in sent[0]["headers"] if k.lower() == b"set-cookie"]
    assert raw == [c.encode("latin-1") for c in TRICKY_SET_COOKIES]


def test_request_url_and_forwarded_headers(
    config: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[authcore.Request] = []

    def fake(request: authcore.Request, cfg: Any) -> authcore.Response:
        seen.append(request)
        return authcore.Response(200, [], b"")

    monkeypatch.setattr(authcore, "auth_sync", fake)
    c = Client()
    c.post(
        "/api/auth/signin/instagram?x=1",
        "a=1",
        content_type="application/x-www-form-urlencoded",
        headers={"X-Forwarded-Host": "testserver", "Host": "app.example"},
    )
    req = seen[0]
    assert req.url == "http://app.example/api/auth/signin/instagram?x=1"
    assert req.header("x-forwarded-host") == "testserver"  # allowed: the core may use it
    assert req.body == b"a=1"
    # Django's own host check runs first: a host outside ALLOWED_HOSTS never reaches the core,
    # and with trust_host neither does a forwarded host outside ALLOWED_HOSTS.
    assert c.get("/api/auth/session", headers={"Host": "evil.example"}).status_code == 400
    forwarded = {"Host": "app.example", "X-Forwarded-Host": "evil.example"}
    assert c.get("/api/auth/signin", headers=forwarded).status_code == 400
    assert len(seen) == 1


def test_bad_config_fails_when_the_middleware_loads() -> None:
    bad = {"providers": [], "secret": "s" * 32, "base_path": "x"}
    with override_settings(AUTHCORE=bad), pytest.raises(AuthError):
        AuthMiddleware(lambda request: HttpResponse())
    with override_settings(AUTHCORE=None), pytest.raises(RuntimeError):
        AuthMiddleware(lambda request: HttpResponse())


def test_asgi_reads_cookies_split_over_several_headers(config: dict[str, Any]) -> None:
    """HTTP/2 may split `Cookie` into several headers (RFC 9113 §8.2.3). Django's ASGI
    request joins them with "," in META; the adapter reads the raw scope instead."""
    from authcore import jwt
    from tests.support.adapters import SECRET

    token = jwt.encode(token={"name": "Split"}, secret=SECRET, salt="authjs.session-token")
    sent: list[Mapping[str, Any]] = []
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/api/auth/session",
        "query_string": b"",
        "headers": [
            (b"host", b"testserver"),
            (b"cookie", b"theme=dark"),
            (b"cookie", f"authjs.session-token={token}".encode()),
        ],
        "scheme": "http",
        "server": ("testserver", 80),
        "root_path": "",
        "http_version": "2",
    }
    pending = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> dict[str, Any]:
        if pending:
            return pending.pop()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    async def send(message: Mapping[str, Any]) -> None:
        sent.append(message)

    with override_settings(ROOT_URLCONF=AsyncURLs):
        async_to_sync(ASGIHandler())(scope, receive, send)
    assert sent[0]["status"] == 200
    body = b"".join(m.get("body", b"") for m in sent[1:])
    assert json.loads(body)["user"]["name"] == "Split"


def test_non_latin1_callback_urls(client: Driver) -> None:
    non_latin1_callback_urls(client)


@pytest.mark.parametrize("interface", ["wsgi", "asgi"])
def test_the_client_address_reaches_the_core(interface: str) -> None:
    seen: list[str | None] = []
    with override_settings(AUTHCORE=client_config(seen)):
        if interface == "wsgi":
            credentials_sign_in(Driver(Client(REMOTE_ADDR="203.0.113.9")))
        else:
            with override_settings(ROOT_URLCONF=AsyncURLs):
                credentials_sign_in(Driver(AsyncClient(), async_to_sync))
    assert seen == ["203.0.113.9" if interface == "wsgi" else "127.0.0.1"]


@pytest.mark.parametrize("interface", ["wsgi", "asgi"])
def test_an_email_sign_in_from_app_code_carries_the_form(interface: str) -> None:
    from authcore.adapters.django import asign_in, sign_in
    from authcore.providers.nodemailer import Nodemailer
    from authcore.stores.memory import AsyncMemoryStore, MemoryStore

    seen: list[tuple[str, str | None]] = []

    def send(params: Any) -> None:
        seen.append((params.identifier, params.request.client))

    def login(request: HttpRequest) -> HttpResponse:
        return sign_in(request, "nodemailer", form={"email": "ada@example.com"})

    async def alogin(request: HttpRequest) -> HttpResponse:
        return await asign_in(request, "nodemailer", form={"email": "ada@example.com"})

    class URLs:
        urlpatterns: ClassVar[list[Any]] = [
            path("api/auth/", include("authcore.adapters.django")),
            path("login", login if interface == "wsgi" else alogin),
        ]

    store = MemoryStore() if interface == "wsgi" else AsyncMemoryStore()
    config: dict[str, Any] = {
        "secret": "django-email-secret-0123456789abcdef",
        "env": {},
        "adapter": store,
        "providers": [Nodemailer(send_verification_request=send)],
        "trust_host": True,
    }
    with override_settings(AUTHCORE=config, ROOT_URLCONF=URLs):
        client: Any = Client() if interface == "wsgi" else AsyncClient()
        post = client.post if interface == "wsgi" else async_to_sync(client.post)
        r = post("/login")
    assert r.status_code in (302, 303)
    assert "/api/auth/verify-request?" in r["Location"]
    assert seen == [("ada@example.com", "127.0.0.1")]


@pytest.mark.parametrize(
    "meta",
    [
        {"HTTP_HOST": "app.example", "HTTP_COOKIE": "a=1; b=2", "QUERY_STRING": "x=1"},
        {"CONTENT_TYPE": "text/plain", "CONTENT_LENGTH": "", "HTTP_X_FORWARDED_HOST": "h"},
        {"HTTP_CONTENT_TYPE": "a/b", "CONTENT_TYPE": "c/d", "HTTP_ACCEPT_LANGUAGE": "fr"},
        {"CONTENT_TYPE": "c/d", "HTTP_CONTENT_TYPE": "a/b", "REMOTE_ADDR": "127.0.0.1"},
        {"HTTP_X_WEIRD__NAME": "v", "wsgi.input": None, "SERVER_NAME": "s"},
    ],
)
def test_wsgi_headers_are_djangos(meta: dict[str, Any]) -> None:
    """The adapter reads `META` directly; it gives what `request.headers` gives (names
    lowercase), repeated and entity headers included."""
    from django.http.request import HttpHeaders

    from authcore.adapters import django as adapter

    expected = [(k.lower(), v) for k, v in HttpHeaders(meta).items()]
    assert adapter._meta_headers(meta) == expected


@pytest.mark.parametrize(
    ("headers", "content_type"),
    [
        ([("Location", "/x"), ("Set-Cookie", "a=1"), ("set-cookie", "b=2")], None),
        ([("content-type", "application/json"), ("X-A", "1"), ("x-a", "2")], "application/json"),
    ],
)
def test_response_carries_only_the_cores_headers(
    headers: list[tuple[str, str]], content_type: str | None
) -> None:
    from authcore.adapters import django as adapter

    out = adapter._django_response(authcore.Response(302, headers, b"{}"))
    assert out.status_code == 302
    assert out.headers.get("Content-Type") == content_type
    assert [m.OutputString() for m in out.cookies.values()] == [
        v for k, v in headers if k.lower() == "set-cookie"
    ]
    if content_type:
        assert out.headers["X-A"] == "2"
    else:
        assert out.headers["Location"] == "/x"


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/auth/session", ""),
        ("/api/auth/callback/instagram", "code=abc_-.~&state=x.y.z"),
        ("/api/auth/signin", "callbackUrl=%2Fdashboard%3Fa%3D1"),
        ("/api/auth/caf\u00e9", "q=\u00e9\u2603&x=%zz"),
        ("/api/auth/a%2Fb/%7Euser", "a+b=c d"),
        ("/api/auth//double", ""),
        ("/api/auth/./dot/../x", "k=[1]|{2}"),
    ],
)
@pytest.mark.parametrize("host", ["app.example", "app.example:8443", "testserver"])
@pytest.mark.parametrize("secure", [False, True])
def test_request_url_is_djangos(path: str, query: str, host: str, secure: bool) -> None:
    """The adapter's cached URL is `build_absolute_uri()`, escaped or not, for any host and
    scheme, the first time and from the cache."""
    from django.test import RequestFactory

    from authcore.adapters import django as adapter

    request = RequestFactory().get(path, QUERY_STRING=query, HTTP_HOST=host, secure=secure)
    with override_settings(ALLOWED_HOSTS=["app.example", "testserver"]):
        for _ in range(2):
            assert adapter._request_url(request) == request.build_absolute_uri()


def test_allowed_hosts_and_the_proxy_scheme_count_on_every_request(
    config: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The URL is cached, the host check and the scheme are not: a host no longer allowed is
    refused (400) right after the same URL was built for it, and `SECURE_PROXY_SSL_HEADER`
    switches the scheme request by request."""
    seen: list[str] = []

    def fake(request: authcore.Request, cfg: Any) -> authcore.Response:
        seen.append(request.url)
        return authcore.Response(200, [], b"")

    monkeypatch.setattr(authcore, "auth_sync", fake)
    c = Client()
    host = {"Host": "app.example"}
    assert c.get("/api/auth/session", headers=host).status_code == 200
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        assert c.get("/api/auth/session", headers=host).status_code == 400
    with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        c.get("/api/auth/session", headers={**host, "X-Forwarded-Proto": "https"})
        c.get("/api/auth/session", headers=host)
    url = "app.example/api/auth/session"
    assert seen == [f"http://{url}", f"https://{url}", f"http://{url}"]


def test_set_cookie_morsels_carry_the_cookie() -> None:
    """The morsels holding the core's Set-Cookie headers read like `http.cookies` ones: the
    name and value (what Django's test client sends back), blank attributes, a copy."""
    from authcore.adapters import django as adapter

    header = TRICKY_SET_COOKIES[0]
    morsel = adapter._RawSetCookie(header)
    assert (morsel.key, morsel.value, morsel.coded_value) == (
        "authjs.session-token.0",
        "eyJhbGciOiJkaXIifQ..abc%2Fdef",
        "eyJhbGciOiJkaXIifQ..abc%2Fdef",
    )
    assert morsel["path"] == "" and morsel["max-age"] == ""
    assert morsel.output(header="") == header
    assert morsel.output() == f"Set-Cookie: {header}"
    assert morsel.copy().key == morsel.key
    out = adapter._django_response(
        authcore.Response(200, [("Set-Cookie", c) for c in TRICKY_SET_COOKIES])
    )
    assert list(out.cookies) == [
        "authjs.session-token.0",
        "authjs.session-token.1",
        "authjs.csrf-token",
        "authjs.csrf-token#1",
        "authjs.callback-url",
    ]


SETTINGS_CONFIG: dict[str, Any] = {"providers": [], "secret": "s" * 32}


def test_the_config_is_a_dict_a_mapping_or_a_dotted_path() -> None:
    from types import MappingProxyType

    from authcore.adapters.django import get_config

    proxy = MappingProxyType(SETTINGS_CONFIG)
    with override_settings(AUTHCORE=SETTINGS_CONFIG):
        assert get_config() is SETTINGS_CONFIG
    with override_settings(AUTHCORE=proxy):
        assert get_config() is proxy
    with override_settings(AUTHCORE=f"{__name__}.SETTINGS_CONFIG"):
        assert get_config() is SETTINGS_CONFIG
    with override_settings(AUTHCORE=["not", "a", "mapping"]), pytest.raises(RuntimeError):
        get_config()
