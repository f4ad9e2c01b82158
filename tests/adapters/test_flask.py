"""Flask adapter, through Flask's test client (and the raw WSGI call for header bytes)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

import authcore
from authcore.adapters.flask import AuthCore, get_session, login_required
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


def make_app(config: Mapping[str, Any] | None, **app_config: Any) -> Flask:
    app = Flask(__name__)
    app.config.update(app_config)
    ext = AuthCore()
    if config is not None:
        ext = AuthCore(config=config)
    ext.init_app(app)

    @app.route("/protected", methods=["GET", "POST"])
    @login_required
    def protected() -> str:
        session = get_session()
        assert session is not None
        return f"hello {session['user'].get('name')}"

    @app.get("/maybe")
    def maybe() -> dict[str, Any]:
        return {"session": get_session()}

    return app


class Driver:
    def __init__(self, app: Flask) -> None:
        self.client = app.test_client()

    @classmethod
    def of(cls, client: FlaskClient) -> Driver:
        driver = cls.__new__(cls)
        driver.client = client
        return driver

    def _resp(self, r: TestResponse) -> Resp:
        return Resp(r.status_code, list(r.headers.items()), r.get_data())

    def get(self, path: str, headers: Mapping[str, str] | None = None) -> Resp:
        return self._resp(self.client.get(path, headers=dict(headers or {})))

    def post_form(self, path: str, form: Mapping[str, str]) -> Resp:
        return self._resp(self.client.post(path, data=dict(form)))

    def post_json(self, path: str, data: Any) -> Resp:
        return self._resp(self.client.post(path, json=data))


def test_full_instagram_flow(idp: MockIdP) -> None:
    client = Driver(make_app(make_config(idp)))
    r = sign_in(client)
    assert r.header("location") == "http://localhost/protected"
    name = session_of(client)["user"]["name"]
    assert name in ("Mock Business", "mock_business")
    r = client.get("/protected")
    assert r.status == 200
    assert r.text == f"hello {name}"


def test_config_from_app_config(idp: MockIdP) -> None:
    client = Driver(make_app(None, AUTHCORE=make_config(idp)))
    sign_in(client)
    assert client.get("/protected").status == 200


def test_sign_out(idp: MockIdP) -> None:
    client = Driver(make_app(make_config(idp)))
    sign_in(client)
    r = sign_out(client)
    assert r.header("location") == "http://localhost/"
    assert session_of(client) is None
    assert client.get("/maybe").json() == {"session": None}


def test_session_update(idp: MockIdP) -> None:
    client = Driver(make_app(make_config(idp)))
    sign_in(client)
    token = csrf_token(client)
    r = client.post_json("/api/auth/session", {"csrfToken": token, "data": {"name": "Renamed"}})
    assert r.status == 200, r.text
    assert r.json()["user"]["name"] == "Renamed"
    assert client.get("/protected").text == "hello Renamed"


def test_csrf_failure(idp: MockIdP) -> None:
    client = Driver(make_app(make_config(idp)))
    csrf_token(client)
    r = client.post_form(
        "/api/auth/signin/instagram", {"csrfToken": "forged", "callbackUrl": "/protected"}
    )
    assert r.status == 302
    assert r.header("location") == "http://localhost/api/auth/signin?error=MissingCSRF"
    assert not any(c.startswith("authjs.state=") for c in r.set_cookies())


def test_protected_without_session(idp: MockIdP) -> None:
    client = Driver(make_app(make_config(idp)))
    r = client.get("/protected?tab=1")
    assert r.status == 303
    assert r.header("location") == "/api/auth/signin?callbackUrl=%2Fprotected%3Ftab%3D1"
    assert client.post_form("/protected", {}).status == 401
    r = client.get("/maybe", headers={"Cookie": "authjs.session-token=garbage"})
    assert r.json() == {"session": None}


def test_session_read_needs_no_event_loop(idp: MockIdP, monkeypatch: pytest.MonkeyPatch) -> None:
    client = Driver(make_app(make_config(idp)))
    sign_in(client)

    def no_loop(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a session read created an event loop")

    monkeypatch.setattr(asyncio, "new_event_loop", no_loop)
    monkeypatch.setattr(asyncio, "run", no_loop)
    assert client.get("/protected").status == 200
    assert session_of(client) is not None


def test_set_cookie_headers_go_out_byte_for_byte(
    idp: MockIdP, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fake_auth(request: authcore.Request, config: Any) -> authcore.Response:
        headers = [("Location", "/x"), *(("Set-Cookie", c) for c in TRICKY_SET_COOKIES)]
        return authcore.Response(302, headers, b"")

    monkeypatch.setattr(authcore, "auth_sync", fake_auth)
    app = make_app(make_config(idp))
    assert app.test_client().get("/api/auth/session").headers.getlist("Set-Cookie") == (
        TRICKY_SET_COOKIES
    )

    captured: list[list[tuple[str, str]]] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc: Any = None) -> Any:
        captured.append(headers)

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/api/auth/session",
        "SERVER_NAME": "example.com",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": None,
    }
    b"".join(app.wsgi_app(environ, start_response))
    assert [v for k, v in captured[0] if k == "Set-Cookie"] == TRICKY_SET_COOKIES


def test_request_url_and_forwarded_headers(monkeypatch: pytest.MonkeyPatch, idp: MockIdP) -> None:
    seen: list[authcore.Request] = []

    def fake_auth(request: authcore.Request, config: Any) -> authcore.Response:
        seen.append(request)
        return authcore.Response(200, [], b"")

    monkeypatch.setattr(authcore, "auth_sync", fake_auth)
    app = make_app(make_config(idp))
    app.test_client().post(
        "/api/auth/signin/instagram?x=1",
        headers={"X-Forwarded-Host": "evil.example", "Host": "app.example"},
        data=b"a=1",
        content_type="application/x-www-form-urlencoded",
    )
    req = seen[0]
    assert req.url == "http://app.example/api/auth/signin/instagram?x=1"
    assert req.header("x-forwarded-host") == "evil.example"
    assert req.body == b"a=1"


def test_missing_or_bad_config_fails_at_start_up() -> None:
    with pytest.raises(RuntimeError):
        AuthCore(Flask(__name__))
    with pytest.raises(AuthError):
        AuthCore(Flask(__name__), {"providers": [], "secret": "s" * 32, "base_path": "x"})


def test_oversized_body_is_cut_at_the_core_limit_plus_one(
    idp: MockIdP, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(make_config(idp))
    big = b"a=" + b"x" * 300_000
    form = "application/x-www-form-urlencoded"
    r = app.test_client().post("/api/auth/signin/instagram", data=big, content_type=form)
    assert r.status_code == 400  # the core's answer

    seen: list[int] = []

    def fake_auth(request: authcore.Request, config: Any) -> authcore.Response:
        seen.append(len(request.body))
        return authcore.Response(400, [], b"")

    monkeypatch.setattr(authcore, "auth_sync", fake_auth)
    app.test_client().post("/api/auth/signin/instagram", data=big, content_type=form)
    assert seen == [65_537]


def test_non_latin1_callback_urls(idp: MockIdP) -> None:
    non_latin1_callback_urls(Driver(make_app(make_config(idp))))


def test_passkey_register_sign_out_and_sign_in_through_flask() -> None:
    from authcore.providers.passkey import Passkey
    from authcore.stores.memory import MemoryStore
    from tests.support.webauthn import SoftwareAuthenticator

    store = MemoryStore()
    config = {
        "secret": "flask-passkey-secret-0123456789abcdef",
        "env": {},
        "adapter": store,
        "experimental": {"enable_webauthn": True},
        "providers": [Passkey()],
    }
    client = Driver(make_app(config))
    key = SoftwareAuthenticator(origin="http://localhost")

    def ceremony(query: str, action: str) -> Resp:
        options = client.get(f"/api/auth/webauthn-options/passkey?{query}").json()
        assert options["action"] == action
        make = key.create if action == "register" else key.get
        form = {
            "csrfToken": csrf_token(client),
            "action": action,
            "data": json.dumps(make(options["options"])),
        }
        return client.post_form("/api/auth/callback/passkey", form)

    r = ceremony("email=ann%40example.com", "register")
    assert r.status == 302 and "error" not in (r.header("location") or "")
    assert session_of(client)["user"]["email"] == "ann@example.com"
    assert client.get("/protected").status == 200
    sign_out(client)
    assert client.get("/protected").status != 200
    r = ceremony("action=authenticate", "authenticate")
    assert r.status == 302 and "error" not in (r.header("location") or "")
    assert session_of(client)["user"]["email"] == "ann@example.com"
    user = store.get_user_by_email("ann@example.com")
    assert user is not None
    assert [a["counter"] for a in store.list_authenticators_by_user_id(user["id"])] == [1]


def test_the_client_address_reaches_the_core() -> None:
    seen: list[str | None] = []
    app = make_app(client_config(seen))
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    credentials_sign_in(Driver.of(client))
    assert seen == ["203.0.113.9"]


def test_x_forwarded_for_counts_only_under_trusted_proxy_hops() -> None:
    seen: list[str | None] = []
    for hops in (0, 1, 2):
        client = make_app(client_config(seen, trusted_proxy_hops=hops)).test_client()
        client.environ_base["REMOTE_ADDR"] = "10.0.0.2"
        token = client.get("/api/auth/csrf").get_json()["csrfToken"]
        client.post(
            "/api/auth/callback/credentials",
            data={"csrfToken": token, "username": "ada"},
            headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.9"},
        )
    assert seen == ["10.0.0.2", "203.0.113.9", "198.51.100.1"]


def test_an_email_sign_in_from_app_code_carries_the_client_address() -> None:
    from authcore.adapters.flask import sign_in as app_sign_in
    from authcore.providers.email import VerificationRequest
    from authcore.providers.nodemailer import Nodemailer
    from authcore.stores.memory import MemoryStore

    seen: list[str | None] = []

    def send(params: VerificationRequest) -> None:
        seen.append(params.request.client)

    config = {
        "secret": "flask-email-secret-0123456789abcdef",
        "env": {},
        "adapter": MemoryStore(),
        "providers": [Nodemailer(send_verification_request=send)],
    }
    app = make_app(config)

    @app.post("/login")
    def login() -> Any:
        return app_sign_in("nodemailer", form={"email": "ada@example.com"})

    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    r = client.post("/login")
    assert r.status_code in (302, 303), r.get_data()
    assert "verify-request" in r.headers["Location"]
    assert seen == ["203.0.113.9"]


@pytest.mark.parametrize(
    ("path", "query", "root"),
    [
        ("/api/auth/session", "", ""),
        ("/api/auth/callback/instagram", "code=abc_-.~&state=x.y.z", ""),
        ("/api/auth/signin", "callbackUrl=%2Fdashboard%3Fa%3D1", ""),
        ("/api/auth/signin", "callbackUrl=/caf%C3%A9&x=%zz", "/mounted"),
        ("/api/auth/caf\u00e9", "q=\u00e9\u2603", ""),
        ("/api/auth/a%2Fb/%7Euser", "a+b=c d", "/sub/dir"),
        ("/api/auth//double", "", ""),
        ("/api/auth/with space", "k=[1]|{2}", ""),
    ],
)
@pytest.mark.parametrize(
    "headers",
    [
        {"Host": "app.example:8443"},
        {"Host": "xn--n3h.example", "X-Forwarded-Host": "evil.example"},
        {"Host": "[::1]:5000", "Content-Type": "text/plain"},
    ],
)
def test_request_url_and_headers_are_werkzeugs(
    path: str, query: str, root: str, headers: dict[str, str]
) -> None:
    """The adapter's shortcut for `request.url` and `request.headers` gives exactly what
    Werkzeug gives, escaped or not, under a script root, for any host form."""
    from authcore.adapters import flask as adapter

    app = Flask(__name__)
    with app.test_request_context(
        path, query_string=query, base_url=f"http://localhost{root}", headers=headers
    ):
        from flask import request

        for _ in range(2):  # built, then from the cache
            assert adapter._request_url(adapter._current()) == request.url
        expected = sorted((k.lower(), v) for k, v in request.headers.items())
        got = authcore.Request("GET", "/", adapter._request_headers(request.environ)).headers
        assert sorted(got) == expected


def test_response_carries_only_the_cores_headers() -> None:
    from authcore.adapters import flask as adapter

    core = authcore.Response(
        302, [("Location", "/x"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")], b""
    )
    app = Flask(__name__)
    with app.test_request_context("/"):
        out = adapter._flask_response(core)
        assert out.status_code == 302
        assert out.headers.get_all("Set-Cookie") == ["a=1", "b=2"]
        assert "Content-Type" not in out.headers
        assert out.headers["Location"] == "/x"


_CORE_ANSWERS = [
    authcore.Response(
        200,
        [
            ("Content-Type", "application/json"),
            ("Cache-Control", "private, no-cache, no-store"),
            *(("Set-Cookie", c) for c in TRICKY_SET_COOKIES),
        ],
        b'{"user":{"name":"Ada"}}',
    ),
    authcore.Response(302, [("Location", "/x"), ("Set-Cookie", "a=1"), ("Set-Cookie", "a=2")]),
    authcore.Response(302, [("Location", "https://app.example/caf\u00e9?q=\u00e9 x")]),
    authcore.Response(303, [("Content-Location", "/\u00e9"), ("X-A", "1"), ("x-a", "2")], b"r"),
    authcore.Response(204, [("Set-Cookie", "a=1")]),
    authcore.Response(304, [("Content-Type", "text/html"), ("Expires", "0")]),
    authcore.Response(200, [("content-length", "999"), ("X-A", "1")], b"abc"),
    authcore.Response(500, [("Content-Type", "application/json")], '{"m":"\u00e9"}'.encode()),
    authcore.Response(400, [], b""),
    authcore.Response(200, [("X-Number", 7), ("Set-Cookie", "a=1")], b"{}"),  # type: ignore[list-item]
]


@pytest.mark.parametrize("core", _CORE_ANSWERS, ids=lambda r: str(r.status))
@pytest.mark.parametrize("method", ["GET", "HEAD", "POST"])
@pytest.mark.parametrize("headers_list", [True, False])
def test_the_response_goes_out_as_werkzeugs_own(
    core: authcore.Response, method: str, headers_list: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The adapter's response sends exactly what `Response(body, status, headers)` sends:
    status, every header in order (Set-Cookie one by one, Location and Content-Location as
    URIs, Content-Length last or dropped where HTTP says so), the body (none for HEAD)."""
    from flask import Response as FlaskResponse

    from authcore.adapters import flask as adapter

    monkeypatch.setattr(adapter, "_HEADERS_LIST", headers_list)

    class Plain(FlaskResponse):
        default_mimetype = None

    environ = {"REQUEST_METHOD": method, "SERVER_NAME": "example.com", "SERVER_PORT": "80"}

    def sent(response: FlaskResponse) -> tuple[str, list[tuple[str, str]], bytes]:
        app_iter, status, headers = response.get_wsgi_response(environ)
        return status, headers, b"".join(app_iter)

    expected = sent(Plain(core.body, status=core.status, headers=core.headers))
    assert sent(adapter._flask_response(core)) == expected


