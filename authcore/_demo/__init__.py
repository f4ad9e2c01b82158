"""`authcore demo`: a small app on the standard library's HTTP server, so it runs with only
the runtime dependencies installed. Signs in with the built-in mock Instagram (in-process,
with a consent page) or, when AUTH_INSTAGRAM_ID / AUTH_INSTAGRAM_SECRET are set, the real one;
and with email, the mail going to a dev mailbox page unless an SMTP server is given.
Users are kept in a store (SQLite next to where it runs when SQLAlchemy is installed, else in
memory) and listed on the home page.
"""

from __future__ import annotations

import secrets
import ssl
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

import authcore
from authcore._normalise import normalise

from .._devcert import DEFAULT_DIR, ensure_dev_cert
from ..adapters._common import signin_redirect
from ._html import home_page, not_found_page, protected_page
from ._mailbox import MAILBOX_PATH, DevMailbox, email_provider, mailbox_page

__all__ = ["DemoApp", "DemoServer", "make_demo"]

_MAX_BODY = 1 << 20


@dataclass
class DemoApp:
    """The demo as a function of `authcore.Request` → `authcore.Response` (no server)."""

    config: dict[str, Any]
    origin: str
    idp_note: str
    store_note: str = ""
    mailbox: DevMailbox | None = None  # the dev mailbox, when no SMTP server is configured
    base: str = field(init=False)

    def __post_init__(self) -> None:
        self.base = normalise(self.config).base_path

    def handle(self, request: authcore.Request) -> authcore.Response:
        url = urlsplit(request.url)
        if url.path == self.base or url.path.startswith(self.base + "/"):
            return authcore.auth_sync(request, self.config)
        if request.method not in ("GET", "HEAD"):
            return _html(405, not_found_page())
        if url.path == "/":
            session = authcore.get_session(request, self.config)
            page = home_page(
                session,
                base=self.base,
                idp_note=self.idp_note,
                stored=self.stored_users(),
                store_note=self.store_note,
                mailbox_path=MAILBOX_PATH if self.mailbox is not None else None,
            )
            return _html(200, page)
        if url.path == MAILBOX_PATH and self.mailbox is not None:
            return _html(200, mailbox_page(self.mailbox.mails()))
        if url.path == "/protected":
            session = authcore.get_session(request, self.config)
            if session is None:
                target = signin_redirect(self.base, "/protected")
                return authcore.Response(303, [("Location", target)], b"")
            return _html(200, protected_page(session, base=self.base))
        return _html(404, not_found_page())

    def stored_users(self) -> list[tuple[dict[str, Any], list[str]]] | None:
        """Who is in the store (None when it cannot be read)."""
        store = self.config.get("adapter")
        try:
            return [(dict(u), p) for u, p in store.users()] if store is not None else None
        except Exception:
            return None


def open_store(database: str | None) -> tuple[Any, str]:
    """The demo's store and a line saying where users are kept."""
    if database is None:
        from authcore.stores.memory import MemoryStore

        return MemoryStore(), "Users are kept in memory for this run."
    from authcore.stores.sqlalchemy import SQLAlchemyStore

    store = SQLAlchemyStore(database)
    store.create_all()
    where = store.engine.url.render_as_string(hide_password=True)
    return store, f"Users are kept in {where}."


def _html(status: int, page: str) -> authcore.Response:
    headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Cache-Control", "no-store"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Frame-Options", "DENY"),
        (
            "Content-Security-Policy",
            "default-src 'none'; img-src http: https: data:; "
            "style-src 'unsafe-inline'; frame-ancestors 'none'",
        ),
    ]
    return authcore.Response(status, headers, page.encode())


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def _serve(self) -> None:
        app = self.server.app
        host = self.headers.get("Host", "")
        canonical = urlsplit(app.origin).netloc
        if host != canonical and self.command in ("GET", "HEAD"):
            # One host name only: cookies set on 127.0.0.1 are not sent to localhost.
            self._send(authcore.Response(307, [("Location", app.origin + self.path)], b""))
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_BODY:
            self._send(authcore.Response(413, [("Content-Type", "text/plain")], b"Too large"))
            return
        body = self.rfile.read(length) if length > 0 else b""
        request = authcore.Request(
            self.command, app.origin + self.path, self.headers.items(), body, self.client_address[0]
        )
        self._send(app.handle(request))

    def _send(self, response: authcore.Response) -> None:
        self.send_response(response.status)
        for name, value in response.headers:
            if name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_HEAD = do_POST = _serve

    def log_message(self, format: str, *args: Any) -> None:
        # The path only: a callback query carries the authorization code.
        self.server.log(f"{self.command} {self.path.split('?', 1)[0]}")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    app: DemoApp
    log: Callable[[str], None]
    tls: ssl.SSLContext | None = None

    def finish_request(self, request: Any, client_address: Any) -> None:
        # The TLS handshake runs in the connection's own thread, never in the accept loop.
        if self.tls is not None:
            try:
                request = self.tls.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return  # e.g. a browser refusing the self-signed certificate
        super().finish_request(request, client_address)

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if not isinstance(exc, (ConnectionError, ssl.SSLError, TimeoutError)):
            self.log(f"error: {type(exc).__name__}")


