"""`MockIdP`: a real identity provider over HTTP on loopback, for tests and demos.

Over 400 lines because `MockIdP` is the whole public face of the mock (clients, users,
faults, flavours, the server's lifecycle) in one class; the protocol lives in the flavour
modules.
"""

from __future__ import annotations

import contextlib
import re
import socket
import socketserver
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from http.server import ThreadingHTTPServer
from types import TracebackType
from typing import Any, get_args

from . import _instagram, _oauth2, _oidc, _scripted
from ._faults import Faults, fault_names
from ._handler import Handler
from ._jws import SigningKeys
from ._models import (
    ClientAuth,
    Flavour,
    IdTokenAlg,
    InstagramTokenShape,
    InstagramUser,
    MockClient,
    OAuth2User,
    OIDCUser,
    RecordedRequest,
)
from ._reply import Reply, Route, apply_body_fault, json_reply, redirect
from ._scripted import Scripted
from ._store import Store

__all__ = ["MockIdP"]

MAX_RECORDED = 10_000
_CODE_LIFETIME: dict[str, float] = {
    "instagram": 3600.0,
    "oauth2": 600.0,
    "oidc": 600.0,
    "scripted": 600.0,
}
_AVATAR = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" '
    b'fill="#c13584"/><circle cx="32" cy="26" r="12" fill="#fff"/><rect x="14" y="42" width="36" '
    b'height="16" rx="8" fill="#fff"/></svg>'
)


# The Graph API's rate-limit answer (https://developers.facebook.com/docs/graph-api/overview/rate-limiting)
RATE_LIMITED = {
    "error": {
        "message": "(#4) Application request limit reached",
        "type": "OAuthException",
        "is_transient": True,
        "code": 4,
        "fbtrace_id": "Amock-rate-limited",
    }
}


