"""The demo's "Sign in with email": over SMTP when a server is given (`--smtp URL` or
AUTH_EMAIL_SERVER), else into a dev mailbox kept in memory and shown at `/dev/mailbox`, so
the demo needs nothing outside itself. The mailbox page shows sign-in links to whoever can
reach the demo: it exists only for a local run without SMTP."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html import escape

from ..providers._email import EmailProvider, VerificationRequest
from ._html import page

__all__ = ["MAILBOX_PATH", "DevMailbox", "Mail", "email_provider", "mailbox_page"]

MAILBOX_PATH = "/dev/mailbox"
_KEPT = 50


@dataclass(frozen=True, slots=True)
class Mail:
    to: str
    subject: str
    text: str
    link: str = field(repr=False)
    at: datetime


class DevMailbox:
    """The last mails the demo "sent", newest first; `send_verification_request` for the
    email provider when no SMTP server is configured."""

    def __init__(self) -> None:
        self._mails: deque[Mail] = deque(maxlen=_KEPT)
        self._lock = threading.Lock()

    def __call__(self, params: VerificationRequest) -> None:
        content = params.provider.content(params)
        mail = Mail(
            params.identifier, content.subject, content.text, params.url, datetime.now(timezone.utc)
        )
        with self._lock:
            self._mails.appendleft(mail)

    def mails(self) -> list[Mail]:
        with self._lock:
            return list(self._mails)


def email_provider(
    smtp: str | None, env: Mapping[str, str]
) -> tuple[EmailProvider, DevMailbox | None, str]:
    """The provider, the dev mailbox (None when mail goes out over SMTP), and a line for the
    console saying where the mail goes (never the server's password)."""
    from ..providers.nodemailer import Nodemailer

    server = smtp or env.get("AUTH_EMAIL_SERVER") or None
    sender = env.get("AUTH_EMAIL_FROM") or "authcore demo <demo@localhost>"
    if server is not None:
        provider = Nodemailer(id="email", name="Email", server=server, from_=sender)
        smtp_server = provider.smtp()  # a ConfigError for a URL that is no SMTP server
        shown = f"{smtp_server.host}:{smtp_server.port}"
        return provider, None, f"Email sign-in sends mail through {shown} from {sender}."
    mailbox = DevMailbox()
    provider = Nodemailer(id="email", name="Email", from_=sender, send_verification_request=mailbox)
    note = (
        f"Email sign-in: no SMTP server (--smtp URL or AUTH_EMAIL_SERVER), so the mail "
        f"lands in the dev mailbox at {MAILBOX_PATH}."
    )
    return provider, mailbox, note


def mailbox_page(mails: list[Mail]) -> str:
    if mails:
        items = "".join(
            f'<li class="mail"><p><strong class="to">{escape(m.to)}</strong> '
            f"<time>{escape(m.at.strftime('%H:%M:%S'))} UTC</time></p>"
            f"<p>{escape(m.subject)}</p>"
            f'<a class="button primary signin-link" href="{escape(m.link, quote=True)}" '
            'rel="noreferrer">Sign in</a></li>'
            for m in mails
        )
        listing = f'<ul id="mails">{items}</ul>'
    else:
        listing = '<p id="empty">No mail yet: sign in with an email address first.</p>'
    body = (
        "<h1>Dev mailbox</h1><p>The sign-in mails the demo would have sent (no SMTP server is "
        f"configured), newest first.</p>{listing}"
        '<nav><a class="button" href="/">Home</a></nav>'
    )
    return page("Dev mailbox", body)
