"""A browser that signs in through the mock IdP (real HTTP) against a config with a store."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from authcore import Response
from authcore.providers.github import GitHub
from authcore.providers.instagram import Instagram
from authcore.providers.oidc import OIDC
from authcore.testing import MockIdP
from tests.security._support import Browser as _Browser
from tests.security._support import Clock

__all__ = ["BASE", "ORIGIN", "SECRET", "SESSION", "Browser", "Clock", "EventLog", "make_config"]

SECRET = "stores-suite-secret-0123456789abcdef-0123"
ORIGIN = "http://localhost:3000"
BASE = f"{ORIGIN}/api/auth"
SESSION = "authjs.session-token"


class EventLog:
    """Records each event with its keyword arguments."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, dict[str, Any]]] = []

    def handlers(self) -> dict[str, Any]:
        names = ("sign_in", "sign_out", "create_user", "update_user", "link_account", "session")
        return {name: self._recorder(name) for name in names}

    def _recorder(self, name: str) -> Any:
        def record(**kwargs: Any) -> None:
            self.seen.append((name, kwargs))

        return record

    def names(self) -> list[str]:
        return [name for name, _ in self.seen]

    def of(self, name: str) -> list[dict[str, Any]]:
        return [kwargs for n, kwargs in self.seen if n == name]


def make_config(idp: MockIdP, store: Any, **extra: Any) -> dict[str, Any]:
    github = GitHub(**idp.provider_options("oauth2"))
    config: dict[str, Any] = {
        "secret": SECRET,
        "env": {},
        "adapter": store,
        "providers": [
            github,
            OIDC(**idp.provider_options("oidc")),
            Instagram(**idp.provider_options("instagram")),
        ],
    }
    config.update(extra)
    return config


class Browser(_Browser):
    def __init__(self, config: Mapping[str, Any]) -> None:
        super().__init__(config, ORIGIN)

    def oauth(self, provider_id: str) -> Response:
        """The whole sign-in: POST signin, the IdP (real HTTP), the callback."""
        with httpx.Client() as client:
            path = self.start_oauth(client, provider_id)
        return self.call("GET", path)

    def session(self) -> Any:
        return self.call("GET", "/session").json()

    def sign_out(self) -> Response:
        return self.call("POST", "/signout", form={"csrfToken": self.csrf(), "callbackUrl": "/"})
