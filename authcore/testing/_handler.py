"""The stdlib request handler: parse (bounded), record, dispatch, answer. Never a traceback."""

from __future__ import annotations

import traceback
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from ._jws import dumps
from ._models import RecordedRequest
from ._reply import Reply, json_reply

if TYPE_CHECKING:
    from ._server import MockIdP

__all__ = ["MAX_BODY", "Handler"]

MAX_BODY = 1024 * 1024
MAX_FIELDS = 200


class BadRequest(Exception):
    def __init__(self, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.status = status


class Handler(BaseHTTPRequestHandler):
    server_version = "authcore-mock-idp"
    sys_version = ""
    timeout = 30  # an idle or stalled client gives its thread back
    default_request_version = "HTTP/1.0"  # no HTTP/0.9: every answer has a status line

    @property
    def idp(self) -> MockIdP:
        idp: MockIdP = self.server.idp  # type: ignore[attr-defined]
        return idp

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_OPTIONS(self) -> None:
        self._serve()

    def _serve(self) -> None:
        idp = self.idp
        try:
            req = self._parse()
        except BadRequest as exc:
            self.close_connection = True
            self._send(
                json_reply({"error": "invalid_request", "error_description": str(exc)}, exc.status)
            )
            return
        idp._record(req)
        try:
            reply = idp.dispatch(req)
        except Exception as exc:  # a bug in the mock: answer, remember, go on
            idp._record_error("".join(traceback.format_exception_only(type(exc), exc)).strip())
            reply = json_reply({"error": "server_error", "error_description": "mock IdP bug"}, 500)
        idp._wait(reply.delay)
        self._send(reply)

    def _parse(self) -> RecordedRequest:
        parts = urlsplit(self.path)
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        body = self._read_body(headers)
        form: list[tuple[str, str]] = []
        ctype = headers.get("content-type", "").split(";")[0].strip().lower()
        if body and ctype == "application/x-www-form-urlencoded":
            form = _qsl(_text(body))
        elif body and ctype == "multipart/form-data":
            form = _multipart(headers["content-type"], body)
        return RecordedRequest(
            method=self.command,
            path=parts.path or "/",
            raw_query=parts.query,
            query_pairs=tuple(_qsl(parts.query)),
            headers=headers,
            body=body,
            form_pairs=tuple(form),
        )

    def _read_body(self, headers: dict[str, str]) -> bytes:
        if "transfer-encoding" in headers:
            raise BadRequest("send a Content-Length; chunked bodies are not accepted", 411)
        raw = headers.get("content-length", "0").strip()
        if not raw.isdigit():
            raise BadRequest("invalid Content-Length")
        length = int(raw)
        if length > MAX_BODY:
            raise BadRequest(f"body larger than {MAX_BODY} bytes", 413)
        body = self.rfile.read(length) if length else b""
        if len(body) != length:
            raise BadRequest("body shorter than Content-Length")
        return body

    def _send(self, reply: Reply) -> None:
        try:
            self.send_response(reply.status)
            for name, value in reply.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(reply.body)
        except (ConnectionError, TimeoutError):
            self.close_connection = True  # the client gave up (e.g. its timeout beat our delay)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Malformed request lines/headers: JSON instead of http.server's HTML page."""
        self.close_connection = True
        body = dumps({"error": "invalid_request", "error_description": message or "bad request"})
        try:
            self.send_response(code, message)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD" and code >= 200 and code not in (204, 304):
                self.wfile.write(body)
        except (ConnectionError, TimeoutError):
            pass

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """One line per request without the query string: it may carry tokens."""
        log = self.idp.log
        if log is not None:
            path = urlsplit(self.path).path if hasattr(self, "path") else "-"
            log(f"{self.command} {path} {code}")

    def log_message(self, format: str, *args: Any) -> None:
        pass  # silent: tests read idp.requests, the CLI logs through log_request


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("body is not UTF-8") from None


def _qsl(query: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(query, keep_blank_values=True, max_num_fields=MAX_FIELDS, errors="strict")
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("malformed or too many parameters") from None


def _multipart(content_type: str, body: bytes) -> list[tuple[str, str]]:
    """multipart/form-data, as Meta's curl samples send (`curl -F`)."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    msg = BytesParser(policy=HTTP).parsebytes(head + body)
    if not msg.is_multipart():
        raise BadRequest("malformed multipart body")
    out: list[tuple[str, str]] = []
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if not isinstance(name, str) or not isinstance(payload, bytes):
            raise BadRequest("malformed multipart field")
        out.append((name, _text(payload)))
        if len(out) > MAX_FIELDS:
            raise BadRequest("too many fields")
    return out
