"""The logger of a config (Auth.js `src/lib/utils/logger.ts`): defaults to the `authcore` stdlib
logger.

Only error types, messages and warning codes are logged: never token values, secrets,
cookie values or the CSRF token. A user `logger` replaces levels individually.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from ._text import printable
from .errors import AuthError, ConfigError

__all__ = ["ConfiguredLogger", "Logger", "build_logger"]

_log = logging.getLogger("authcore")


class Logger(Protocol):
    """What the core logs through: `ConfiguredLogger`, or a stand-in in tests."""

    def error(self, error: BaseException) -> None: ...
    def warn(self, code: str) -> None: ...
    def debug(self, message: str, metadata: Any = None) -> None: ...


def _describe(error: BaseException) -> str:
    name = error.type if isinstance(error, AuthError) else type(error).__name__
    text = f"{name}: {error}"
    if isinstance(error, ConfigError) and error.details.get("option"):
        text += f" (option {error.details['option']})"
    cause = error.__cause__
    if cause is not None:
        text += f" (cause {type(cause).__name__}: {cause})"
    return printable(text, 2000)


class ConfiguredLogger:
    """Satisfies `Logger`; user functions win level by level."""

    __slots__ = ("_debug", "_debug_enabled", "_error", "_warn")

    def __init__(
        self,
        *,
        error: Callable[[BaseException], Any] | None,
        warn: Callable[[str], Any] | None,
        debug: Callable[[str, Any], Any] | None,
        debug_enabled: bool,
    ) -> None:
        self._error = error
        self._warn = warn
        self._debug = debug
        # Auth.js: debug output only with `debug: true` or a user `logger.debug`.
        self._debug_enabled = debug_enabled or debug is not None

    @property
    def debug_enabled(self) -> bool:
        """Whether `debug` logs anything: a caller may skip building its metadata."""
        return self._debug_enabled

    def error(self, error: BaseException) -> None:
        if self._error is not None:
            _safely(self._error, error)
            return
        _log.error("[auth][error] %s", _describe(error))
        if self._debug_enabled:
            _log.debug("".join(traceback.format_exception(error)))

    def warn(self, code: str) -> None:
        if self._warn is not None:
            _safely(self._warn, code)
            return
        _log.warning("[auth][warn][%s] Read more: https://warnings.authjs.dev", code)

    def debug(self, message: str, metadata: Any = None) -> None:
        if not self._debug_enabled:
            return
        if self._debug is not None:
            _safely(self._debug, message, metadata)
            return
        if metadata is None:
            _log.debug("[auth][debug]: %s", message)
        else:
            _log.debug("[auth][debug]: %s %r", message, metadata)


def _safely(fn: Callable[..., Any], *args: Any) -> None:
    # A broken user logger must not turn a response into a 500.
    try:
        fn(*args)
    except Exception as exc:
        _log.error("[auth][error] the configured logger raised %s", type(exc).__name__)


def _pick(source: Any, name: str) -> Callable[..., Any] | None:
    fn = source.get(name) if isinstance(source, Mapping) else getattr(source, name, None)
    return fn if callable(fn) else None


def build_logger(user_logger: Any, *, debug: bool) -> ConfiguredLogger:
    """`user_logger` is None, a mapping or an object with `error`/`warn`/`debug`."""
    if user_logger is None:
        return ConfiguredLogger(error=None, warn=None, debug=None, debug_enabled=debug)
    return ConfiguredLogger(
        error=_pick(user_logger, "error"),
        warn=_pick(user_logger, "warn"),
        debug=_pick(user_logger, "debug"),
        debug_enabled=debug,
    )
