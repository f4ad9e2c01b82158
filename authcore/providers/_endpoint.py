"""`Endpoint`: a provider endpoint's URL and query parameters, and how a user override merges
over them (the rules are in `authcore.providers.oauth`'s docstring)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Union
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from ..errors import ConfigError, InvalidEndpoints

__all__ = ["Endpoint", "EndpointInput", "check_url"]

EndpointInput = Union[str, Mapping[str, Any], "Endpoint", None]


def _param_value(value: Any, separator: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return separator.join(str(v) for v in value)
    if isinstance(value, Mapping):  # OIDC `claims` (Auth.js JSON-stringifies it)
        return json.dumps(value, separators=(",", ":"))
    return str(value)


@dataclass(frozen=True)
class Endpoint:
    """An endpoint URL (without query) and its query parameters, in order."""

    url: str | None = None
    params: tuple[tuple[str, str], ...] = ()

    def param(self, name: str) -> str | None:
        for k, v in self.params:
            if k == name:
                return v
        return None

    def with_params(self, updates: Mapping[str, Any], *, separator: str = " ") -> Endpoint:
        params = dict(self.params)
        for key, value in updates.items():
            text = _param_value(value, separator)
            if text is None:
                params.pop(str(key), None)
            else:
                params[str(key)] = text
        return Endpoint(self.url, tuple(params.items()))

    def merged(self, override: EndpointInput, *, separator: str = " ") -> Endpoint:
        """Apply a user override (module docstring gives the rules)."""
        if override is None:
            return self
        if isinstance(override, Endpoint):
            return override
        if isinstance(override, str):
            url, query = _split_query(override)
            return Endpoint(url, self.params).with_params(dict(query), separator=separator)
        if isinstance(override, Mapping):
            unknown = set(override) - {"url", "params"}
            if unknown:
                raise ConfigError(
                    f"endpoint options accept only 'url' and 'params', not {sorted(unknown)}"
                    " (token={'conform'} and userinfo={'request'} are accepted on those two)",
                    option=sorted(unknown)[0],
                )
            result = self
            new_url: Any = override.get("url")
            if new_url is not None:
                if not isinstance(new_url, str):
                    raise ConfigError("an endpoint 'url' must be a string", option="url")
                result = result.merged(new_url, separator=separator)
            params = override.get("params")
            if params is not None:
                if not isinstance(params, Mapping):
                    raise ConfigError("endpoint 'params' must be a mapping", option="params")
                result = result.with_params(params, separator=separator)
            return result
        raise ConfigError(
            "an endpoint must be a URL string or {'url', 'params'}, "
            f"not {type(override).__name__}",
            option="endpoint",
        )


def _split_query(url: str) -> tuple[str, list[tuple[str, str]]]:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")), query


def check_url(provider_id: str, name: str, url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise InvalidEndpoints(
            f"provider {provider_id!r}: {name} must be an absolute http(s) URL", option=name
        )
