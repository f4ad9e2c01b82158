"""Every call the core makes to a store (Auth.js `adapterErrorHandler`, `lib/init.ts`).

A store may be sync or async: the call goes through the flow's `call`, so the sync path
needs no event loop. A failure or an answer of the wrong shape becomes `AdapterError`, which
users see as the Configuration page. Unlike Auth.js, nothing a store was given or raised
reaches the log: only the method and the exception's type, because arguments and driver
messages carry session tokens, OAuth tokens and SQL parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from .._flow import Flow, call
from .._options import Options
from ..errors import AdapterError
from ._context import Context

__all__ = ["store_call", "store_call_with", "utc"]

_USER_RESULT = frozenset({"create_user", "get_user", "get_user_by_email", "get_user_by_account"})
_SESSION_RESULT = frozenset({"create_session", "update_session", "delete_session"})
_MAY_BE_NONE = frozenset(
    {
        "get_user",
        "get_user_by_email",
        "get_user_by_account",
        "get_session_and_user",
        "update_session",
        "delete_session",
        "delete_user",
        "link_account",
        "unlink_account",
        "create_verification_token",
        "use_verification_token",
        "get_account",
        "get_authenticator",
        "update_authenticator_counter",
    }
)


def _aware(value: Any) -> bool:
    return isinstance(value, datetime) and value.utcoffset() is not None


def _user_problem(value: Any) -> str | None:
    if not isinstance(value, Mapping):
        return "a user must be a dict"
    if not isinstance(value.get("id"), str) or not value["id"]:
        return "a user needs a non-empty string 'id'"
    email = value.get("email")
    if email is not None and not isinstance(email, str):
        return "a user's 'email' must be a string or None"
    verified = value.get("email_verified")
    if verified is not None and not _aware(verified):
        return "a user's 'email_verified' must be a timezone-aware datetime or None"
    return None


def _session_problem(value: Any) -> str | None:
    if not isinstance(value, Mapping):
        return "a session must be a dict"
    if not isinstance(value.get("session_token"), str) or not isinstance(value.get("user_id"), str):
        return "a session needs string 'session_token' and 'user_id'"
    if not _aware(value.get("expires")):
        return "a session's 'expires' must be a timezone-aware datetime"
    return None


def _problem(method: str, value: Any) -> str | None:
    if value is None:
        return None if method in _MAY_BE_NONE else "None is not an answer here"
    if method in _USER_RESULT or method == "update_user":
        return _user_problem(value)
    if method in _SESSION_RESULT:
        return _session_problem(value)
    if method == "get_session_and_user":
        if not isinstance(value, Mapping):
            return "expected {'session': ..., 'user': ...}"
        return _session_problem(value.get("session")) or _user_problem(value.get("user"))
    if method == "use_verification_token" and (
        not isinstance(value, Mapping) or not _aware(value.get("expires"))
    ):
        return "a verification token needs a timezone-aware 'expires'"
    return None


def _shape(value: Any) -> Any:
    """What the debug log may show of an argument: its keys, never its values."""
    if isinstance(value, Mapping):
        return sorted(str(k) for k in value)
    return type(value).__name__


def store_call(ctx: Context, method: str, *args: Any) -> Flow[Any]:
    """`adapter.<method>(*args)`, sync or async, with its answer checked."""
    return store_call_with(ctx.options, method, *args)


def store_call_with(options: Options, method: str, *args: Any) -> Flow[Any]:
    """`store_call` for a caller that holds the options rather than a `Context` (the GET
    `/session` fast path): the one implementation."""
    logger = options.logger
    if logger.debug_enabled:  # the shapes are built only for a log that shows them
        logger.debug(f"adapter_{method}", {"args": [_shape(a) for a in args]})
    fn = getattr(options.adapter, method, None)
    if not callable(fn):
        raise AdapterError(f"The store has no method {method}", method=method)
    failure: str | None = None
    try:
        result = yield from call(fn, *args)
    except Exception as exc:
        failure = type(exc).__name__
    if failure is not None:
        # Raised outside the `except`, so the driver's exception is neither cause nor
        # context: its message can quote the statement's parameters (tokens).
        raise AdapterError(f"The store's {method} raised {failure}", method=method)
    problem = _problem(method, result)
    if problem is not None:
        raise AdapterError(
            f"The store's {method} answered with the wrong shape: {problem}", method=method
        )
    if isinstance(result, Mapping) and not isinstance(result, dict):
        result = dict(result)
    return result


def utc(ctx: Context, seconds_ahead: float = 0) -> datetime:
    """The request's clock as an aware datetime, `seconds_ahead` later."""
    return datetime.fromtimestamp(ctx.now, timezone.utc) + timedelta(seconds=seconds_ahead)