@dataclass
class DemoServer:
    httpd: _Server
    app: DemoApp
    idp: Any  # authcore.testing.MockIdP | None
    notices: list[str]
    _thread: threading.Thread | None = None

    @property
    def origin(self) -> str:
        return self.app.origin

    def serve_in_thread(self) -> threading.Thread:
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, daemon=True, name="authcore-demo"
        )
        self._thread.start()
        return self._thread

    def close(self) -> None:
        if self._thread is not None:  # shutdown() waits for serve_forever: only if it runs
            self.httpd.shutdown()
            self._thread.join()
        self.httpd.server_close()
        if self.idp is not None:
            self.idp.stop()


def make_demo(
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    https: bool = False,
    env: Mapping[str, str],
    cert_dir: Path | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    log: Callable[[str], None] = lambda line: None,
    database: str | None = None,
    smtp: str | None = None,
) -> DemoServer:
    """Bind the server (port 0 picks one) and start the mock IdP unless real credentials are
    set. Users go to the store at `database` (a SQLAlchemy URL; None: memory); sign-in mail
    goes to `smtp` (or AUTH_EMAIL_SERVER), else to the dev mailbox. The caller serves it."""
    from authcore.providers.instagram import Instagram

    httpd = _Server((host, port), _Handler)
    httpd.log = log
    bound = httpd.server_address[1]
    public_host = "localhost" if https and host in ("127.0.0.1", "localhost") else host
    origin = f"{'https' if https else 'http'}://{public_host}:{bound}"
    notices: list[str] = []
    if https:
        cert, key = ensure_dev_cert(cert_dir or Path(DEFAULT_DIR), now())
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        httpd.tls = context
        notices.append(
            f"https: self-signed certificate from {cert.parent}/ (your browser will warn once)"
        )

    idp = None
    if env.get("AUTH_INSTAGRAM_ID") and env.get("AUTH_INSTAGRAM_SECRET"):
        provider = Instagram(
            client_id=env["AUTH_INSTAGRAM_ID"], client_secret=env["AUTH_INSTAGRAM_SECRET"]
        )
        note = "Signing in with the real Instagram (AUTH_INSTAGRAM_ID is set)."
        if not https:
            notices.append(
                "Instagram accepts only https redirect URIs: run `authcore demo --https`."
            )
    elif env.get("AUTH_MOCK_IDP_URL"):  # a running `authcore mock-idp`
        provider = Instagram()
        note = f"Signing in with the mock Instagram at {env['AUTH_MOCK_IDP_URL']}."
    else:
        from authcore.testing import MockIdP

        idp = MockIdP(auto_approve=False).start()
        env = {**env, "AUTH_MOCK_IDP_URL": idp.url}  # points the provider at it
        provider = Instagram()
        note = (
            "Signing in with the built-in mock Instagram (AUTH_INSTAGRAM_ID/_SECRET: the real one)."
        )
        notices.append(f"Mock Instagram running at {idp.url}")

    email, mailbox, email_note = email_provider(smtp, env)
    notices.append(email_note)
    if mailbox is not None and host not in ("127.0.0.1", "localhost", "::1"):
        notices.append(
            f"Warning: anyone who can reach {origin} can read the sign-in links in the dev "
            "mailbox; bind to 127.0.0.1 or give --smtp."
        )
    config: dict[str, Any] = {"providers": [provider, email], "url": origin, "env": dict(env)}
    store_note = ""
    if not env.get("AUTH_SECRET"):
        config["secret"] = secrets.token_urlsafe(32)
        notices.append(
            "AUTH_SECRET is not set: using a random one for this run (see `authcore secret`)."
        )
    try:
        config["adapter"], store_note = open_store(database)
        notices.append(store_note)
        authcore.validate_config(config)
        app = DemoApp(config, origin, note, store_note, mailbox)
    except Exception:
        httpd.server_close()
        if idp is not None:
            idp.stop()
        raise
    httpd.app = app
    if idp is None:
        callback = f"{origin}{app.base}/callback/instagram"
        notices.append(f"Register this OAuth redirect URI with Meta: {callback}")
    return DemoServer(httpd, app, idp, notices)


DEFAULT_DATABASE = "sqlite:///authcore-demo.db"


def default_database(out: TextIO) -> str | None:
    """SQLite in the current directory when SQLAlchemy is installed, else memory."""
    try:
        import sqlalchemy  # noqa: F401
    except ImportError:
        print(
            "SQLAlchemy is not installed (pip install 'authcore[sqlalchemy]'): users are kept "
            "in memory.",
            file=out,
        )
        return None
    return DEFAULT_DATABASE


def run(
    host: str,
    port: int,
    https: bool,
    env: Mapping[str, str],
    out: TextIO = sys.stdout,
    *,
    database: str | None = None,
    smtp: str | None = None,
) -> int:
    """The `authcore demo` command: serve until Ctrl-C."""
    demo = make_demo(
        host=host,
        port=port,
        https=https,
        env=env,
        log=lambda line: print(line, file=out),
        database=database if database is not None else default_database(out),
        smtp=smtp,
    )
    for notice in demo.notices:
        print(notice, file=out)
    print(f"authcore demo on {demo.origin}/  (Ctrl-C to stop)", file=out, flush=True)
    try:
        demo.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        demo.close()
    return 0
