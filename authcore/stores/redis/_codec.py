"""Records as JSON strings, dates as ISO-8601 UTC: readable with `redis-cli`, and the same
bytes from the sync and the async client."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, cast

from .._types import (
    AdapterAccount,
    AdapterAuthenticator,
    AdapterSession,
    AdapterUser,
    VerificationToken,
)

__all__ = [
    "decode",
    "dumps",
    "epoch_ms",
    "loads_account",
    "loads_authenticator",
    "loads_session",
    "loads_token",
    "loads_user",
    "text",
]

# Extra user keys (a profile() may add some) are kept when JSON can hold them as they are.
_JSON_SCALARS = (str, int, float, bool, type(None))
_USER_DATES = ("email_verified",)


def text(value: object) -> str:
    """A reply as text, whether the client decodes responses or not."""
    if isinstance(value, bytes):
        return value.decode()
    return str(value)


def _utc(value: object, field: str) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(f"{field} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None:
        raise ValueError(f"{field} must be timezone-aware (stores take UTC datetimes)")
    return value.astimezone(timezone.utc)


def epoch_ms(value: object, field: str = "expires") -> int:
    return int(_utc(value, field).timestamp() * 1000)


def dumps(record: dict[str, Any], dates: tuple[str, ...] = ()) -> str:
    out: dict[str, Any] = {}
    for key, value in record.items():
        if key in dates and value is not None:
            out[key] = _utc(value, key).isoformat()
        elif isinstance(value, _JSON_SCALARS):
            out[key] = value
    return json.dumps(out, separators=(",", ":"), ensure_ascii=False)


def decode(raw: object, dates: tuple[str, ...] = ()) -> dict[str, Any]:
    record: dict[str, Any] = json.loads(text(raw))
    for key in dates:
        if record.get(key) is not None:
            record[key] = datetime.fromisoformat(record[key])
    return record


def loads_user(raw: object) -> AdapterUser:
    return cast(AdapterUser, decode(raw, _USER_DATES))


def loads_account(raw: object) -> AdapterAccount:
    return cast(AdapterAccount, decode(raw))


def loads_session(raw: object) -> AdapterSession:
    return cast(AdapterSession, decode(raw, ("expires",)))


def loads_token(raw: object) -> VerificationToken:
    return cast(VerificationToken, decode(raw, ("expires",)))


def loads_authenticator(raw: object) -> AdapterAuthenticator:
    return cast(AdapterAuthenticator, decode(raw))
