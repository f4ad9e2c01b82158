"""Username/password style sign-in handled by your own `authorize` (Auth.js
`src/lib/actions/callback/index.ts`).

`authorize(credentials, request)` gets the whole parsed body (including `csrfToken` and
`callbackUrl`) and the `authcore.Request`; it returns a user dict or None, sync or async.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError, MissingAuthorize
from ._base import Provider, ProviderType

__all__ = ["Credentials"]


@dataclass(frozen=True, kw_only=True)
class Credentials(Provider):
    id: str = "credentials"
    name: str = "Credentials"
    type: ProviderType = "credentials"
    credentials: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    authorize: Callable[..., Any] | None = None

    def validate(self) -> None:
        if not callable(self.authorize):
            raise MissingAuthorize(
                f"Credentials provider {self.id!r} needs an `authorize` function",
                option="authorize",
            )
        if not isinstance(self.credentials, Mapping):
            raise ConfigError("`credentials` must be a dict of fields", option="credentials")
