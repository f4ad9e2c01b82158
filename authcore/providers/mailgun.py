"""Email sign-in through Mailgun (Auth.js `packages/core/src/providers/mailgun.ts`):
`Mailgun(api_key=..., from_="login@mg.example.com")`; `region="EU"` uses Mailgun's EU API.
The sending domain is the domain of `from_`; the From header is `"<name> <from_>"`."""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

import httpx

from .._email_message import EmailContent
from ..errors import ConfigError
from ._email_http import HttpEmailProvider

__all__ = ["Mailgun", "MailgunProvider"]


@dataclass(frozen=True, kw_only=True)
class MailgunProvider(HttpEmailProvider):
    id: str = "mailgun"
    name: str = "Mailgun"
    region: str | None = None
    api_url: str = ""

    def validate(self) -> None:
        super().validate()
        if self.region not in (None, "EU", "US"):
            raise ConfigError("region must be 'EU', 'US' or None", option="region")
        if "@" not in parseaddr(self.from_)[1]:
            raise ConfigError("from_ must be an address at your Mailgun domain", option="from_")

    def base(self) -> str:
        if self.api_url:
            return self.api_url
        return "https://api.eu.mailgun.net" if self.region == "EU" else "https://api.mailgun.net"

    def build_request(self, to: str, content: EmailContent) -> httpx.Request:
        domain = parseaddr(self.from_)[1].rsplit("@", 1)[1]
        data = {
            "from": f"{self.name} <{self.from_}>",
            "to": to,
            "subject": content.subject,
            "html": content.html,
            "text": content.text,
        }
        return httpx.Request(
            "POST",
            f"{self.base()}/v3/{domain}/messages",
            headers={"Authorization": _basic("api", self.api_key or "")},
            data=data,
        )


def _basic(user: str, password: str) -> str:
    from base64 import b64encode

    return "Basic " + b64encode(f"{user}:{password}".encode()).decode()


def Mailgun(**options: Any) -> MailgunProvider:
    return MailgunProvider(**options)
