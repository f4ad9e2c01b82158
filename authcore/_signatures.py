"""Start-up checks of callback and event signatures.

authcore calls every callback with keyword arguments and passes each one only the names it
declares. A signature that cannot take that call fails later and far from its cause: an
Auth.js-style `jwt(params)` is a 500 at sign-in, a positional `jwt(token, user, account,
profile)` signs in and then fails every session read (the user is silently signed out). So
the config check names the callback and the form it expects.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from .errors import ConfigError

__all__ = ["ALWAYS", "PASSED", "check_signature"]

# What each hook is called with, and the part of it that comes on every call.
PASSED: dict[str, tuple[str, ...]] = {
    "callbacks.sign_in": ("user", "account", "profile", "credentials"),
    "callbacks.redirect": ("url", "base_url"),
    # `user`, `new_session` and `trigger` come under the database session strategy only.
    "callbacks.session": ("session", "token", "user", "new_session", "trigger"),
    "callbacks.jwt": ("token", "user", "account", "profile", "trigger", "is_new_user", "session"),
    "events.sign_in": ("user", "account", "profile", "is_new_user"),
    "events.sign_out": ("token", "session"),
    "events.session": ("session", "token"),
    "events.create_user": ("user",),
    "events.update_user": ("user",),
    "events.link_account": ("user", "account", "profile"),
}
ALWAYS: dict[str, frozenset[str]] = {
    # `credentials` comes with every sign-in through the credentials provider, the only one
    # a callback requiring it can be meant for.
    "callbacks.sign_in": frozenset({"user", "account", "profile", "credentials"}),
    "callbacks.redirect": frozenset({"url", "base_url"}),
    "callbacks.session": frozenset({"session", "token"}),
    "callbacks.jwt": frozenset({"token", "session"}),
    "events.sign_in": frozenset({"user", "account", "profile", "is_new_user"}),
    "events.sign_out": frozenset({"token"}),
    "events.session": frozenset({"session", "token"}),
    "events.create_user": frozenset({"user"}),
    "events.update_user": frozenset({"user"}),
    "events.link_account": frozenset({"user", "account", "profile"}),
}


def _expected(option: str) -> str:
    name = option.rsplit(".", 1)[1]
    always = [n for n in PASSED[option] if n in ALWAYS[option]]
    sometimes = [f"{n}=None" for n in PASSED[option] if n not in ALWAYS[option]]
    return f"def {name}(*, {', '.join([*always, *sometimes, '**kwargs'])})"


def check_signature(fn: Callable[..., Any], option: str) -> None:
    """Raise `ConfigError` when `fn` cannot be called the way `option` is called."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return  # a builtin or C callable: nothing to read, called as is
    known = PASSED[option]
    problems: list[str] = []
    for p in params:
        required = p.default is inspect.Parameter.empty
        if p.kind is inspect.Parameter.POSITIONAL_ONLY and required:
            problems.append(f"{p.name!r} is positional-only (arguments come by keyword)")
        elif p.kind is inspect.Parameter.VAR_POSITIONAL or p.kind is inspect.Parameter.VAR_KEYWORD:
            continue
        elif p.name not in known and required:
            problems.append(
                f"{p.name!r} is not an argument it receives (Auth.js passes one object; "
                "authcore passes keyword arguments)"
            )
        elif p.name in known and required and p.name not in ALWAYS[option]:
            problems.append(f"{p.name!r} is not passed on every call: give it a default")
    if problems:
        raise ConfigError(
            f"{option!r}: {'; '.join(problems)}. It is called with keyword arguments from "
            f"({', '.join(known)}) and gets only those it declares: {_expected(option)}",
            option=option,
        )
