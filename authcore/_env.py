"""Environment defaults, read once when a config is normalised (Auth.js `src/lib/utils/env.ts`).

Deliberate fix (docs/differences.md row 15): `AUTH_TRUST_HOST` is parsed as a boolean, so "false",
"0", "no", "off" and "" mean false.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["EnvDefaults", "parse_bool", "provider_env", "read_env"]

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})


def parse_bool(value: str) -> bool | None:
    """None when the value is not a recognisable boolean."""
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    return None


@dataclass(frozen=True, slots=True)
class EnvDefaults:
    secrets: tuple[str, ...]
    url: str | None
    trust_host: str | None  # raw: parsed (and refused) only where the config does not set it


def read_env(env: Mapping[str, str]) -> EnvDefaults:
    # Order [AUTH_SECRET_3, AUTH_SECRET_2, AUTH_SECRET_1, AUTH_SECRET]: the first encrypts.
    secrets: list[str] = []
    if env.get("AUTH_SECRET"):
        secrets.append(env["AUTH_SECRET"])
    for i in (1, 2, 3):
        value = env.get(f"AUTH_SECRET_{i}")
        if value:
            secrets.insert(0, value)
    return EnvDefaults(
        secrets=tuple(secrets),
        url=env.get("AUTH_URL") or None,
        trust_host=env.get("AUTH_TRUST_HOST"),
    )


def provider_env(env: Mapping[str, str], provider_id: str) -> dict[str, str | None]:
    """`AUTH_<ID>_ID/_SECRET/_ISSUER`, with the id upper-cased and `-` → `_`."""
    key = provider_id.upper().replace("-", "_")
    return {
        "client_id": env.get(f"AUTH_{key}_ID") or None,
        "client_secret": env.get(f"AUTH_{key}_SECRET") or None,
        "issuer": env.get(f"AUTH_{key}_ISSUER") or None,
    }
