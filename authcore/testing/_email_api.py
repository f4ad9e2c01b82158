"""A local mock of the mail services' HTTP APIs (Resend, SendGrid, Postmark, Mailgun) on
127.0.0.1, for testing email sign-in without sending mail: it checks each service's
authentication and body shape as the real API documents them, keeps what was sent, and can
be told to fail.

    with MockEmailAPI(api_key="k") as api:
        Resend(api_key="k", api_url=api.url, from_="me@example.com")
        ...
        api.sent[-1].link
"""

from __future__ import annotations

import base64
import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

__all__ = ["MockEmailAPI", "SentMail"]

_MAX_BODY = 1024 * 1024


@dataclass(frozen=True)
class SentMail:
    service: str
    to: str
    from_: str
    subject: str
    text: str
    html: str

    @property
    def link(self) -> str:
        """The sign-in link: the second line of the text part."""
        return self.text.splitlines()[1]


@dataclass
class MockEmailAPI:
    """`fail_status` makes every call answer that status (e.g. 500, 429)."""

    api_key: str = "test-api-key"
    fail_status: int | None = None
    sent: list[SentMail] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    def __enter__(self) -> MockEmailAPI:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                if length > _MAX_BODY:
                    self._answer(413, {"message": "too large"})
                    return
                body = self.rfile.read(length)
                status, answer = api._handle(self.path, dict(self.headers.items()), body)
                self._answer(status, answer)

            def _answer(self, status: int, answer: Any) -> None:
                data = b"" if answer is None else json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()

    @property
    def url(self) -> str:
        assert self._server is not None, "use MockEmailAPI as a context manager"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def _refuse(self, reason: str) -> tuple[int, Any]:
        self.refused.append(reason)
        return 401, {"message": reason}

    def _handle(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, Any]:
        h = {k.lower(): v for k, v in headers.items()}
        if self.fail_status is not None:
            return self.fail_status, {"message": "mock failure"}
        try:
            if path == "/emails":
                if h.get("authorization") != f"Bearer {self.api_key}":
                    return self._refuse("resend: bad key")
                j = json.loads(body)
                mail = SentMail("resend", j["to"], j["from"], j["subject"], j["text"], j["html"])
                answer: tuple[int, Any] = (200, {"id": str(uuid.uuid4())})
            elif path == "/v3/mail/send":
                if h.get("authorization") != f"Bearer {self.api_key}":
                    return self._refuse("sendgrid: bad key")
                j = json.loads(body)
                parts = {c["type"]: c["value"] for c in j["content"]}
                [to] = j["personalizations"][0]["to"]
                mail = SentMail(
                    "sendgrid",
                    to["email"],
                    j["from"]["email"],
                    j["subject"],
                    parts["text/plain"],
                    parts["text/html"],
                )
                answer = (202, None)
            elif path == "/email":
                if h.get("x-postmark-server-token") != self.api_key:
                    return self._refuse("postmark: bad token")
                j = json.loads(body)
                if j.get("MessageStream") != "outbound":
                    return 422, {"ErrorCode": 1235, "Message": "unknown stream"}
                mail = SentMail(
                    "postmark", j["To"], j["From"], j["Subject"], j["TextBody"], j["HtmlBody"]
                )
                answer = (200, {"ErrorCode": 0, "Message": "OK", "MessageID": str(uuid.uuid4())})
            elif re.fullmatch(r"/v3/[A-Za-z0-9.-]+/messages", path):
                expected = base64.b64encode(f"api:{self.api_key}".encode()).decode()
                if h.get("authorization") != f"Basic {expected}":
                    return self._refuse("mailgun: bad key")
                form = {k: v[0] for k, v in parse_qs(body.decode(), strict_parsing=True).items()}
                mail = SentMail(
                    "mailgun", form["to"], form["from"], form["subject"], form["text"], form["html"]
                )
                answer = (200, {"id": f"<{uuid.uuid4()}@mock>", "message": "Queued. Thank you."})
            else:
                return 404, {"message": "unknown endpoint"}
        except (ValueError, KeyError, TypeError):
            return 400, {"message": "malformed request"}
        self.sent.append(mail)
        return answer
