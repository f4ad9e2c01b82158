"""Email sign-in through Resend (Auth.js `packages/core/src/providers/resend.ts`):
`Resend(api_key=..., from_="login@example.com")`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from .._email_message import EmailContent
from ._email_http import HttpEmailProvider, json_request

__all__ = ["Resend", "ResendProvider"]


@dataclass(frozen=True, kw_only=True)
class ResendProvider(HttpEmailProvider):
    id: str = "resend"
    name: str = "Resend"
    api_url: str = "https://api.resend.com"

    def build_request(self, to: str, content: EmailContent) -> httpx.Request:
        body = {
            "from": self.from_,
            "to": to,
            "subject": content.subject,
            "html": content.html,
            "text": content.text,
        }
        headers = {"Authorization": f"Bearer {self.api_key}"}
        return json_request(f"{self.api_url}/emails", headers, body)


def Resend(**options: Any) -> ResendProvider:
    return ResendProvider(**options)