class MockIdP:
    """An OAuth 2.0 / OpenID Connect identity provider on 127.0.0.1 with four flavours under
    path prefixes: `/instagram` (Instagram Login, quirks included), `/oauth2` (GitHub-like),
    `/oidc` (OpenID Connect) and `/scripted` (bodies given by the test, see `Scripted`).
    Use it as a context manager or call `start()` / `stop()`.

    Everything a test may change between requests (faults, users, token shape, ...) is a plain
    attribute; `reset()` restores the constructor's values and forgets codes, tokens and the
    recorded requests.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        client_id: str = "mock-client-id",
        client_secret: str = "mock-client-secret",
        redirect_uris: tuple[str, ...] | None = None,
        auto_approve: bool = True,
        instagram_user: InstagramUser | None = None,
        oauth2_user: OAuth2User | None = None,
        oidc_user: OIDCUser | None = None,
        instagram_token_shape: InstagramTokenShape = "flat",
        oidc_alg: IdTokenAlg = "RS256",
        oidc_token_auth_methods: tuple[str, ...] = ("client_secret_basic", "client_secret_post"),
        code_lifetime: float | None = None,
        replayable_codes: bool = False,
        instagram_refresh_min_age: float = 86400.0,
        now: Callable[[], float] = time.time,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.client_id = client_id
        self.client_secret = client_secret
        self.log = log
        self._defaults: dict[str, Any] = {
            "auto_approve": auto_approve,
            "instagram_user": instagram_user or InstagramUser(),
            "oauth2_user": oauth2_user or OAuth2User(),
            "oidc_user": oidc_user or OIDCUser(),
            "instagram_token_shape": instagram_token_shape,
            "oidc_alg": oidc_alg,
            "oidc_token_auth_methods": oidc_token_auth_methods,
            "code_lifetime": code_lifetime,
            "replayable_codes": replayable_codes,
            "instagram_refresh_min_age": instagram_refresh_min_age,
            "now": now,
        }
        self._default_client = MockClient(client_id, client_secret, redirect_uris)
        self._lock = threading.Lock()
        self._requests: deque[RecordedRequest] = deque(maxlen=MAX_RECORDED)
        self._errors: list[str] = []
        self._store = Store()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self.keys = SigningKeys()
        self._routes = [
            (re.compile(r.pattern), r)
            for r in (
                *_instagram.ROUTES,
                *_oauth2.ROUTES,
                *_oidc.ROUTES,
                *_scripted.ROUTES,
                *_COMMON_ROUTES,
            )
        ]
        # Attributes set by reset(), declared for the type checker.
        self.auto_approve: bool
        self.instagram_user: InstagramUser
        self.oauth2_user: OAuth2User
        self.oidc_user: OIDCUser
        self.code_lifetime: float | None
        # Load testing only: a code may be redeemed again (each time for the same token), so a
        # fixed callback request can be replayed; a real IdP refuses (RFC 6749 §4.1.2).
        self.replayable_codes: bool
        self.instagram_refresh_min_age: float
        # Client authentication the OIDC token endpoint accepts, as its discovery lists it.
        self.oidc_token_auth_methods: tuple[str, ...]
        self.now: Callable[[], float]
        self.faults: Faults
        self.scripted: Scripted
        self._clients: dict[str, MockClient]
        self._token_shape: InstagramTokenShape
        self._oidc_alg: IdTokenAlg
        self.reset()

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> MockIdP:
        if self._server is not None:
            return self
        self._stopping = threading.Event()
        server_cls = _Server6 if ":" in self.host else _Server
        server = server_cls((self.host, self.port), Handler)
        server.idp = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
            name=f"authcore-mock-idp:{self.bound_port}",
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; slow (delayed) answers in flight are cut short."""
        server, thread = self._server, self._thread
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> MockIdP:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def bound_port(self) -> int:
        if self._server is None:
            raise RuntimeError("MockIdP is not running: call start() or use `with MockIdP()`")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """Base URL, e.g. `http://127.0.0.1:54321` (no trailing slash)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.bound_port}"

    @property
    def issuer(self) -> str:
        return f"{self.url}/oidc"

    # -- configuration ---------------------------------------------------------------------

    def reset(self) -> None:
        """Back to the constructor's settings: faults off, default users and clients, codes,
        tokens, recorded requests and server errors forgotten. Signing keys are kept (a
        rotated key stays rotated); spare keys leave the JWKS."""
        for name, value in self._defaults.items():
            setattr(self, name, value)
        self.scripted = Scripted()
        self.faults = Faults()
        self.keys.drop_spare_keys()
        # Sent as Apple's `user` form field (JSON) on the first form_post answer per client
        # and user; None: never.
        self.form_post_user: dict[str, Any] | None = None
        # Multi-tenant OIDC like Microsoft's: with a tenant id set, `/oidc/common` publishes
        # the issuer `.../oidc/{tenantid}` and ID tokens name `.../oidc/<tenant>` (`tid`).
        self.tenant: str | None = None
        self._clients = {self._default_client.client_id: self._default_client}
        self._store.clear()
        with self._lock:
            self._requests.clear()
            self._errors.clear()

    @property
    def instagram_token_shape(self) -> InstagramTokenShape:
        """Shape of the code-exchange answer: see `InstagramTokenShape` / docs/testing.md."""
        return self._token_shape

    @instagram_token_shape.setter
    def instagram_token_shape(self, value: InstagramTokenShape) -> None:
        if value not in get_args(InstagramTokenShape):
            raise ValueError(
                f"instagram_token_shape must be one of {get_args(InstagramTokenShape)}"
            )
        self._token_shape = value

    @property
    def oidc_alg(self) -> IdTokenAlg:
        return self._oidc_alg

    @oidc_alg.setter
    def oidc_alg(self, value: IdTokenAlg) -> None:
        if value not in get_args(IdTokenAlg):
            raise ValueError(f"oidc_alg must be one of {get_args(IdTokenAlg)}")
        self._oidc_alg = value

    def misbehave(self, **switches: Any) -> None:
        """Set several `Faults` at once: `idp.misbehave(token_status=500, token_delay=1.0)`."""
        unknown = set(switches) - fault_names()
        if unknown:
            raise AttributeError(f"unknown fault switch(es): {sorted(unknown)}")
        for name, value in switches.items():
            setattr(self.faults, name, value)

    def add_client(
        self,
        client_id: str,
        client_secret: str = "",
        redirect_uris: tuple[str, ...] | None = None,
        *,
        auth_method: ClientAuth | None = None,
        public_key: Any = None,
    ) -> MockClient:
        """Register a client. `auth_method` pins its token-endpoint authentication (`none`
        for a public client); `public_key` (a `cryptography` public key) checks its
        `private_key_jwt` assertions."""
        client = MockClient(client_id, client_secret, redirect_uris, auth_method, public_key)
        self._clients[client_id] = client
        return client

    def client(self, client_id: str) -> MockClient | None:
        return self._clients.get(client_id)

    def provider_options(self, flavour: Flavour) -> dict[str, str]:
        """Keyword arguments for authcore's provider classes, pointed at this server."""
        base = {"client_id": self.client_id, "client_secret": self.client_secret}
        if flavour == "instagram":
            root = f"{self.url}/instagram"
            return {
                **base,
                "authorization": f"{root}/oauth/authorize",
                "token": f"{root}/oauth/access_token",
                "userinfo": f"{root}/graph/me",
                "graph_url": f"{root}/graph",
            }
        if flavour == "oauth2":
            root = f"{self.url}/oauth2"
            return {
                **base,
                "authorization": f"{root}/authorize",
                "token": f"{root}/token",
                "userinfo": f"{root}/userinfo",
                "emails": f"{root}/user/emails",
            }
        if flavour == "oidc":
            return {**base, "issuer": self.issuer}
        if flavour == "scripted":
            root = f"{self.url}/scripted"
            return {
                **base,
                "authorization": f"{root}/authorize",
                "token": f"{root}/token",
                "userinfo": f"{root}/userinfo",
                "issuer": root,
            }
        raise ValueError(f"unknown flavour {flavour!r}: use instagram, oauth2, oidc or scripted")

    def jwks(self) -> dict[str, Any]:
        """The public keys served at `/oidc/jwks`."""
        return self.keys.jwks()

    # -- what happened ---------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received since the last `reset()` (oldest first, at most 10 000)."""
        with self._lock:
            return list(self._requests)

    def requests_to(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == path]

    @property
    def server_errors(self) -> list[str]:
        """Unexpected exceptions inside the mock (each answered with a 500). Should stay empty."""
        with self._lock:
            return list(self._errors)

    # -- used by the flavour modules -------------------------------------------------------

    def user(self, flavour: Flavour) -> InstagramUser | OAuth2User | OIDCUser:
        if flavour == "instagram":
            return self.instagram_user
        return self.oauth2_user if flavour == "oauth2" else self.oidc_user

    def picture_url(self, user: InstagramUser | OAuth2User | OIDCUser) -> str:
        own = (
            user.profile_picture_url
            if isinstance(user, InstagramUser)
            else user.avatar_url
            if isinstance(user, OAuth2User)
            else user.picture
        )
        return own or f"{self.url}/static/avatar.svg"

    def code_lifetime_for(self, flavour: Flavour) -> float:
        return self.code_lifetime if self.code_lifetime is not None else _CODE_LIFETIME[flavour]

    def _record(self, req: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(req)

    def _record_error(self, text: str) -> None:
        with self._lock:
            self._errors.append(text)

    def _wait(self, seconds: float) -> None:
        """A delay that ends early when the server stops."""
        if seconds > 0:
            self._stopping.wait(seconds)

    def dispatch(self, req: RecordedRequest) -> Reply:
        allowed: set[str] = set()
        for pattern, route in self._routes:
            if not pattern.fullmatch(req.path):
                continue
            methods = route.methods.split()
            if req.method not in methods:
                allowed.update(methods)
                continue
            return self._with_faults(route, route.handler(self, req))
        if allowed:
            reply = json_reply({"error": "method_not_allowed"}, 405)
            return reply.with_header("Allow", ", ".join(sorted(allowed)))
        return json_reply({"error": "not_found", "error_description": "no such endpoint"}, 404)

    def _with_faults(self, route: Route, reply: Reply) -> Reply:
        group = route.group
        if group is None:
            return reply
        f = self.faults
        status = f.status(group)
        if status is not None:
            error = route.fault_error or {"error": "server_error"}
            reply = replace(reply, status=status)
            if status >= 400:
                reply = replace(json_reply(error, status), headers=reply.headers)
        if group == "exchange" and f.exchange_rate_limited:
            reply = json_reply(RATE_LIMITED, 400)
        body = f.body(group)
        if body is not None:
            reply = apply_body_fault(reply, body)
        if f.content_type is not None:
            reply = reply.with_header("Content-Type", f.content_type)
        if group == "token" and f.token_redirect:
            reply = redirect(f"{self.url}/redirected/token")
        return replace(reply, delay=f.delay(group))


def _index(idp: MockIdP, req: RecordedRequest) -> Reply:
    flavours = {
        name: {k: v for k, v in idp.provider_options(name).items() if k != "client_secret"}
        for name in get_args(Flavour)
    }
    return json_reply({"mock_idp": "authcore.testing", "flavours": flavours})


def _avatar(idp: MockIdP, req: RecordedRequest) -> Reply:
    return Reply(
        200, _AVATAR, [("Content-Type", "image/svg+xml"), ("Cache-Control", "max-age=3600")]
    )


def _redirected(idp: MockIdP, req: RecordedRequest) -> Reply:
    """Where `faults.token_redirect` points: a client that follows a token-endpoint redirect
    lands here (visible in `idp.requests`) and gets a token that works nowhere."""
    return json_reply({"access_token": "followed-a-redirect", "token_type": "bearer"})


_COMMON_ROUTES = [
    Route("GET", r"/", _index),
    Route("GET", r"/static/avatar\.svg", _avatar),
    Route("GET POST", r"/redirected/token", _redirected),
]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # socketserver's 5 drops connections under concurrent sign-ins
    block_on_close = False  # stop() must not wait for slow answers or idle connections
    idp: MockIdP

    def server_bind(self) -> None:
        # HTTPServer.server_bind does a reverse DNS lookup (getfqdn); skip it.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError, socket.timeout)):
            return  # the client went away; nothing to report
        with contextlib.suppress(Exception):
            self.idp._record_error(f"{type(exc).__name__}: {exc}")


class _Server6(_Server):
    address_family = socket.AF_INET6
