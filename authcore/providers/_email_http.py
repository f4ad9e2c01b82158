"""Email providers that send through a mail service's HTTP API (Auth.js
`packages/core/src/providers/{resend,sendgrid,postmark,mailgun}.ts`), over the pooled httpx
client of the flow. Any answer but 2xx fails the sign-in, as in Auth.js; the service's answer
is never logged (it can quote the mail)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from .._email_message import EmailContent
from .._flow import Flow, send
from ..errors import ConfigError
from ._email import EmailProvider, VerificationRequest

__all__ = ["EmailAPIError", "HttpEmailProvider"]

_MAX_ANSWER = 64 * 1024


class EmailAPIError(RuntimeError):
    """The mail service answered with an error status."""


@dataclass(frozen=True, kw_only=True)
class HttpEmailProvider(EmailProvider):
    """`api_key` is the service's key; `api_url` its base URL (point it at
    `authcore.testing.MockEmailAPI` in tests); `timeout` bounds the request."""

    api_key: str | None = field(default=None, repr=False)
    api_url: str = ""
    timeout: float = 10.0

    def validate(self) -> None:
        super().validate()
        if self.send_verification_request is None and not self.api_key:
            raise ConfigError(f"Email provider {self.id!r} needs an api_key", option="api_key")

    def build_request(self, to: str, content: EmailContent) -> httpx.Request:
        raise NotImplementedError

    def deliver(self, params: VerificationRequest) -> Flow[None]:
        request = self.build_request(params.identifier, self.content(params))
        response = yield from send(request, max_bytes=_MAX_ANSWER, timeout=self.timeout)
        if not 200 <= response.status_code < 300:
            raise EmailAPIError(f"{self.id} answered {response.status_code}")


def json_request(url: str, headers: dict[str, str], body: Any) -> httpx.Request:
    return httpx.Request("POST", url, headers=headers, json=body)
