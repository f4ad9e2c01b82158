"""LINE: OpenID Connect (LINE Login v2.1) whose ID token is signed with HS256 keyed by the
channel secret.

authcore refuses HMAC-signed ID tokens by default (a shared-secret signature checked
against a published key is the classic key confusion); this provider opts in through
`id_token_hmac_key()`, so its ID token is checked with the client secret and only with
HS256. Auth.js checks the state only; authcore also sends and checks a `nonce`, as for
every OpenID Connect provider. LINE gives the address only to channels granted the email
permission.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .oauth import OIDCProvider, build_provider

__all__ = ["LINE", "LINEProvider"]

REGISTER_URL = "https://developers.line.biz/console/"


@dataclass(frozen=True, kw_only=True)
class LINEProvider(OIDCProvider):
    def id_token_hmac_key(self) -> bytes | None:
        """LINE Login signs web logins' ID tokens with the channel secret."""
        return self.client_secret.encode("utf-8") if self.client_secret else None


def LINE(**options: Any) -> LINEProvider:
    """`LINE(client_id=<channel id>, client_secret=<channel secret>)`; scope
    `openid profile email` by default."""
    defaults = LINEProvider(
        id="line",
        name="LINE",
        issuer="https://access.line.me",
        id_token_signed_response_alg="HS256",
        checks=("state", "nonce"),
        style={"bg": "#00C300", "text": "#fff"},
    )
    return build_provider(defaults, options)
