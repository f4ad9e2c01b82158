"""Email sign-in through SendGrid (Auth.js `packages/core/src/providers/sendgrid.ts`):
`SendGrid(api_key=..., from_="login@example.com")`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from .._email_message import EmailContent
from ._email_http import HttpEmailProvider, json_request

__all__ = ["SendGrid", "SendGridProvider"]


@dataclass(frozen=True, kw_only=True)
class SendGridProvider(HttpEmailProvider):
    id: str = "sendgrid"
    name: str = "SendGrid"
    api_url: str = "https://api.sendgrid.com"

    def build_request(self, to: str, content: EmailContent) -> httpx.Request:
        body = {
            "personalizations": [{"to": [{"email": to}]}],
            "from": {"email": self.from_},
            "subject": content.subject,
            "content": [
                {"type": "text/plain", "value": content.text},
                {"type": "text/html", "value": content.html},
            ],
        }
        headers = {"Authorization": f"Bearer {self.api_key}"}
        return json_request(f"{self.api_url}/v3/mail/send", headers, body)


def SendGrid(**options: Any) -> SendGridProvider:
    return SendGridProvider(**options)
