"""`RedisSendLimit` against the Redis on 127.0.0.1, through `Auth()` with a real SMTP server:
two apps (two configs, two clients: two processes as far as the limit can tell) share the
per-address and per-IP counts; the window slides; a Redis that is down refuses the send
cleanly."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis
import redis.asyncio

from authcore import Auth, Request
from authcore.providers.nodemailer import Nodemailer
from authcore.stores.memory import AsyncMemoryStore, MemoryStore
from authcore.stores.redis import RedisSendLimit
from tests.support.services import service_url
from tests.support.smtp import Mailbox, smtp_server
from tests.support.stores import BASE, SECRET, Browser, Clock

START = 1_800_000_000.0
SENT = f"{BASE}/verify-request?provider=nodemailer&type=email"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as box:
        yield box


@pytest.fixture
def prefix() -> Iterator[str]:
    name = f"authcore-test:{uuid.uuid4().hex}:"
    yield name
    client = redis.Redis.from_url(service_url("REDIS"))
    keys = list(client.scan_iter(f"{name}*"))
    if keys:
        client.delete(*keys)
    client.close()


def _app(box: Mailbox, limit: Any, clock: Clock, store: Any = None) -> dict[str, Any]:
    return {
        "secret": SECRET,
        "env": {},
        "adapter": store if store is not None else MemoryStore(),
        "clock": clock,
        "providers": [Nodemailer(server=box.url, send_limit=limit)],
    }


def _ask(config: dict[str, Any], email: str, client: str = "198.51.100.7") -> str | None:
    browser = Browser(config, client=client)
    form = {"csrfToken": browser.csrf(), "email": email, "callbackUrl": "/"}
    return browser.call("POST", "/signin/nodemailer", form=form).location


def _limit(prefix: str, **options: Any) -> RedisSendLimit:
    return RedisSendLimit(redis.Redis.from_url(service_url("REDIS")), prefix=prefix, **options)


def test_two_apps_share_the_address_limit(mailbox: Mailbox, prefix: str) -> None:
    clock = Clock(START)
    one = _app(mailbox, _limit(prefix, per_identifier=2), clock)
    two = _app(mailbox, _limit(prefix, per_identifier=2), clock)
    answers = [
        _ask(app, "alice@example.com", f"198.51.100.{i}")
        for i, app in enumerate([one, two, one, two])
    ]
    assert answers == [SENT] * 4  # the refused ones look sent
    assert len(mailbox.received) == 2
    assert _ask(two, "bob@example.com") == SENT
    assert len(mailbox.received) == 3


def test_two_apps_share_the_ip_limit_and_the_window_slides(mailbox: Mailbox, prefix: str) -> None:
    clock = Clock(START)
    one = _app(mailbox, _limit(prefix, per_ip=2, window=60), clock)
    two = _app(mailbox, _limit(prefix, per_ip=2, window=60), clock)
    _ask(one, "a@example.com")
    clock.now += 30
    _ask(two, "b@example.com")
    _ask(one, "c@example.com")  # a third from the IP within a minute: refused
    _ask(two, "d@example.com", client="2001:db8::1")  # another client
    assert [m.rcpt_tos for m in mailbox.received] == [
        ["a@example.com"],
        ["b@example.com"],
        ["d@example.com"],
    ]
    clock.now += 31  # the first send is out of the window, the second is not
    _ask(two, "e@example.com")
    _ask(one, "f@example.com")
    assert [m.rcpt_tos for m in mailbox.received][3:] == [["e@example.com"]]
    # the keys expire with the window and hold no address
    client = redis.Redis.from_url(service_url("REDIS"))
    keys = [k.decode() for k in client.scan_iter(f"{prefix}*")]
    assert keys and all("@" not in k for k in keys)
    assert all(0 < client.pttl(k) <= 60_000 for k in keys)
    client.close()


def test_async_apps_use_redis_asyncio(mailbox: Mailbox, prefix: str) -> None:
    async def run() -> list[str | None]:
        client = redis.asyncio.Redis.from_url(service_url("REDIS"))
        limit = RedisSendLimit(client, prefix=prefix, per_identifier=1)
        config = _app(mailbox, limit, Clock(START), AsyncMemoryStore())
        answers = []
        for _ in range(2):
            csrf = await Auth(Request("GET", f"{BASE}/csrf"), config)
            cookie = "; ".join(c.split(";")[0] for c in csrf.set_cookies)
            body = f"csrfToken={csrf.json()['csrfToken']}&email=alice%40example.com".encode()
            headers = {"cookie": cookie, "content-type": "application/x-www-form-urlencoded"}
            url = f"{BASE}/signin/nodemailer"
            answers.append(
                (await Auth(Request("POST", url, headers, body, "::1"), config)).location
            )
        await client.aclose()
        return answers

    assert asyncio.run(run()) == [SENT, SENT]
    assert len(mailbox.received) == 1


def test_a_redis_that_is_down_refuses_the_send_cleanly(mailbox: Mailbox) -> None:
    down = RedisSendLimit(redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=1))
    store = MemoryStore()
    location = _ask(_app(mailbox, down, Clock(START), store), "alice@example.com")
    assert location is not None and location.startswith(f"{BASE}/error?error=")
    assert mailbox.received == [] and store._tokens == {}
