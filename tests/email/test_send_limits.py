"""The default send limit, per address and per client IP, through `Auth()` with a real SMTP
server (aiosmtpd on 127.0.0.1): a refused send answers exactly like a sent one and mails
nothing; behind a proxy, `trusted_proxy_hops` says which `X-Forwarded-For` entry is the
client, and without it the header changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from authcore import Request, auth_sync, validate_config
from authcore.errors import ConfigError
from authcore.providers.email import SendLimit
from authcore.providers.nodemailer import Nodemailer
from authcore.stores.memory import MemoryStore
from tests.support.security import RecordingLogger
from tests.support.smtp import Mailbox, smtp_server
from tests.support.stores import BASE, SECRET, Browser, Clock

START = 1_800_000_000.0
SENT = f"{BASE}/verify-request?provider=nodemailer&type=email"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as box:
        yield box


def _config(box: Mailbox, **extra: Any) -> dict[str, Any]:
    limit = extra.pop("send_limit", None)
    provider: dict[str, Any] = {} if limit is None else {"send_limit": limit}
    return {
        "secret": SECRET,
        "env": {},
        "adapter": MemoryStore(),
        "clock": extra.pop("clock", Clock(START)),
        "providers": [Nodemailer(server=box.url, from_="Auth <auth@example.com>", **provider)],
        **extra,
    }


def _ask(browser: Browser, email: str, headers: dict[str, str] | None = None) -> str | None:
    form = {"csrfToken": browser.csrf(), "email": email, "callbackUrl": "/"}
    res = browser.call("POST", "/signin/nodemailer", form=form, headers=headers)
    assert res.status == 302
    return res.location


def test_one_ip_gets_30_mails_per_window_by_default(mailbox: Mailbox) -> None:
    logger = RecordingLogger()
    config = _config(mailbox, logger=logger)
    browser = Browser(config, client="198.51.100.7")
    answers = {_ask(browser, f"user{i}@example.com") for i in range(32)}
    assert answers == {SENT}  # the refused ones look sent: nobody learns who is throttled
    assert len(mailbox.received) == 30
    assert [m.rcpt_tos for m in mailbox.received][-1] == ["user29@example.com"]
    assert logger.warnings.count("email_send_limited") == 2
    # another client is not held back by the first one's sends
    assert _ask(Browser(config, client="198.51.100.8"), "user31@example.com") == SENT
    assert mailbox.received[-1].rcpt_tos == ["user31@example.com"]


def test_the_window_frees_the_ip_again(mailbox: Mailbox) -> None:
    clock = Clock(START)
    config = _config(mailbox, clock=clock, send_limit=SendLimit(per_ip=2, window=60))
    browser = Browser(config, client="198.51.100.7")
    for i in range(3):
        _ask(browser, f"user{i}@example.com")
    assert len(mailbox.received) == 2
    clock.now += 61
    _ask(browser, "late@example.com")
    assert mailbox.received[-1].rcpt_tos == ["late@example.com"]


def test_a_send_refused_per_ip_costs_the_address_nothing(mailbox: Mailbox) -> None:
    config = _config(mailbox, send_limit=SendLimit(per_identifier=1, per_ip=1))
    _ask(Browser(config, client="198.51.100.7"), "a@example.com")
    _ask(Browser(config, client="198.51.100.7"), "b@example.com")  # refused: the IP
    _ask(Browser(config, client="198.51.100.9"), "b@example.com")  # b's one mail
    assert [m.rcpt_tos for m in mailbox.received] == [["a@example.com"], ["b@example.com"]]


def test_ipv6_clients_count_by_their_64(mailbox: Mailbox) -> None:
    config = _config(mailbox, send_limit=SendLimit(per_ip=2))
    for i, client in enumerate(["2001:db8:1:2::1", "2001:db8:1:2:ffff::9", "2001:db8:1:2::2"]):
        _ask(Browser(config, client=client), f"user{i}@example.com")
    assert len(mailbox.received) == 2  # one /64
    _ask(Browser(config, client="2001:db8:1:3::1"), "other@example.com")
    assert len(mailbox.received) == 3


def test_an_ipv4_mapped_address_is_the_ipv4_one(mailbox: Mailbox) -> None:
    config = _config(mailbox, send_limit=SendLimit(per_ip=1))
    _ask(Browser(config, client="198.51.100.7"), "a@example.com")
    _ask(Browser(config, client="::ffff:198.51.100.7"), "b@example.com")
    assert len(mailbox.received) == 1


def test_an_unknown_client_is_held_by_the_address_limit_only(mailbox: Mailbox) -> None:
    config = _config(mailbox, send_limit=SendLimit(per_identifier=2, per_ip=1))
    browser = Browser(config)  # Request.client is None
    for i in range(3):
        _ask(browser, f"user{i}@example.com")
    _ask(browser, "user0@example.com")
    _ask(browser, "user0@example.com")
    assert len(mailbox.received) == 4  # three addresses, user0 twice, not three times


def test_per_ip_none_turns_the_ip_limit_off(mailbox: Mailbox) -> None:
    config = _config(mailbox, send_limit=SendLimit(per_ip=None))
    browser = Browser(config, client="198.51.100.7")
    for i in range(31):
        _ask(browser, f"user{i}@example.com")
    assert len(mailbox.received) == 31


def test_x_forwarded_for_is_ignored_unless_proxies_are_trusted(mailbox: Mailbox) -> None:
    config = _config(mailbox, send_limit=SendLimit(per_ip=1))
    proxy = Browser(config, client="10.0.0.2")
    _ask(proxy, "a@example.com", {"X-Forwarded-For": "198.51.100.1"})
    _ask(proxy, "b@example.com", {"X-Forwarded-For": "198.51.100.2"})  # a forged header
    assert len(mailbox.received) == 1


def test_trusted_proxy_hops_picks_the_client_from_x_forwarded_for(mailbox: Mailbox) -> None:
    config = _config(mailbox, send_limit=SendLimit(per_ip=1), trusted_proxy_hops=2)
    proxy = Browser(config, client="10.0.0.2")
    # the client may write anything left of what the two trusted proxies appended
    _ask(proxy, "a@example.com", {"X-Forwarded-For": "1.2.3.4, 198.51.100.1, 10.0.0.1"})
    _ask(proxy, "b@example.com", {"X-Forwarded-For": "5.6.7.8, 198.51.100.1, 10.0.0.1"})
    assert len(mailbox.received) == 1
    # several headers are one list; the other client gets its own count
    headers = [("x-forwarded-for", "198.51.100.2"), ("x-forwarded-for", "10.0.0.1")]
    csrf = auth_sync(Request("GET", f"{BASE}/csrf", client="10.0.0.2"), config)
    cookie = "; ".join(c.split(";", 1)[0] for c in csrf.set_cookies)
    body = f"csrfToken={csrf.json()['csrfToken']}&email=c%40example.com".encode()
    form = [("cookie", cookie), ("content-type", "application/x-www-form-urlencoded")]
    url = f"{BASE}/signin/nodemailer"
    res = auth_sync(Request("POST", url, [*headers, *form], body, "10.0.0.2"), config)
    assert res.location == SENT
    assert [m.rcpt_tos for m in mailbox.received] == [["a@example.com"], ["c@example.com"]]


@pytest.mark.parametrize("xff", ["198.51.100.1:443", "[2001:db8::1]:443", " 198.51.100.1 "])
def test_forwarded_addresses_may_carry_a_port(mailbox: Mailbox, xff: str) -> None:
    config = _config(mailbox, send_limit=SendLimit(per_ip=1), trusted_proxy_hops=1)
    _ask(Browser(config, client="10.0.0.2"), "a@example.com", {"X-Forwarded-For": xff})
    _ask(Browser(config, client="10.0.0.2"), "b@example.com")  # the proxy's own count
    _ask(Browser(config, client="10.0.0.2"), "c@example.com", {"X-Forwarded-For": xff})
    assert [m.rcpt_tos for m in mailbox.received] == [["a@example.com"], ["b@example.com"]]


@pytest.mark.parametrize("xff", ["198.51.100.1", "not-an-ip, 10.0.0.1", ""])
def test_too_short_or_garbled_x_forwarded_for_leaves_the_peer(mailbox: Mailbox, xff: str) -> None:
    config = _config(mailbox, send_limit=SendLimit(per_ip=1), trusted_proxy_hops=2)
    _ask(Browser(config, client="10.0.0.2"), "a@example.com", {"X-Forwarded-For": xff})
    _ask(Browser(config, client="10.0.0.2"), "b@example.com")  # same peer: refused
    assert len(mailbox.received) == 1


@pytest.mark.parametrize("hops", [-1, True, "1", 1.5, 33])
def test_trusted_proxy_hops_must_be_a_count(mailbox: Mailbox, hops: Any) -> None:
    with pytest.raises(ConfigError) as err:
        validate_config(_config(mailbox, trusted_proxy_hops=hops))
    assert err.value.details["option"] == "trusted_proxy_hops"
