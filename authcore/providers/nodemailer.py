"""Email sign-in over SMTP (Auth.js `packages/core/src/providers/nodemailer.ts`):
`Nodemailer(server="smtp://user:pass@smtp.example.com:587", from_="Me <me@example.com>")`.

`server` is a URL (`smtp://`, or `smtps://` for implicit TLS) or a dict of `host`, `port`,
`secure`, `auth={"user", "pass"}`, `require_tls`, `ignore_tls`, `timeout`, `tls_context`.
Async apps need `pip install 'authcore[email]'` (aiosmtplib); sync apps use `smtplib`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .._flow import Flow
from .._smtp import SmtpServer, build_message, parse_server, smtp_send
from ..errors import ConfigError
from ._email import EmailProvider, VerificationRequest

__all__ = ["Email", "Nodemailer", "NodemailerProvider"]


@dataclass(frozen=True, kw_only=True)
class NodemailerProvider(EmailProvider):
    id: str = "nodemailer"
    name: str = "Nodemailer"
    server: Any = None

    def validate(self) -> None:
        super().validate()
        if self.server is None and self.send_verification_request is None:
            raise ConfigError("Nodemailer requires a `server` configuration", option="server")
        if self.server is not None:
            parse_server(self.server)

    def smtp(self) -> SmtpServer:
        return parse_server(self.server)

    def deliver(self, params: VerificationRequest) -> Flow[None]:
        msg = build_message(params.identifier, self.from_, self.content(params))
        yield from smtp_send(self.smtp(), msg, params.identifier)


def Nodemailer(**options: Any) -> NodemailerProvider:
    return NodemailerProvider(**options)


def Email(**options: Any) -> NodemailerProvider:
    """Auth.js's older `email` provider: Nodemailer with id and name `email`/`Email`."""
    return NodemailerProvider(**{"id": "email", "name": "Email", **options})
