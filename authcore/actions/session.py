"""GET / POST `/session`, JWT or database strategy (Auth.js
`packages/core/src/lib/actions/session.ts` at `@auth/core@0.41.3`).

Every successful read re-issues the cookie (rolling). Any problem with the token (tampered,
truncated, expired, wrong key, duplicated or too many chunks) gives 200 `null` and clears
every session cookie the request carried. Under the database strategy the cookie holds the
session token: the row decides, is extended at most once per `update_age`, and is deleted
when found expired; a failing store answers `null` and keeps the cookie (it may work again).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from json.encoder import encode_basestring as _json_string  # what `dumps` writes a str with
from typing import Any

from .. import jwt
from .._cookies import Cookie, SessionStore
from .._flow import Flow, call
from .._http import Response
from .._options import Options
from ..errors import AdapterError, JWTSessionError, SessionTokenError
from ._common import decode_session, encode_session, fire, fire_with
from ._context import Context
from ._response import NO_CACHE, dumps, json_response
from ._store_calls import store_call_with

__all__ = [
    "SessionAnswer",
    "database_no_user_code",
    "iso_datetime",
    "iso_expires",
    "kept_issue",
    "no_user_code",
    "read",
    "read_database",
    "read_plain",
    "session",
    "session_user",
]

_NULL = b"null"


@dataclass(frozen=True, slots=True)
class SessionAnswer:
    """What `/session` answers: the JSON body, encoded, and the session cookies to set or
    clear. `read` builds it; the action sends it, `authcore.get_session` hands it to app code."""

    encoded: bytes
    cookies: list[Cookie]


_SIGNED_OUT = SessionAnswer(_NULL, [])


@lru_cache(maxsize=8)
def _iso_second(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.")


def iso_expires(now: float, max_age: int) -> str:
    """`new Date(Date.now() + maxAge * 1000).toISOString()`: milliseconds and `Z`. The
    seconds part is cached: a busy server formats the same second many times."""
    ms = round(now * 1000) + max_age * 1000
    return f"{_iso_second(ms // 1000)}{ms % 1000:03d}Z"


def iso_datetime(value: datetime) -> str:
    """`Date.prototype.toISOString()` of an aware datetime: UTC, milliseconds and `Z`
    (`isoformat` pads the year to four digits, as JavaScript does)."""
    utc = value if value.tzinfo is timezone.utc else value.astimezone(timezone.utc)
    return utc.isoformat(timespec="milliseconds")[:-6] + "Z"


def database_no_user_code(options: Options) -> bool:
    """Whether a database session read of this config runs no user code (`session`
    callback, `session` event; the `jwt` callback and `jwt.encode` / `decode` never run under
    this strategy: `@auth/core@0.41.3` `packages/core/src/lib/actions/session.ts`)."""
    return (
        options.session_strategy == "database"
        and options.callbacks.session is None
        and options.events.session is None
    )


def read_database(
    options: Options,
    store: SessionStore,
    now: float,
    *,
    update: bool = False,
    new_session: Any = None,
) -> Flow[SessionAnswer]:
    """A database session read: the row decides, is deleted when found expired and extended
    at most once per `update_age`; a failing store answers `null` and keeps the cookie. Run
    by `read` and, for a config with `database_no_user_code` (then it yields only for an
    async store), by the GET `/session` fast path."""
    unreadable = _unreadable(options, store)
    if unreadable is not None:
        return unreadable
    token = store.value
    current = datetime.fromtimestamp(now, timezone.utc)
    try:
        found = yield from store_call_with(options, "get_session_and_user", token)
        if found is not None and found["session"]["expires"] < current:
            yield from store_call_with(options, "delete_session", token)
            found = None
        if found is None:
            return SessionAnswer(_NULL, store.clean())
        stored, user = found["session"], found["user"]
        max_age = options.session_max_age
        due = stored["expires"] - timedelta(seconds=max_age)
        if due + timedelta(seconds=options.session_update_age) <= current:
            new_expires = current + timedelta(seconds=max_age)
            yield from store_call_with(
                options, "update_session", {"session_token": token, "expires": new_expires}
            )
        # Auth.js reports the expiry read before the extension (its own test pins this).
        body: Any = {
            "user": {
                "name": user.get("name"),
                "email": user.get("email"),
                "image": user.get("image"),
            },
            "expires": iso_datetime(stored["expires"]),
        }
        if options.callbacks.session is not None:
            extra: dict[str, Any] = {"trigger": "update"} if update else {}
            body = yield from call(
                options.callbacks.session,
                session=body,
                token=None,
                user=user,
                new_session=new_session,
                **extra,
            )
            encoded_body = dumps(body)
        else:
            encoded_body = _default_body_json(body)
        cookies = store.chunk(token, expires=now + max_age)
        if options.events.session is not None:
            yield from fire_with(options, options.events.session, session=body, token=None)
    except AdapterError as exc:
        options.logger.error(SessionTokenError("Could not read the session", cause=exc))
        return _SIGNED_OUT
    return SessionAnswer(encoded_body, cookies)


def _default_body_json(body: dict[str, Any]) -> bytes:
    """`dumps` of the database read's own body, written out directly when the user's name,
    email and image are strings or None (what a store gives): the same bytes, a quarter of
    the cost. Anything else goes through `dumps`."""
    user = body["user"]
    parts: list[str] = []
    for key in ("name", "email", "image"):
        value = user[key]
        if value is None:
            parts.append("null")
        elif type(value) is str:
            parts.append(_json_string(value))
        else:
            return dumps(body)
    name, email, image = parts
    expires = _json_string(body["expires"])
    text = f'{{"user":{{"name":{name},"email":{email},"image":{image}}},"expires":{expires}}}'
    return text.encode()


def _unreadable(options: Options, store: SessionStore) -> SessionAnswer | None:
    """The answer when the cookie itself settles it: malformed (logged, cleared) or absent."""
    if store.invalid:
        options.logger.error(
            JWTSessionError("Session cookie is malformed, duplicated or too large")
        )
        return SessionAnswer(_NULL, store.clean())
    if not store.value:
        return _SIGNED_OUT
    return None


def session_user(token: Mapping[str, Any]) -> dict[str, Any]:
    """`{name, email, image: picture}`; a key absent from the token is left out, as
    `JSON.stringify` drops `undefined`, while a present `None` stays `null`."""
    user: dict[str, Any] = {}
    if "name" in token:
        user["name"] = token["name"]
    if "email" in token:
        user["email"] = token["email"]
    if "picture" in token:
        user["image"] = token["picture"]
    return user


def kept_issue(options: Options, now: float, payload: Mapping[str, Any]) -> float | None:
    """Under `session.jwt_reissue="update_age"` (docs/differences.md row 16), the issue
    time of a token younger than `update_age`: its cookie is kept as it is, not re-issued.
    None means re-issue (the default, Auth.js's rolling session). The caller has already
    ruled out a `jwt` callback (its token may differ) and POST (an update)."""
    if options.session_jwt_reissue != "update_age" or options.callbacks.jwt is not None:
        return None
    issued = payload.get("iat")
    if not isinstance(issued, (int, float)) or isinstance(issued, bool):
        return None  # absent, or a custom `jwt.encode` without it
    age = now - issued
    return issued if 0 <= age < options.session_update_age else None


def no_user_code(options: Options) -> bool:
    """Whether a JWT session read of this config runs no user code (`jwt` / `session`
    callbacks, `session` event, custom `jwt.encode` / `decode`): then `read_plain` is the
    whole read, with no driver needed."""
    callbacks = options.callbacks
    return (
        options.session_strategy == "jwt"
        and options.jwt_encode is None
        and options.jwt_decode is None
        and callbacks.jwt is None
        and callbacks.session is None
        and options.events.session is None
    )


def read_plain(options: Options, store: SessionStore, salt: str, now: float) -> SessionAnswer:
    """A JWT session read (not an update) for a config with `no_user_code`: decode, answer,
    re-issue (unless `kept_issue`). Shared by `read` and the GET `/session` fast path."""
    unreadable = _unreadable(options, store)
    if unreadable is not None:
        return unreadable
    try:
        payload = jwt.decode_with(
            options.secrets, salt, store.value, now=now, max_length=options.limits.max_token_chars
        )
        if not isinstance(payload, dict) or not payload:
            raise ValueError("Invalid JWT")
        kept = kept_issue(options, now, payload)
        body = {
            "user": session_user(payload),
            "expires": iso_expires(now if kept is None else kept, options.session_max_age),
        }
        encoded_body = dumps(body)
        cookies: list[Cookie] = []
        if kept is None:
            new_token = jwt.encode_with(
                options.secrets[0], salt, payload, max_age=options.jwt_max_age, now=now
            )
            store.check_fits(new_token, payload)
            cookies = store.chunk(new_token, expires=now + options.session_max_age)
    except Exception as exc:
        options.logger.error(JWTSessionError("Could not read the session", cause=exc))
        return SessionAnswer(_NULL, store.clean())
    return SessionAnswer(encoded_body, cookies)


def read(ctx: Context, *, update: bool = False) -> Flow[SessionAnswer]:
    """The session of the request's cookies, JWT or database strategy, with the `jwt` and
    `session` callbacks and the `session` event: the one home of session reading."""
    options = ctx.options
    store = ctx.session_store()
    new_session = ctx.parsed.body.get("data") if update else None
    if options.session_strategy == "database":
        return (
            yield from read_database(
                options, store, ctx.now, update=update, new_session=new_session
            )
        )
    if not update and no_user_code(options):
        return read_plain(options, store, ctx.cookie_defs.session_token.name, ctx.now)
    unreadable = _unreadable(options, store)
    if unreadable is not None:
        return unreadable
    try:
        payload = yield from decode_session(ctx, store.value)
        token: Any = payload
        if options.callbacks.jwt is not None:
            extra: dict[str, Any] = {"trigger": "update"} if update else {}
            token = yield from call(
                options.callbacks.jwt, token=payload, session=new_session, **extra
            )
        if token is None:
            return SessionAnswer(_NULL, store.clean())
        if not isinstance(token, Mapping):
            raise TypeError("the jwt callback must return a dict or None")
        kept = None if update or token is not payload else kept_issue(options, ctx.now, payload)
        body: Any = {
            "user": session_user(token),
            "expires": iso_expires(ctx.now if kept is None else kept, options.session_max_age),
        }
        if options.callbacks.session is not None:
            body = yield from call(options.callbacks.session, session=body, token=token)
        encoded_body = dumps(body)
        cookies: list[Cookie] = []
        if kept is None:
            new_token = yield from encode_session(ctx, token)
            store.check_fits(new_token, token)
            cookies = store.chunk(new_token, expires=ctx.now + options.session_max_age)
        if options.events.session is not None:
            yield from fire(ctx, options.events.session, session=body, token=token)
    except Exception as exc:
        options.logger.error(JWTSessionError("Could not read the session", cause=exc))
        return SessionAnswer(_NULL, store.clean())
    return SessionAnswer(encoded_body, cookies)


def session(ctx: Context, *, update: bool) -> Flow[Response]:
    """GET / POST `/session`: `read`, answered with the `init` cookies before the session's."""
    answer = yield from read(ctx, update=update)
    return json_response(
        None,
        cookies=[*ctx.cookies, *answer.cookies],
        headers=() if update else NO_CACHE,
        encoded=answer.encoded,
    )
