"""Email sign-in through Postmark (Auth.js `packages/core/src/providers/postmark.ts`):
`Postmark(api_key=..., from_="login@example.com")`, on the `outbound` message stream."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from .._email_message import EmailContent
from ._email_http import HttpEmailProvider, json_request

__all__ = ["Postmark", "PostmarkProvider"]


@dataclass(frozen=True, kw_only=True)
class PostmarkProvider(HttpEmailProvider):
    id: str = "postmark"
    name: str = "Postmark"
    api_url: str = "https://api.postmarkapp.com"

    def build_request(self, to: str, content: EmailContent) -> httpx.Request:
        body = {
            "From": self.from_,
            "To": to,
            "Subject": content.subject,
            "TextBody": content.text,
            "HtmlBody": content.html,
            "MessageStream": "outbound",
        }
        headers = {"X-Postmark-Server-Token": self.api_key or "", "Accept": "application/json"}
        return json_request(f"{self.api_url}/email", headers, body)


def Postmark(**options: Any) -> PostmarkProvider:
    return PostmarkProvider(**options)
