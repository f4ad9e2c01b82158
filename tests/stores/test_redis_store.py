"""The Redis store on a real redis-server: the contract through the blocking and the asyncio
client, then what is Redis's own (TTLs, indexes, the key layout, errors without tokens)."""

from __future__ import annotations

import json
import socket
import subprocess
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import redis
import redis.asyncio

from authcore.stores.redis import AsyncRedisStore, Keys, RedisStore, RedisStoreError
from authcore.testing import PurgeConformance, StoreConformance, WebAuthnConformance
from tests.support.services import service_url

RETAIN = timedelta(hours=1)

ROOT = Path(__file__).resolve().parents[2]
_DATES = {"email_verified", "expires"}


class RawRedis:
    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self.client, self.keys = client, Keys(prefix)

    def _get(self, key: str) -> dict[str, Any] | None:
        raw = self.client.get(key)
        if raw is None:
            return None
        record: dict[str, Any] = json.loads(raw)
        for name in _DATES & record.keys():
            if record[name] is not None:
                record[name] = datetime.fromisoformat(record[name])
        return record

    def user(self, user_id: str) -> dict[str, Any] | None:
        return self._get(self.keys.user(user_id))

    def session(self, token: str) -> dict[str, Any] | None:
        return self._get(self.keys.session(token))

    def account(self, provider: str, provider_account_id: str) -> dict[str, Any] | None:
        return self._get(self.keys.account(provider, provider_account_id))

    def token(self, identifier: str, token: str) -> dict[str, Any] | None:
        return self._get(self.keys.token(identifier, token))

    def authenticator(self, credential_id: str) -> dict[str, Any] | None:
        return self._get(self.keys.authenticator(credential_id))


@pytest.fixture
def prefix() -> Iterator[str]:
    """A key prefix of this test's own, deleted afterwards."""
    value = f"authcore-test:{uuid.uuid4().hex}:"
    yield value
    _drop_prefix(value)


@pytest.fixture
def raw_client() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(service_url("REDIS"))
    yield client
    client.close()


@pytest.fixture
def store(prefix: str) -> Iterator[RedisStore]:
    s = RedisStore.from_url(service_url("REDIS"), prefix=prefix, retain=RETAIN)
    yield s
    s.close()


