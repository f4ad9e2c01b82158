"""Read-only mode: a Python API behind a Next.js app that owns sign-in (NextAuth v4 / Auth.js v5).

No auth routes are mounted; each module only reads the app's session cookie with the shared
secret (`authcore.nextjs.NextAuthReader`) and checks its CSRF cookie on mutations:

- `authcore.adapters.nextjs.fastapi`: `NextAuthSession` dependencies;
- `authcore.adapters.nextjs.flask`: `NextAuth` extension, `get_nextauth_session`, decorators;
- `authcore.adapters.nextjs.django`: `NextAuthMiddleware` (`request.nextauth`), decorators.

This package imports no framework. See docs/nextjs.md.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

from ...errors import ConfigError
from ...nextjs import (
    DatabaseSessionToken,
    NextAuthReader,
    ReadResult,
    Session,
    SessionUser,
    get_token,
    secrets_from_env,
)

__all__ = [
    "CSRF_HEADER",
    "DatabaseSessionToken",
    "NextAuthReader",
    "ReadResult",
    "Session",
    "SessionUser",
    "get_token",
    "reader_from_options",
    "secrets_from_env",
]

CSRF_HEADER: Final = "x-csrf-token"
"""The header the Next.js front end puts the `getCsrfToken()` value in, by default."""

_OPTIONS: Final = frozenset(
    {
        "secret",
        "generation",
        "cookie_name",
        "secure",
        "salt",
        "bearer",
        "csrf_cookie_name",
        "on_database_session",
        "limits",
        "now",
    }
)

UNAUTHORIZED_HEADERS: Final = (("WWW-Authenticate", 'Bearer realm="api"'),)


def reader_from_options(options: Mapping[str, Any] | None, *, source: str) -> NextAuthReader:
    """A reader from a settings dict (Django `AUTHCORE_NEXTAUTH`, Flask config), refusing
    unknown keys at start-up so a typo is not a silent default."""
    options = dict(options or {})
    unknown = sorted(set(options) - _OPTIONS)
    if unknown:
        raise ConfigError(
            f"{source}: unknown option(s) {', '.join(unknown)}; "
            f"known: {', '.join(sorted(_OPTIONS))}",
            option=unknown[0],
        )
    secret = options.pop("secret", None)
    return NextAuthReader(secret, **options)


def from_settings(options: Mapping[str, Any] | None, *, source: str) -> tuple[NextAuthReader, str]:
    """A settings dict's reader and CSRF header name (``csrf_header`` is the adapters' own
    option, not the reader's)."""
    options = dict(options or {})
    csrf_header = str(options.pop("csrf_header", CSRF_HEADER))
    return reader_from_options(options, source=source), csrf_header


def unauthorized_json() -> bytes:
    return json.dumps({"error": "Unauthorized"}).encode()


def csrf_failed_json() -> bytes:
    return json.dumps({"error": "MissingCSRF"}).encode()
