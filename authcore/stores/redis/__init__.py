"""A Redis store (redis-py, `pip install 'authcore[redis]'`), sync and async.

    from authcore.stores.redis import AsyncRedisStore
    config = {"adapter": AsyncRedisStore.from_url("redis://127.0.0.1:6379/0"), ...}

Sessions and verification tokens carry a Redis TTL a retention window past their `expires`
(moved when a session is extended), single-use tokens are taken with GETDEL, and each user's
accounts, sessions and authenticators are kept in sets, so deleting a user removes them all.
`RedisSendLimit` is the email send limit shared by every process. See docs/stores/redis.md.
"""

from __future__ import annotations

from ._keys import Keys
from ._ops import RedisStoreError
from ._send_limit import RedisSendLimit
from ._store import DEFAULT_PREFIX, DEFAULT_RETAIN, AsyncRedisStore, RedisStore

__all__ = [
    "DEFAULT_PREFIX",
    "DEFAULT_RETAIN",
    "AsyncRedisStore",
    "Keys",
    "RedisSendLimit",
    "RedisStore",
    "RedisStoreError",
]
