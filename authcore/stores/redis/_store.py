"""`RedisStore` (redis-py) and `AsyncRedisStore` (`redis.asyncio`): thin drivers over `Ops`."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar

import redis
import redis.asyncio

from .._types import (
    AdapterAccount,
    AdapterAuthenticator,
    AdapterSession,
    AdapterUser,
    ProviderAccountKey,
    SessionAndUser,
    VerificationToken,
)
from ._ops import Call, Op, Ops, RedisStoreError
from ._scripts import SCRIPTS

__all__ = ["AsyncRedisStore", "RedisStore"]

T = TypeVar("T")

DEFAULT_PREFIX = "authcore:"
DEFAULT_RETAIN = timedelta(days=7)


def _refused(error: redis.ResponseError) -> Exception:
    text = str(error)
    if text.startswith("AUTHCORE "):
        return RedisStoreError(text.removeprefix("AUTHCORE ").split(" script:")[0])
    return error


class RedisStore:
    """A store on a blocking `redis.Redis` client (Flask, Django WSGI, scripts).

    Needs Redis 6.2 or newer (GETDEL, PXAT). Sessions and verification tokens carry a Redis
    TTL: `retain` (a week by default) after their `expires`, so the core can still tell an
    expired link or session from an unknown one; users, accounts and authenticators are kept
    until deleted.
    """

    def __init__(
        self,
        client: redis.Redis,
        *,
        prefix: str = DEFAULT_PREFIX,
        retain: timedelta = DEFAULT_RETAIN,
    ) -> None:
        self.client = client
        self._ops = Ops(prefix, retain)
        self._scripts = {name: client.register_script(src) for name, src in SCRIPTS.items()}

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        prefix: str = DEFAULT_PREFIX,
        retain: timedelta = DEFAULT_RETAIN,
        **options: Any,
    ) -> RedisStore:
        return cls(redis.Redis.from_url(url, **options), prefix=prefix, retain=retain)

    def _call(self, call: Call) -> Any:
        try:
            if call.script:
                return self._scripts[call.script](keys=list(call.keys), args=list(call.args))
            return getattr(self.client, call.command)(*call.args, **call.options)
        except redis.ResponseError as error:
            raise _refused(error) from None

    def _run(self, op: Op[T]) -> T:
        try:
            call = next(op)
            while True:
                call = op.send(self._call(call))
        except StopIteration as done:
            result: T = done.value
            return result

    def create_user(self, user: AdapterUser) -> AdapterUser:
        return self._run(self._ops.create_user(user))

    def get_user(self, id: str) -> AdapterUser | None:
        return self._run(self._ops.get_user(id))

    def get_user_by_email(self, email: str) -> AdapterUser | None:
        return self._run(self._ops.get_user_by_email(email))

    def get_user_by_account(self, key: ProviderAccountKey) -> AdapterUser | None:
        return self._run(self._ops.get_user_by_account(key))

    def update_user(self, user: dict[str, object]) -> AdapterUser:
        return self._run(self._ops.update_user(user))

    def delete_user(self, id: str) -> AdapterUser | None:
        return self._run(self._ops.delete_user(id))

    def link_account(self, account: AdapterAccount) -> AdapterAccount | None:
        return self._run(self._ops.link_account(account))

    def unlink_account(self, key: ProviderAccountKey) -> AdapterAccount | None:
        return self._run(self._ops.unlink_account(key))

    def get_account(self, provider_account_id: str, provider: str) -> AdapterAccount | None:
        return self._run(self._ops.get_account(provider_account_id, provider))

    def create_session(self, session: AdapterSession) -> AdapterSession:
        return self._run(self._ops.create_session(session))

    def get_session_and_user(self, session_token: str) -> SessionAndUser | None:
        return self._run(self._ops.get_session_and_user(session_token))

    def update_session(self, session: dict[str, object]) -> AdapterSession | None:
        return self._run(self._ops.update_session(session))

    def delete_session(self, session_token: str) -> AdapterSession | None:
        return self._run(self._ops.delete_session(session_token))

    def create_verification_token(self, token: VerificationToken) -> VerificationToken | None:
        return self._run(self._ops.create_verification_token(token))

    def use_verification_token(self, identifier: str, token: str) -> VerificationToken | None:
        return self._run(self._ops.use_verification_token(identifier, token))

    def create_authenticator(self, authenticator: AdapterAuthenticator) -> AdapterAuthenticator:
        return self._run(self._ops.create_authenticator(authenticator))

    def get_authenticator(self, credential_id: str) -> AdapterAuthenticator | None:
        return self._run(self._ops.get_authenticator(credential_id))

    def list_authenticators_by_user_id(self, user_id: str) -> list[AdapterAuthenticator]:
        return self._run(self._ops.list_authenticators_by_user_id(user_id))

    def update_authenticator_counter(
        self, credential_id: str, counter: int
    ) -> AdapterAuthenticator:
        return self._run(self._ops.update_authenticator_counter(credential_id, counter))

    def purge_expired(self, now: datetime | None = None) -> int:
        """Delete what expired before `now` and is still retained; returns how many went."""
        return self._run(self._ops.purge_expired(now or datetime.now(timezone.utc)))

    def close(self) -> None:
        self.client.close()


class AsyncRedisStore:
    """The same store on a `redis.asyncio.Redis` client (Starlette, FastAPI, Django ASGI)."""

    def __init__(
        self,
        client: redis.asyncio.Redis,
        *,
        prefix: str = DEFAULT_PREFIX,
        retain: timedelta = DEFAULT_RETAIN,
    ) -> None:
        self.client = client
        self._ops = Ops(prefix, retain)
        self._scripts = {name: client.register_script(src) for name, src in SCRIPTS.items()}

    @classmethod
    def from_url(cls, url: str, *, prefix: str = DEFAULT_PREFIX, **options: Any) -> AsyncRedisStore:
        return cls(redis.asyncio.Redis.from_url(url, **options), prefix=prefix)

    async def _call(self, call: Call) -> Any:
        try:
            if call.script:
                return await self._scripts[call.script](keys=list(call.keys), args=list(call.args))
            return await getattr(self.client, call.command)(*call.args, **call.options)
        except redis.ResponseError as error:
            raise _refused(error) from None

    async def _run(self, op: Op[T]) -> T:
        try:
            call = next(op)
            while True:
                call = op.send(await self._call(call))
        except StopIteration as done:
            result: T = done.value
            return result

    async def create_user(self, user: AdapterUser) -> AdapterUser:
        return await self._run(self._ops.create_user(user))

    async def get_user(self, id: str) -> AdapterUser | None:
        return await self._run(self._ops.get_user(id))

    async def get_user_by_email(self, email: str) -> AdapterUser | None:
        return await self._run(self._ops.get_user_by_email(email))

    async def get_user_by_account(self, key: ProviderAccountKey) -> AdapterUser | None:
        return await self._run(self._ops.get_user_by_account(key))

    async def update_user(self, user: dict[str, object]) -> AdapterUser:
        return await self._run(self._ops.update_user(user))

    async def delete_user(self, id: str) -> AdapterUser | None:
        return await self._run(self._ops.delete_user(id))

    async def link_account(self, account: AdapterAccount) -> AdapterAccount | None:
        return await self._run(self._ops.link_account(account))

    async def unlink_account(self, key: ProviderAccountKey) -> AdapterAccount | None:
        return await self._run(self._ops.unlink_account(key))

    async def get_account(self, provider_account_id: str, provider: str) -> AdapterAccount | None:
        return await self._run(self._ops.get_account(provider_account_id, provider))

    async def create_session(self, session: AdapterSession) -> AdapterSession:
        return await self._run(self._ops.create_session(session))

    async def get_session_and_user(self, session_token: str) -> SessionAndUser | None:
        return await self._run(self._ops.get_session_and_user(session_token))

    async def update_session(self, session: dict[str, object]) -> AdapterSession | None:
        return await self._run(self._ops.update_session(session))

    async def delete_session(self, session_token: str) -> AdapterSession | None:
        return await self._run(self._ops.delete_session(session_token))

    async def create_verification_token(self, token: VerificationToken) -> VerificationToken | None:
        return await self._run(self._ops.create_verification_token(token))

    async def use_verification_token(self, identifier: str, token: str) -> VerificationToken | None:
        return await self._run(self._ops.use_verification_token(identifier, token))

    async def create_authenticator(
        self, authenticator: AdapterAuthenticator
    ) -> AdapterAuthenticator:
        return await self._run(self._ops.create_authenticator(authenticator))

    async def get_authenticator(self, credential_id: str) -> AdapterAuthenticator | None:
        return await self._run(self._ops.get_authenticator(credential_id))

    async def list_authenticators_by_user_id(self, user_id: str) -> list[AdapterAuthenticator]:
        return await self._run(self._ops.list_authenticators_by_user_id(user_id))

    async def update_authenticator_counter(
        self, credential_id: str, counter: int
    ) -> AdapterAuthenticator:
        return await self._run(self._ops.update_authenticator_counter(credential_id, counter))

    async def purge_expired(self, now: datetime | None = None) -> int:
        """Delete what expired before `now` and is still retained; returns how many went."""
        return await self._run(self._ops.purge_expired(now or datetime.now(timezone.utc)))

    async def close(self) -> None:
        await self.client.aclose()