def test_a_header_value_with_a_line_break_is_refused_as_werkzeug_refuses_it() -> None:
    from authcore.adapters import flask as adapter

    for value in ("a\r\nX-Injected: 1", "a\nb", "a\rb"):
        with pytest.raises(ValueError, match="newline"):
            adapter._flask_response(authcore.Response(302, [("Location", value)]))


def test_after_request_hooks_see_and_change_the_response(
    idp: MockIdP, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hook's headers go out after the core's (checked by Werkzeug), a Location it sets is
    made a URI, and a session read elsewhere in the request adds its Set-Cookie last."""

    def fake_auth(request: authcore.Request, config: Any) -> authcore.Response:
        return authcore.Response(200, [("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")], b"{}")

    monkeypatch.setattr(authcore, "auth_sync", fake_auth)
    app = make_app(make_config(idp))
    added: list[str] = []

    @app.after_request
    def hook(response: Any) -> Any:
        added.append(response.headers.get("Content-Length"))
        response.headers["X-Frame-Options"] = "DENY"
        if "loc" in request_args():
            response.headers["Location"] = "/caf\u00e9"
        return response

    def request_args() -> Any:
        from flask import request

        return request.args

    client = app.test_client()
    r = client.get("/api/auth/session")
    assert added == ["2"]
    assert list(r.headers.items()) == [
        ("Set-Cookie", "a=1"),
        ("Set-Cookie", "b=2"),
        ("Content-Length", "2"),
        ("X-Frame-Options", "DENY"),
    ]
    assert client.get("/api/auth/session?loc=1").headers["Location"] == "/caf%C3%A9"


def test_trusted_hosts_are_checked_on_every_request(
    idp: MockIdP, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The request URL is cached, the host check is not: a host outside `TRUSTED_HOSTS`
    is refused even right after the same URL was built for a trusted one."""
    seen: list[str] = []

    def fake_auth(request: authcore.Request, config: Any) -> authcore.Response:
        seen.append(request.url)
        return authcore.Response(200, [], b"")

    monkeypatch.setattr(authcore, "auth_sync", fake_auth)
    app = make_app(make_config(idp), TRUSTED_HOSTS=["app.example"])
    client = app.test_client()
    assert client.get("/api/auth/session", headers={"Host": "app.example"}).status_code == 200
    assert client.get("/api/auth/session", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/api/auth/session", headers={"Host": "app.example"}).status_code == 200
    assert seen == ["http://app.example/api/auth/session"] * 2


def test_proxy_fix_decides_the_url_and_client_address(
    idp: MockIdP, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With `ProxyFix`, the core sees the forwarded scheme, host, prefix and client; the
    same path without a proxy in front is the direct URL again (the cache keys on them)."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    seen: list[tuple[str, str | None]] = []

    def fake_auth(request: authcore.Request, config: Any) -> authcore.Response:
        seen.append((request.url, request.client))
        return authcore.Response(200, [], b"")

    monkeypatch.setattr(authcore, "auth_sync", fake_auth)
    app = make_app(make_config(idp))
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_prefix=1)  # type: ignore[method-assign]
    client = app.test_client()
    forwarded = {
        "X-Forwarded-For": "198.51.100.7",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "pub.example",
        "X-Forwarded-Prefix": "/app",
    }
    for headers in (forwarded, {}, forwarded):
        client.get("/api/auth/session?a=%C3%A9", headers=headers)
    proxied = ("https://pub.example/app/api/auth/session?a=\u00e9", "198.51.100.7")
    direct = ("http://localhost/api/auth/session?a=\u00e9", "127.0.0.1")
    assert seen == [proxied, direct, proxied]


def test_head_gets_the_cores_answer_without_its_body(idp: MockIdP) -> None:
    """Flask routes HEAD to the GET view; the core refuses the method (as Auth.js does) and
    the answer goes out with its headers and Content-Length but no body."""
    r = make_app(make_config(idp)).test_client().head("/api/auth/session")
    assert r.status_code == 400
    assert r.get_data() == b""
    assert list(r.headers.items()) == [
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(b'"Bad request."'))),
    ]


def test_a_plain_answer_is_sent_without_a_second_header_check() -> None:
    """What makes the session read cheaper: the headers are not copied (and checked again)
    when the copy would be the same, and a URL already seen comes from the cache."""
    from authcore.adapters import flask as adapter

    out = adapter._flask_response(_CORE_ANSWERS[0])
    assert out.get_wsgi_headers({"REQUEST_METHOD": "GET"}) is out.headers
    redirect = adapter._flask_response(_CORE_ANSWERS[1])
    assert redirect.get_wsgi_headers({"REQUEST_METHOD": "GET"}) is not redirect.headers

    app = Flask(__name__)
    before = adapter._url_of.cache_info().hits
    for _ in range(2):
        with app.test_request_context("/api/auth/session", base_url="http://cached.example"):
            adapter._request_url(adapter._current())
    assert adapter._url_of.cache_info().hits == before + 1
