"""Reading a provider's options as users write them: Auth.js's camelCase spellings, and a
helpful error for an unknown option."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

from ..errors import ConfigError

__all__ = ["snake_case_options", "unknown_option"]


def snake_case_options(
    provider_id: str, options: Mapping[str, Any], known: set[str] | frozenset[str]
) -> dict[str, Any]:
    """Auth.js spellings (`clientId`, `clientSecret`, `allowDangerousEmailAccountLinking`,
    ...) read as the snake_case option they name; both spellings at once are refused."""
    out: dict[str, Any] = {}
    for key, value in options.items():
        name = key
        if isinstance(key, str) and key not in known:
            snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key).lower()
            if snake in known:
                name = snake
        if name in out:
            raise ConfigError(
                f"provider {provider_id!r}: {key!r} and {name!r} are the same option; give one",
                option=name,
            )
        out[name] = value
    return out


def unknown_option(provider_id: str, key: str, known: set[str] | frozenset[str]) -> ConfigError:
    close = difflib.get_close_matches(key, sorted(known), n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return ConfigError(f"provider {provider_id!r} has no option {key!r}.{hint}", option=key)
