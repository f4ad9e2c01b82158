"""Providers whose URLs depend on the customer's tenant, realm, domain or instance.

Two shapes: an OpenID issuer spelled from parts (`Keycloak(base_url=..., realm=...)`) with
`issuer_from_parts`, and OAuth 2 endpoints under a per-instance issuer (Mastodon, WorkOS)
with `InstanceProvider`, which also resolves an issuer that arrives late from
`AUTH_<ID>_ISSUER`."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError
from .oauth import Endpoint, OAuthProvider

__all__ = ["InstanceProvider", "issuer_from_parts"]


def issuer_from_parts(
    provider_id: str, options: Mapping[str, Any], template: str, parts: tuple[str, ...]
) -> dict[str, Any]:
    """`options` without `parts`, and `issuer` spelled from them by `template` when they are
    all given (an explicit `issuer` wins; some but not all parts is a `ConfigError`)."""
    opts = dict(options)
    given = {name: opts.pop(name) for name in parts if opts.get(name) is not None}
    for name in parts:
        opts.pop(name, None)
    if not given:
        return opts
    missing = [name for name in parts if name not in given]
    if missing:
        raise ConfigError(
            f"provider {provider_id!r}: give {', '.join(parts)} together (missing {missing})",
            option=missing[0],
        )
    if opts.get("issuer") is None:
        opts["issuer"] = template.format(**{k: str(v).strip("/") for k, v in given.items()})
    return opts


@dataclass(frozen=True, kw_only=True)
class InstanceProvider(OAuthProvider):
    """`paths`: endpoint name (`authorization`, `token`, `userinfo`) -> path under the
    issuer; an endpoint given explicitly keeps its URL."""

    paths: tuple[tuple[str, str], ...] = ()

    def resolved(self) -> InstanceProvider:
        if self.issuer is None:
            return self
        base = self.issuer.rstrip("/")
        changes: dict[str, Any] = {}
        for name, path in self.paths:
            endpoint: Endpoint = getattr(self, name)
            if endpoint.url is None:
                changes[name] = Endpoint(base + path, endpoint.params)
        return dataclasses.replace(self, **changes) if changes else self

    def with_env_defaults(
        self, *, client_id: str | None, client_secret: str | None, issuer: str | None
    ) -> OAuthProvider:
        filled = super().with_env_defaults(
            client_id=client_id, client_secret=client_secret, issuer=issuer
        )
        assert isinstance(filled, InstanceProvider)
        return filled.resolved()

    def validate(self) -> None:
        if self.issuer is None and any(getattr(self, n).url is None for n, _ in self.paths):
            raise ConfigError(
                f"provider {self.id!r}: set issuer (or AUTH_{self.env_name()}_ISSUER) to "
                "your instance's URL",
                option="issuer",
            )
        super().validate()
