"""Read the session of a Next.js app (NextAuth.js v4 or Auth.js v5) from a Python API.

The Next.js app owns sign-in; the Python service only *reads* its session cookie with the
shared secret. Both token generations are understood:

| | Auth.js v5 / `@auth/core` | NextAuth.js v4 |
|---|---|---|
| cookie | `[__Secure-]authjs.session-token` | `[__Secure-]next-auth.session-token` |
| JWE | `dir` + `A256CBC-HS512` (or `A256GCM`), `kid` | `dir` + `A256GCM`, no `kid` |
| HKDF | salt = cookie name | salt `""`, info `NextAuth.js Generated Encryption Key` |
| CSRF cookie | `[__Host-]authjs.csrf-token` | `[__Host-]next-auth.csrf-token` |

Both chunk a long session into `<name>.0`, `<name>.1`, ... (v4 at 3933 chars). The v5 side
follows Auth.js `src/jwt.ts` and `src/lib/utils/cookie.ts`.

Every read is fail-closed (GHSA-8fpg-xm3f-6cx3; GHSA-xmf8-cvqr-rfgj): any problem gives `None`,
never an exception and never a partial session. `inspect()` says *why* there is no session, the one
case worth telling a developer about being `database_session`: the cookie holds an opaque session id
(the Next.js app uses the database strategy) that cannot be read without its DB.
"""

from ._get_token import get_token
from ._reader import NextAuthReader, SessionReader
from ._secrets import secrets_from_env
from ._session import (
    DatabaseSessionToken,
    Generation,
    ReadReason,
    ReadResult,
    Session,
    SessionUser,
)

__all__ = [
    "DatabaseSessionToken",
    "Generation",
    "NextAuthReader",
    "ReadReason",
    "ReadResult",
    "Session",
    "SessionReader",
    "SessionUser",
    "get_token",
    "secrets_from_env",
]
