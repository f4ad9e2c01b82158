"""Cookies, in one place: the wire format (`Cookie`, the `Cookie` header parser), the
cookies Auth.js sets (`CookieDef`, `default_cookies`) and the session cookie store.

The wire format follows Auth.js's vendored `cookie` package (`src/lib/vendored/cookie.ts`).
The session store reassembles and chunks the session cookie (Auth.js `src/lib/utils/cookie.ts`).
Its reader is hardened (docs/security.md#resource-limits,
docs/differences.md#other-deliberate-choices): only the exact name or `<name>.<digits>` count; a
duplicated chunk, a plain cookie next to chunks, too many chunks or too many characters make the
session invalid, which the caller answers with `null` and a clean-up.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from ._http import decode_uri_component, encode_uri_component, http_date
from .errors import JWTSessionError

if TYPE_CHECKING:
    from ._logging import Logger
    from ._options import Limits, Options

__all__ = [
    "CHUNK_SIZE",
    "COOKIE_HEADER_RESERVE",
    "Cookie",
    "CookieDef",
    "CookieDefs",
    "ParsedCookies",
    "SessionStore",
    "clear_own_cookies",
    "default_cookies",
    "parse_cookie_header",
    "serialize_cookie",
]


@dataclass
class Cookie:
    """A cookie to set (or clear). `value` is raw; it is URI-encoded on the wire."""

    name: str
    value: str
    path: str = "/"
    http_only: bool = True
    secure: bool = False
    same_site: Literal["lax", "strict", "none"] | None = "lax"
    max_age: int | None = None
    expires: float | None = None  # unix seconds
    domain: str | None = None
    partitioned: bool = False

    def serialize(self) -> str:
        return serialize_cookie(self)


def serialize_cookie(cookie: Cookie) -> str:
    """Serialise like Auth.js's vendored `cookie.serialize` (Auth.js `src/lib/vendored/cookie.ts`),
    in its attribute order."""
    head, tail = _attributes(
        cookie.max_age,
        cookie.domain,
        cookie.path,
        cookie.http_only,
        cookie.secure,
        cookie.partitioned,
        cookie.same_site,
    )
    value = encode_uri_component(cookie.value)
    if cookie.expires is None:
        return f"{cookie.name}={value}{head}{tail}"
    return f"{cookie.name}={value}{head}; Expires={http_date(int(cookie.expires))}{tail}"


@lru_cache(maxsize=64)
def _attributes(  # noqa: PLR0917 - the cookie's attributes, one cache key
    max_age: int | None,
    domain: str | None,
    path: str,
    http_only: bool,
    secure: bool,
    partitioned: bool,
    same_site: str | None,
) -> tuple[str, str]:
    """The attributes before `Expires` and after it, built once per set of attributes."""
    head = ""
    if max_age is not None:
        head += f"; Max-Age={int(max_age)}"
    if domain:
        head += f"; Domain={domain}"
    if path:
        head += f"; Path={path}"
    tail = ""
    if http_only:
        tail += "; HttpOnly"
    if secure:
        tail += "; Secure"
    if partitioned:
        tail += "; Partitioned"
    if same_site:
        tail += f"; SameSite={same_site.capitalize()}"
    return head, tail


@dataclass
class ParsedCookies:
    """Request cookies: first occurrence wins (like Auth.js), duplicates remembered."""

    values: dict[str, str]
    duplicates: frozenset[str]
    order: list[str]


def parse_cookie_header(header: str, *, max_cookies: int = 200) -> ParsedCookies:
    """Parse a `Cookie` header the way Auth.js's vendored parser does (Auth.js `src/index.ts`).

    Security cookies that arrive twice are reported in `duplicates` so callers can treat
    them as invalid (docs/differences.md#other-deliberate-choices).
    """
    values: dict[str, str] = {}
    dups: set[str] = set()
    order: list[str] = []
    seen: set[str] = set()
    for part in header.split(";"):
        eq = part.find("=")
        if eq == -1:
            continue
        name = part[:eq].strip(" \t")
        if not name:
            continue
        if name in seen:
            dups.add(name)
            continue
        seen.add(name)
        if len(seen) > max_cookies:
            # Past the cap values are dropped, but names are still compared, so padding
            # cannot push a planted duplicate out of sight
            # (docs/differences.md#other-deliberate-choices).
            continue
        value = part[eq + 1 :].strip(" \t")
        if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
            value = value[1:-1]
        if "%" in value:
            decoded = decode_uri_component(value)
            if decoded is not None:  # else the raw value is kept, as Auth.js does
                value = decoded
        values[name] = value
        order.append(name)
    return ParsedCookies(values, frozenset(dups), order)


@dataclass(frozen=True, slots=True)
class CookieDef:
    """A cookie name with its attributes (Auth.js `src/lib/utils/cookie.ts`)."""

    name: str
    http_only: bool = True
    same_site: Literal["lax", "strict", "none"] = "lax"
    path: str = "/"
    secure: bool = False
    max_age: int | None = None
    domain: str | None = None

    def make(self, value: str, *, expires: float | None = None, name: str | None = None) -> Cookie:
        return self._cookie(name or self.name, value, self.max_age, expires)

    def clear(self, name: str | None = None) -> Cookie:
        return self._cookie(name or self.name, "", 0, None)

    def _cookie(self, name: str, value: str, max_age: int | None, expires: float | None) -> Cookie:
        return Cookie(
            name=name,
            value=value,
            path=self.path,
            http_only=self.http_only,
            secure=self.secure,
            same_site=self.same_site,
            max_age=max_age,
            expires=expires,
            domain=self.domain,
        )


@dataclass(frozen=True, slots=True)
class CookieDefs:
    session_token: CookieDef
    callback_url: CookieDef
    csrf_token: CookieDef
    pkce_code_verifier: CookieDef
    state: CookieDef
    nonce: CookieDef
    webauthn_challenge: CookieDef


def default_cookies(secure: bool) -> CookieDefs:
    """Auth.js's `defaultCookies(useSecureCookies)` (Auth.js `src/lib/utils/cookie.ts`)."""
    p = "__Secure-" if secure else ""
    return CookieDefs(
        session_token=CookieDef(f"{p}authjs.session-token", secure=secure),
        callback_url=CookieDef(f"{p}authjs.callback-url", secure=secure),
        csrf_token=CookieDef(f"{'__Host-' if secure else ''}authjs.csrf-token", secure=secure),
        pkce_code_verifier=CookieDef(f"{p}authjs.pkce.code_verifier", secure=secure, max_age=900),
        state=CookieDef(f"{p}authjs.state", secure=secure, max_age=900),
        nonce=CookieDef(f"{p}authjs.nonce", secure=secure),
        webauthn_challenge=CookieDef(f"{p}authjs.challenge", secure=secure, max_age=900),
    )


ALLOWED_COOKIE_SIZE = 4096
ESTIMATED_EMPTY_COOKIE_SIZE = 160
CHUNK_SIZE = ALLOWED_COOKIE_SIZE - ESTIMATED_EMPTY_COOKIE_SIZE  # 3936


def _chunk_index(name: str, base: str) -> int | None:
    """-1 for the plain name, the suffix for `<base>.<digits>`, None for anything else."""
    if name == base:
        return -1
    if name.startswith(base + "."):
        suffix = name[len(base) + 1 :]
        if suffix.isdigit() and suffix.isascii() and len(suffix) <= 4:
            return int(suffix)
    return None


# Room kept in the Cookie header for authcore's other cookies (CSRF, callback URL, checks)
# when a session is written: a session that leaves less would lock its browser out.
COOKIE_HEADER_RESERVE = 1024


def _largest_claims(claims: Mapping[str, Any], n: int = 3) -> str:
    sizes = []
    for key, value in claims.items():
        try:
            size = len(json.dumps(value, default=str))
        except (TypeError, ValueError):
            size = len(str(value))
        sizes.append((size, str(key)))
    sizes.sort(reverse=True)
    return ", ".join(f"{name!r} ({size:,} chars)" for size, name in sizes[:n])


class SessionStore:
    __slots__ = ("_def", "_limits", "_logger", "_seen", "invalid", "value")

    def __init__(
        self,
        cookie_def: CookieDef,
        cookies: ParsedCookies,
        limits: Limits,
        logger: Logger | None = None,  # only `chunk` logs; readers need none
    ) -> None:
        self._def = cookie_def
        self._limits = limits
        self._logger = logger
        self._seen: list[str] = []  # session cookie names of the request, in request order
        self.invalid = False
        parts: list[tuple[int, str]] = []
        for name in cookies.order:
            index = _chunk_index(name, cookie_def.name)
            if index is None:
                continue
            value = cookies.values[name]
            if not value:
                continue
            self._seen.append(name)
            if name in cookies.duplicates:
                self.invalid = True
            parts.append((index, value))
        if len(parts) == 1:  # the common case: one cookie, plain or a lone chunk
            if len(parts[0][1]) > limits.max_token_chars:
                self.invalid = True
            self.value = "" if self.invalid else parts[0][1]
            return
        plain = any(i == -1 for i, _ in parts)
        total = sum(len(v) for _, v in parts)
        if (
            (plain and len(parts) > 1)
            or len(parts) > limits.max_session_chunks
            or total > limits.max_token_chars
        ):
            self.invalid = True
        parts.sort(key=lambda p: p[0])
        self.value = "" if self.invalid else "".join(v for _, v in parts)

    @property
    def present(self) -> bool:
        """Some session cookie came with the request (valid or not)."""
        return bool(self._seen)

    def check_fits(self, value: str, claims: Mapping[str, Any]) -> None:
        """Refuse (`JWTSessionError`, naming the largest claims) a session token this store
        would not read back, or whose cookies would leave less than `COOKIE_HEADER_RESERVE`
        of the Cookie-header cap: every later request of the browser would be refused."""
        limits = self._limits
        n = math.ceil(len(value) / CHUNK_SIZE)
        header_bytes = len(value) + n * (len(self._def.name) + 7)  # "name.N=" and "; "
        budget = limits.max_cookie_header_bytes - COOKIE_HEADER_RESERVE
        fits = n <= limits.max_session_chunks and len(value) <= limits.max_token_chars
        if fits and header_bytes <= budget:
            return
        raise JWTSessionError(
            f"The session token is {len(value):,} characters ({n} cookies), more than the "
            f"browser can send back (limits.max_token_chars={limits.max_token_chars:,}, "
            f"limits.max_session_chunks={limits.max_session_chunks}, Cookie header cap "
            f"{limits.max_cookie_header_bytes:,} bytes with {COOKIE_HEADER_RESERVE:,} kept "
            "for the other cookies). Keep less in the token from the `jwt` callback; its "
            f"largest claims are {_largest_claims(claims)}.",
            reason="session_too_large",
        )

    def chunk(self, value: str, *, expires: float) -> list[Cookie]:
        """Cookies that write `value`, clearing the request's other chunks (Auth.js
        `src/lib/utils/cookie.ts`)."""
        n = math.ceil(len(value) / CHUNK_SIZE)
        if n <= 1 and self._seen == [self._def.name]:  # the one plain cookie, rewritten
            return [self._def.make(value, expires=expires)]
        out: dict[str, Cookie] = {name: self._def.clear(name) for name in self._seen}
        if n <= 1:
            out[self._def.name] = self._def.make(value, expires=expires)
        else:
            if self._logger is not None:
                self._logger.debug(  # noqa: PLE1205
                    "CHUNKING_SESSION_COOKIE", {"chunks": n, "length": len(value)}
                )
            for i in range(n):
                part = value[i * CHUNK_SIZE : (i + 1) * CHUNK_SIZE]
                name = f"{self._def.name}.{i}"
                out[name] = self._def.make(part, expires=expires, name=name)
        return list(out.values())

    def clean(self) -> list[Cookie]:
        """Clear every session cookie the request carried."""
        return [self._def.clear(name) for name in self._seen]


_MAX_CLEARS = 64


def clear_own_cookies(cookie_header: str, options: Options) -> list[Cookie]:
    """Clearing cookies for each of authcore's cookies (session chunks included, under the
    plain and the secure names) that `cookie_header` carries. Only names are read, so this
    is safe on a header refused for its size."""
    defs = [
        getattr(options.cookies(secure), f.name)
        for secure in (False, True)
        for f in fields(CookieDefs)
    ]
    out: dict[str, Cookie] = {}
    for part in cookie_header.split(";"):
        name = part.split("=", 1)[0].strip(" \t")
        if not name or name in out:
            continue
        for cookie_def in defs:
            if _chunk_index(name, cookie_def.name) is not None:
                out[name] = cookie_def.clear(name)
                break
        if len(out) >= _MAX_CLEARS:
            break
    return list(out.values())
