"""SMTP delivery for the Nodemailer provider: `smtplib` on the sync path, `aiosmtplib` (the
`authcore[email]` extra) on the async one, chosen by the flow's driver.

Like nodemailer: implicit TLS when `secure` (port 465 by default), otherwise STARTTLS whenever
the server offers it (`require_tls` refuses a server that does not, `ignore_tls` never
upgrades); a refused recipient is a failure. Every step is bounded by `timeout`, so a server
that hangs fails the sign-in instead of holding it open.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP
from typing import Any
from urllib.parse import unquote, urlsplit

from ._email_message import EmailContent
from ._flow import Flow, Split
from .errors import ConfigError

__all__ = ["SmtpServer", "build_message", "parse_server", "smtp_send"]


@dataclass(frozen=True, slots=True)
class SmtpServer:
    host: str
    port: int
    secure: bool = False
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    require_tls: bool = False
    ignore_tls: bool = False
    timeout: float = 10.0
    tls_context: ssl.SSLContext | None = field(default=None, repr=False)

    def context(self) -> ssl.SSLContext:
        return self.tls_context or ssl.create_default_context()


def _flag(value: Any, option: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"server {option} must be True or False", option="server")
    return value


def _from_url(url: str) -> SmtpServer:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ConfigError("server must look like smtp://user:pass@host:587", option="server")
    secure = parts.scheme == "smtps"
    try:
        port = parts.port or (465 if secure else 587)
    except ValueError:
        raise ConfigError("server has an invalid port", option="server") from None
    return SmtpServer(
        host=parts.hostname,
        port=port,
        secure=secure,
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def _from_dict(cfg: Mapping[str, Any]) -> SmtpServer:
    host = cfg.get("host", "localhost")
    if not isinstance(host, str) or not host:
        raise ConfigError("server host must be a non-empty string", option="server")
    secure = _flag(cfg.get("secure", False), "secure")
    port = cfg.get("port", 465 if secure else 587)
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        raise ConfigError("server port must be an integer from 1 to 65535", option="server")
    auth = cfg.get("auth") or {}
    if not isinstance(auth, Mapping):
        raise ConfigError("server auth must be a dict with user and pass", option="server")
    timeout = cfg.get("timeout", 10.0)
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0:
        raise ConfigError("server timeout must be a positive number of seconds", option="server")
    context = cfg.get("tls_context")
    if context is not None and not isinstance(context, ssl.SSLContext):
        raise ConfigError("server tls_context must be an ssl.SSLContext", option="server")
    return SmtpServer(
        host=host,
        port=port,
        secure=secure,
        user=auth.get("user"),
        password=auth.get("pass"),
        require_tls=_flag(cfg.get("require_tls", cfg.get("requireTLS", False)), "require_tls"),
        ignore_tls=_flag(cfg.get("ignore_tls", cfg.get("ignoreTLS", False)), "ignore_tls"),
        timeout=float(timeout),
        tls_context=context,
    )


def parse_server(server: Any) -> SmtpServer:
    """Nodemailer's `server`: a URL or a dict of `host`, `port`, `secure`, `auth`."""
    if isinstance(server, SmtpServer):
        return server
    if isinstance(server, str):
        return _from_url(server)
    if isinstance(server, Mapping):
        return _from_dict(server)
    raise ConfigError("Nodemailer requires a `server` URL or dict", option="server")


def build_message(to: str, from_: str, content: EmailContent) -> EmailMessage:
    """A text + HTML message. The SMTP policy refuses CR or LF in any header value."""
    msg = EmailMessage(policy=SMTP)
    msg["To"] = to
    msg["From"] = from_
    msg["Subject"] = content.subject
    msg.set_content(content.text)
    msg.add_alternative(content.html, subtype="html")
    return msg


def _blocking(server: SmtpServer, msg: EmailMessage, to: str) -> None:
    import smtplib

    cls = smtplib.SMTP_SSL if server.secure else smtplib.SMTP
    kwargs: dict[str, Any] = {"timeout": server.timeout}
    if server.secure:
        kwargs["context"] = server.context()
    with cls(server.host, server.port, **kwargs) as smtp:
        smtp.ehlo()
        if not server.secure and not server.ignore_tls:
            if smtp.has_extn("starttls"):
                smtp.starttls(context=server.context())
                smtp.ehlo()
            elif server.require_tls:
                raise smtplib.SMTPNotSupportedError("the SMTP server does not offer STARTTLS")
        if server.user:
            smtp.login(server.user, server.password or "")
        refused = smtp.send_message(msg, to_addrs=[to])
        if refused:
            raise smtplib.SMTPRecipientsRefused(refused)


async def _async(server: SmtpServer, msg: EmailMessage, to: str) -> None:
    try:
        import aiosmtplib
    except ImportError as exc:
        raise ConfigError(
            "Sending mail from an async app needs aiosmtplib: pip install 'authcore[email]'",
            option="server",
        ) from exc
    start_tls: bool | None = None
    if server.secure or server.ignore_tls:
        start_tls = False
    elif server.require_tls:
        start_tls = True
    refused, _ = await aiosmtplib.send(
        msg,
        recipients=[to],
        hostname=server.host,
        port=server.port,
        use_tls=server.secure,
        start_tls=start_tls,
        username=server.user,
        password=server.password,
        timeout=server.timeout,
        tls_context=server.context(),
    )
    if refused:
        raise aiosmtplib.SMTPRecipientsRefused([])


def smtp_send(server: SmtpServer, msg: EmailMessage, to: str) -> Flow[None]:
    yield Split(lambda: _blocking(server, msg, to), lambda: _async(server, msg, to))
