"""The secrets of a Next.js app: passed in, or read from its environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from ..errors import ConfigError

__all__ = ["normalise_secrets", "secrets_from_env"]


def secrets_from_env(environ: Mapping[str, str] | None = None) -> list[str]:
    """The secrets a Next.js app would use, in its order (Auth.js `src/lib/utils/env.ts`):
    ``AUTH_SECRET_3, AUTH_SECRET_2, AUTH_SECRET_1, AUTH_SECRET``, then ``NEXTAUTH_SECRET``
    (v4's name, also read by next-auth v5). Every one of them is tried when reading."""
    env = os.environ if environ is None else environ
    names = ("AUTH_SECRET_3", "AUTH_SECRET_2", "AUTH_SECRET_1", "AUTH_SECRET", "NEXTAUTH_SECRET")
    out: list[str] = []
    for name in names:
        value = env.get(name, "")
        if value.strip() and value not in out:
            out.append(value)
    return out


def normalise_secrets(secret: str | Sequence[str] | None) -> tuple[str, ...]:
    if secret is None:
        secrets = tuple(secrets_from_env())
        if not secrets:
            raise ConfigError(
                "no secret: pass secret=... or set AUTH_SECRET (or NEXTAUTH_SECRET)",
                option="secret",
            )
        return secrets
    secrets = (secret,) if isinstance(secret, str) else tuple(secret)
    if not secrets or not all(isinstance(s, str) and s.strip() for s in secrets):
        raise ConfigError(
            "secret must be a non-empty string or a list of them (the Next.js AUTH_SECRET)",
            option="secret",
        )
    return secrets
