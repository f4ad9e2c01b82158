"""The email send limit counted in Redis, so every process and server behind one app shares
it: the same rule as `authcore.providers.email.SendLimit` (at most `per_identifier` mails
to an address and `per_ip` per client IP in any `window` seconds), kept in two sorted sets of
send times, checked and recorded by one Lua script so concurrent requests cannot both take
the last slot. Keys hold a hash of the address, never the address, and expire after a window.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable
from typing import Any

from ..._http import Request
from ...providers._email import client_key
from ._store import DEFAULT_PREFIX

__all__ = ["RedisSendLimit"]

# KEYS address, ip-or-''; ARGV now, window, per_identifier, per_ip, member
_SCRIPT = """
local now, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local ttl = math.ceil(window * 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
if KEYS[2] ~= '' then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
  if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[4]) then return 0 end
  redis.call('ZADD', KEYS[2], now, ARGV[5])
  redis.call('PEXPIRE', KEYS[2], ttl)
end
redis.call('ZADD', KEYS[1], now, ARGV[5])
redis.call('PEXPIRE', KEYS[1], ttl)
return 1
"""


class RedisSendLimit:
    """`send_limit=RedisSendLimit(redis.Redis(...))` (or a `redis.asyncio.Redis` for async
    apps): the default limits, shared through Redis. A Redis failure refuses the send (the
    user sees an error page, no mail goes out)."""

    def __init__(
        self,
        client: Any,
        *,
        per_identifier: int = 5,
        per_ip: int | None = 30,
        window: float = 900.0,
        prefix: str = DEFAULT_PREFIX,
    ) -> None:
        self.per_identifier = per_identifier
        self.per_ip = per_ip
        self.window = window
        self.prefix = f"{prefix}send-limit:"
        self._script = client.register_script(_SCRIPT)

    def __call__(self, identifier: str, request: Request, now: float) -> bool | Awaitable[bool]:
        address = hashlib.sha256(identifier.encode()).hexdigest()
        ip = client_key(request.client) if self.per_ip is not None else None
        keys = [f"{self.prefix}address:{address}", f"{self.prefix}ip:{ip}" if ip else ""]
        args = [now, self.window, self.per_identifier, self.per_ip or 0, secrets.token_hex(8)]
        result = self._script(keys=keys, args=args)
        if isinstance(result, Awaitable):
            return _as_bool(result)
        return bool(result)


async def _as_bool(result: Awaitable[Any]) -> bool:
    return bool(await result)
