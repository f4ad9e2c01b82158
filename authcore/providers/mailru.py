"""Mail.ru: OAuth 2 with scope `userinfo`; the user from `/userinfo` read with the standard
mapping (`id`, `name`, `email`)."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Mailru"]


def Mailru(**options: Any) -> OAuthProvider:
    """`Mailru(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="mailru",
        name="Mail.ru",
        authorization=Endpoint("https://oauth.mail.ru/login", (("scope", "userinfo"),)),
        token=Endpoint("https://oauth.mail.ru/token"),
        userinfo=Endpoint("https://oauth.mail.ru/userinfo"),
    )
    return build_provider(defaults, options)
