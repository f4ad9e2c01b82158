"""The session cookie store: reassembly and chunking (SPEC §3.2).

Hardened reader (security.md §4.3, §4.4): only the exact name or `<name>.<digits>` count;
a duplicated chunk, a plain cookie next to chunks, too many chunks or too many characters
make the session invalid, which the caller answers with `null` and a clean-up.
"""

from __future__ import annotations

import math

from ._http import Cookie, ParsedCookies
from ._options import CookieDef, Limits, Logger

__all__ = ["CHUNK_SIZE", "SessionStore"]

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


class SessionStore:
    __slots__ = ("_def", "_logger", "_seen", "invalid", "value")

    def __init__(
        self,
        cookie_def: CookieDef,
        cookies: ParsedCookies,
        limits: Limits,
        logger: Logger | None = None,  # only `chunk` logs; readers need none
    ) -> None:
        self._def = cookie_def
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

    def chunk(self, value: str, *, expires: float) -> list[Cookie]:
        """Cookies that write `value`, clearing the request's other chunks (SPEC §3.2)."""
        out: dict[str, Cookie] = {name: self._def.clear(name) for name in self._seen}
        n = math.ceil(len(value) / CHUNK_SIZE)
        if n <= 1:
            out[self._def.name] = self._def.make(value, expires=expires)
        else:
            if self._logger is not None:
                self._logger.debug("CHUNKING_SESSION_COOKIE", {"chunks": n, "length": len(value)})  # noqa: PLE1205
            for i in range(n):
                part = value[i * CHUNK_SIZE : (i + 1) * CHUNK_SIZE]
                name = f"{self._def.name}.{i}"
                out[name] = self._def.make(part, expires=expires, name=name)
        return list(out.values())

    def clean(self) -> list[Cookie]:
        """Clear every session cookie the request carried."""
        return [self._def.clear(name) for name in self._seen]
