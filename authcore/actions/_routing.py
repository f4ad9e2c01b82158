"""Path → (action, provider id) (Auth.js `src/lib/utils/web.ts`).

Deliberate fix (docs/differences.md row 13): the base path must be followed by `/`, so
`/api/authsignin` is not a route, and the base path is compared as a string, never used as a regex.
"""

from __future__ import annotations

from typing import Literal

from ..errors import UnknownAction

__all__ = ["ACTIONS", "PAGE_ACTIONS", "Action", "parse_action"]

Action = Literal[
    "providers",
    "session",
    "csrf",
    "signin",
    "signout",
    "callback",
    "verify-request",
    "error",
    "webauthn-options",
]
ACTIONS: frozenset[str] = frozenset(Action.__args__)  # type: ignore[attr-defined]
_WITH_PROVIDER = frozenset({"signin", "callback", "webauthn-options"})
# The actions a GET answers with an HTML page (built-in or custom).
PAGE_ACTIONS = frozenset({"signin", "signout", "verify-request", "error"})


def parse_action(path: str, base_path: str) -> tuple[Action, str | None]:
    """Raise `UnknownAction` when the path is not `<base>/<action>[/<provider>]`."""
    prefix = base_path + "/"
    if not path.startswith(prefix):
        raise UnknownAction("Cannot parse action at path", path_length=len(path))
    segments = [s for s in path[len(prefix) :].split("/") if s]
    if not 1 <= len(segments) <= 2 or segments[0] not in ACTIONS:
        raise UnknownAction("Cannot parse action at path", path_length=len(path))
    action: Action = segments[0]  # type: ignore[assignment]
    provider: str | None = None
    if len(segments) == 2:
        if action not in _WITH_PROVIDER:
            raise UnknownAction("Cannot parse action at path", path_length=len(path))
        provider = None if segments[1] == "undefined" else segments[1]
    return action, provider