def _drop_prefix(prefix: str) -> None:
    client = redis.Redis.from_url(service_url("REDIS"))
    keys = list(client.scan_iter(match=prefix + "*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


class TestRedisStore(StoreConformance, PurgeConformance, WebAuthnConformance):
    def make_store(self) -> RedisStore:
        return RedisStore.from_url(
            service_url("REDIS"), prefix=f"authcore-test:{uuid.uuid4().hex}:"
        )

    def close_store(self, store: RedisStore) -> None:
        _drop_prefix(store._ops.prefix)
        store.close()


class TestAsyncRedisStore(StoreConformance, PurgeConformance, WebAuthnConformance):
    def make_store(self) -> AsyncRedisStore:
        prefix = f"authcore-test:{uuid.uuid4().hex}:"
        return AsyncRedisStore.from_url(service_url("REDIS"), prefix=prefix)

    async def close_store(self, store: AsyncRedisStore) -> None:
        _drop_prefix(store._ops.prefix)
        await store.close()


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _ms(value: datetime) -> int:
    """When Redis drops a record that expires at `value`."""
    return int((value + RETAIN).timestamp() * 1000)


def _new_user(store: RedisStore, email: str | None = None) -> str:
    user_id = str(uuid.uuid4())
    store.create_user({"id": user_id, "email": email, "email_verified": None})
    return user_id


def test_sessions_and_tokens_expire_with_their_records(
    store: RedisStore, raw_client: redis.Redis, prefix: str
) -> None:
    keys = Keys(prefix)
    user_id = _new_user(store, "ttl@example.com")
    expires = _now() + timedelta(days=7)
    store.create_session({"session_token": "s1", "user_id": user_id, "expires": expires})
    assert raw_client.pexpiretime(keys.session("s1")) == _ms(expires)
    assert raw_client.pexpiretime(keys.user_sessions(user_id)) == _ms(expires)

    later = expires + timedelta(days=23)
    store.update_session({"session_token": "s1", "expires": later})
    assert raw_client.pexpiretime(keys.session("s1")) == _ms(later)
    assert raw_client.pexpiretime(keys.user_sessions(user_id)) == _ms(later)

    # a shorter second session leaves the index living as long as the longest one
    store.create_session({"session_token": "s2", "user_id": user_id, "expires": expires})
    assert raw_client.pexpiretime(keys.user_sessions(user_id)) == _ms(later)

    token_expires = _now() + timedelta(minutes=15)
    store.create_verification_token(
        {"identifier": "ttl@example.com", "token": "h", "expires": token_expires}
    )
    assert raw_client.pexpiretime(keys.token("ttl@example.com", "h")) == _ms(token_expires)
    # records without an expiry are kept until deleted
    assert raw_client.pexpiretime(keys.user(user_id)) == -1
    assert raw_client.pexpiretime(keys.email("ttl@example.com")) == -1


def test_a_session_past_its_retention_is_not_kept(
    store: RedisStore, raw_client: redis.Redis
) -> None:
    user_id = _new_user(store)
    past = _now() - RETAIN - timedelta(seconds=5)
    store.create_session({"session_token": "old", "user_id": user_id, "expires": past})
    assert store.get_session_and_user("old") is None
    assert raw_client.exists(Keys(store._ops.prefix).user_sessions(user_id)) == 0


def test_indexes_are_sets_and_stay_exact(
    store: RedisStore, raw_client: redis.Redis, prefix: str
) -> None:
    """Each user's accounts and sessions are sets (not one overwritten pointer), and unlinking
    or signing out removes exactly its own member."""
    keys = Keys(prefix)
    user_id = _new_user(store)
    expires = _now() + timedelta(days=1)
    for provider in ("github", "google:workspace"):
        store.link_account(
            {"user_id": user_id, "type": "oauth", "provider": provider, "provider_account_id": "1"}
        )
    for token in ("a", "b"):
        store.create_session({"session_token": token, "user_id": user_id, "expires": expires})
    assert raw_client.smembers(keys.user_accounts(user_id)) == {
        b"github:1",
        b"google%3Aworkspace:1",
    }
    assert raw_client.smembers(keys.user_sessions(user_id)) == {b"a", b"b"}
    store.unlink_account({"provider": "google:workspace", "provider_account_id": "1"})
    store.delete_session("a")
    assert raw_client.smembers(keys.user_accounts(user_id)) == {b"github:1"}
    assert raw_client.smembers(keys.user_sessions(user_id)) == {b"b"}


def test_purge_expired_drops_index_entries_of_expired_sessions(
    store: RedisStore, raw_client: redis.Redis, prefix: str
) -> None:
    keys = Keys(prefix)
    user_id = _new_user(store)
    expires = _now() + timedelta(days=1)
    for token in ("gone", "kept"):
        store.create_session({"session_token": token, "user_id": user_id, "expires": expires})
    raw_client.delete(keys.session("gone"))  # what Redis does when the TTL runs out
    assert store.purge_expired() == 1
    assert raw_client.smembers(keys.user_sessions(user_id)) == {b"kept"}
    assert store.purge_expired() == 0
    assert store.purge_expired(expires + timedelta(seconds=1)) == 1  # retained, now purged
    assert raw_client.exists(keys.session("kept"), keys.user_sessions(user_id)) == 0


def test_refusals_are_store_errors_without_the_token(store: RedisStore) -> None:
    user_id = _new_user(store)
    secret = "session-" + uuid.uuid4().hex
    session = {"session_token": secret, "user_id": user_id, "expires": _now() + timedelta(days=1)}
    store.create_session(session)  # type: ignore[arg-type]
    with pytest.raises(RedisStoreError) as caught:
        store.create_session(session)  # type: ignore[arg-type]
    assert str(caught.value) == "duplicate session token"
    assert secret not in repr(caught.value) and caught.value.__cause__ is None
    with pytest.raises(RedisStoreError, match="no such user"):
        store.update_user({"id": "missing", "name": "x"})
    with pytest.raises(ValueError, match="timezone-aware"):
        store.create_session({**session, "expires": datetime(2030, 1, 1)})  # type: ignore[typeddict-item]


def test_prefixes_keep_two_stores_apart(store: RedisStore, prefix: str) -> None:
    other = RedisStore(store.client, prefix=prefix + "other:")
    user_id = _new_user(store, "apart@example.com")
    assert other.get_user(user_id) is None
    assert other.get_user_by_email("apart@example.com") is None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_scripts_services_start_and_stop_a_throwaway_redis(tmp_path: Path) -> None:
    """The fallback of scripts/test when no Redis listens: start_redis, use, stop_services."""
    port = _free_port()
    script = f"""
        set -euo pipefail
        source scripts/_services.sh
        AUTHCORE_SERVICES_DIR={tmp_path}/services
        mkdir -p "$AUTHCORE_SERVICES_DIR"
        trap stop_services EXIT
        start_redis {port}
        {ROOT}/.venv/bin/python -c '
from authcore.stores.redis import RedisStore
s = RedisStore.from_url("redis://127.0.0.1:{port}/0")
s.create_user({{"id": "u1", "email": "x@example.com", "email_verified": None}})
print(s.get_user_by_email("x@example.com")["id"])
'
    """
    done = subprocess.run(
        ["bash", "-c", script], check=False, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "u1"
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
    assert not (tmp_path / "services").exists()
