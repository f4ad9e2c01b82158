"""Email sign-in through `Auth()` with a real SMTP server (aiosmtpd on 127.0.0.1): the link
from the received mail signs in, once; bad addresses, bad links and failing servers each end
on a clear page with nothing stored and no mail sent."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Iterator
from html import escape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from authcore import Auth, Request
from authcore.providers.nodemailer import Nodemailer
from authcore.stores.memory import AsyncMemoryStore, MemoryStore
from tests.support.security import RecordingLogger
from tests.support.smtp import Mailbox, hung_server, smtp_server
from tests.support.stores import BASE, SECRET, SESSION, Browser, Clock

ADDRESS = "alice@example.com"
START = 1_800_000_000.0


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as box:
        yield box


def _config(box: Mailbox, store: Any, **extra: Any) -> dict[str, Any]:
    provider_options = extra.pop("provider", {})
    config: dict[str, Any] = {
        "secret": SECRET,
        "env": {},
        "adapter": store,
        "clock": extra.pop("clock", Clock(START)),
        "providers": [
            Nodemailer(server=box.url, from_="Auth <auth@example.com>", **provider_options)
        ],
    }
    config.update(extra)
    return config


def _request_link(browser: Browser, email: str = ADDRESS, **form: str) -> Any:
    return browser.call(
        "POST",
        "/signin/nodemailer",
        form={"csrfToken": browser.csrf(), "email": email, "callbackUrl": "/dashboard", **form},
    )


def _path(link: str) -> str:
    parts = urlsplit(link)
    assert link.startswith(BASE)
    return f"{parts.path.removeprefix('/api/auth')}?{parts.query}"


def _tokens(store: MemoryStore) -> list[dict[str, Any]]:
    return list(store._tokens.values())


def test_the_mailed_link_signs_a_new_user_in_once(mailbox: Mailbox) -> None:
    store = MemoryStore()
    browser = Browser(_config(mailbox, store))
    res = _request_link(browser)
    assert res.status == 302
    assert res.location == f"{BASE}/verify-request?provider=nodemailer&type=email"

    [mail] = mailbox.received
    assert mail.rcpt_tos == [ADDRESS]
    assert mail.message["To"] == ADDRESS
    assert mail.message["Subject"] == "Sign in to localhost:3000"
    link = mail.link()
    query = parse_qs(urlsplit(link).query)
    raw = query["token"][0]
    assert query["email"] == [ADDRESS]
    assert query["callbackUrl"] == ["http://localhost:3000/dashboard"]
    assert len(raw) == 64
    html = mail.part("html")
    assert f'href="{escape(link)}"' in html
    shown = html.replace(escape(link), "")
    assert "alice" not in shown  # the address is only in the link (CVE-2022-31127)
    assert "localhost&#8203;:3000" not in shown and "localhost:3000" in shown

    # Stored hashed, as @auth/core hashes it: sha256 hex of token + secret.
    [row] = _tokens(store)
    assert row["token"] == hashlib.sha256((raw + SECRET).encode()).hexdigest()
    assert row["identifier"] == ADDRESS

    res = browser.call("GET", _path(link))
    assert res.status == 302
    assert res.location == "http://localhost:3000/dashboard"
    session = browser.session()
    assert session["user"]["email"] == ADDRESS
    user = store.get_user_by_email(ADDRESS)
    assert user is not None and user["email_verified"] is not None
    assert store.get_session_and_user(browser.jar[SESSION]) is not None
    assert _tokens(store) == []

    again = Browser(_config(mailbox, store)).call("GET", _path(link))
    assert again.location == f"{BASE.removesuffix('/api/auth')}/api/auth/error?error=Verification"


def test_jwt_strategy_and_a_returning_user(mailbox: Mailbox) -> None:
    store = MemoryStore()
    existing = store.create_user({"id": "u1", "email": ADDRESS, "email_verified": None})
    browser = Browser(_config(mailbox, store, session={"strategy": "jwt"}))
    _request_link(browser)
    res = browser.call("GET", _path(mailbox.received[0].link()))
    assert res.location == "http://localhost:3000/dashboard"
    session = browser.session()
    assert session["user"]["email"] == ADDRESS
    updated = store.get_user(existing["id"])
    assert updated is not None and updated["email_verified"] is not None
    assert len(store._users) == 1
    assert store._sessions == {}


def test_an_expired_link_is_refused(mailbox: Mailbox) -> None:
    clock = Clock(START)
    store = MemoryStore()
    browser = Browser(_config(mailbox, store, clock=clock, provider={"max_age": 600}))
    _request_link(browser)
    clock.now = START + 601
    res = browser.call("GET", _path(mailbox.received[0].link()))
    assert res.location == f"{BASE}/error?error=Verification"
    assert store.get_user_by_email(ADDRESS) is None
    page = browser.call("GET", "/error?error=Verification")
    assert page.status == 403
    assert "The sign in link is no longer valid." in page.text


def test_a_token_for_another_address_is_refused_and_the_real_one_still_works(
    mailbox: Mailbox,
) -> None:
    store = MemoryStore()
    browser = Browser(_config(mailbox, store))
    _request_link(browser)
    link = mailbox.received[0].link()
    forged = link.replace("alice%40example.com", "mallory%40example.com")
    assert forged != link
    res = browser.call("GET", _path(forged))
    assert res.location == f"{BASE}/error?error=Verification"
    assert store.get_user_by_email("mallory@example.com") is None
    res = browser.call("GET", _path(link))
    assert res.location == "http://localhost:3000/dashboard"


@pytest.mark.parametrize(
    "path",
    [
        "/callback/nodemailer",
        "/callback/nodemailer?email=alice%40example.com",
        "/callback/nodemailer?token=abc",
        "/callback/nodemailer?token=abc&email=alice%40example.com",
    ],
)
def test_broken_links_are_a_verification_page(mailbox: Mailbox, path: str) -> None:
    browser = Browser(_config(mailbox, MemoryStore()))
    assert browser.call("GET", path).location == f"{BASE}/error?error=Verification"


@pytest.mark.parametrize(
    "email",
    [
        "",
        "alice",
        "alice@",
        "@example.com",
        "a@b@example.com",
        '"e@attacker.com"@victim.com',  # GHSA-5jpx-9hw9-2fx4
        "attacker\uff20evil.com@victim.com",  # GHSA-7rqj-j65f-68wh
        "attacker\ufe6bevil.com@victim.com",
        "attacker@evil.com,victim@example.com",  # CVE-2022-35924
        "alice@example.com\r\nBcc: mallory@example.com",
        "alice@example.com\nBcc: mallory@example.com",
        "alice <alice@example.com>",
        "a,b@example.com",
        "x" * 65 + "@example.com",
        "a@" + "b" * 250 + ".com",
        "x" * 5000,
    ],
)
def test_addresses_that_cannot_be_mailed_safely(mailbox: Mailbox, email: str) -> None:
    store = MemoryStore()
    logger = RecordingLogger()
    browser = Browser(_config(mailbox, store, logger=logger))
    res = _request_link(browser, email)
    assert res.status == 302
    assert res.location == f"{BASE}/signin?error=EmailSignin"
    assert mailbox.received == []
    assert _tokens(store) == [] and store._users == {}
    page = browser.call("GET", "/signin?error=EmailSignin")
    assert "The e-mail could not be sent." in page.text


def test_the_domain_is_cut_at_a_comma_and_nfkc_applies_first(mailbox: Mailbox) -> None:
    browser = Browser(_config(mailbox, MemoryStore()))
    _request_link(browser, "  Alice@Example.com,evil.com ")
    _request_link(browser, "alice\uff20example.com")  # NFKC makes it a plain address
    assert [m.rcpt_tos for m in mailbox.received] == [[ADDRESS], [ADDRESS]]


def test_a_refused_recipient_leaves_nothing_stored(mailbox: Mailbox) -> None:
    mailbox.refuse.add(ADDRESS)
    store = MemoryStore()
    logger = RecordingLogger()
    browser = Browser(_config(mailbox, store, logger=logger))
    res = _request_link(browser)
    assert res.location == f"{BASE}/signin?error=EmailSignin"
    assert _tokens(store) == [] and mailbox.received == []
    assert logger.types() == ["EmailSignin"]


def test_a_hung_smtp_server_fails_cleanly() -> None:
    store = MemoryStore()
    with hung_server() as port:
        server = {"host": "127.0.0.1", "port": port, "timeout": 0.5}
        config = {
            "secret": SECRET,
            "env": {},
            "adapter": store,
            "providers": [Nodemailer(server=server)],
        }
        res = _request_link(Browser(config))
    assert res.location == f"{BASE}/signin?error=EmailSignin"
    assert _tokens(store) == []


def test_no_csrf_token_no_mail(mailbox: Mailbox) -> None:
    browser = Browser(_config(mailbox, MemoryStore()))
    res = browser.call("POST", "/signin/nodemailer", form={"email": ADDRESS})
    assert res.location == f"{BASE}/signin?error=MissingCSRF"
    assert mailbox.received == []


def test_email_needs_a_store(mailbox: Mailbox) -> None:
    logger = RecordingLogger()
    browser = Browser(_config(mailbox, None, logger=logger))
    res = browser.call("GET", "/csrf")
    assert res.status == 500
    assert logger.types() == ["MissingAdapter"]


def test_sign_in_callback_refusal_sends_nothing(mailbox: Mailbox) -> None:
    seen: list[dict[str, Any]] = []

    def sign_in(**kwargs: Any) -> bool:
        seen.append(kwargs)
        return not kwargs["user"]["email"].endswith("@blocked.example")

    browser = Browser(_config(mailbox, MemoryStore(), callbacks={"sign_in": sign_in}))
    res = _request_link(browser, "eve@blocked.example")
    assert res.location == f"{BASE}/error?error=AccessDenied"
    assert mailbox.received == []
    assert seen[0]["email"] == {"verificationRequest": True}
    assert seen[0]["account"]["type"] == "email"


def test_the_send_limit_throttles_one_address_without_telling(mailbox: Mailbox) -> None:
    browser = Browser(_config(mailbox, MemoryStore()))
    answers = {_request_link(browser).location for _ in range(7)}
    assert answers == {f"{BASE}/verify-request?provider=nodemailer&type=email"}
    assert len(mailbox.received) == 5
    _request_link(browser, "bob@example.com")
    assert len(mailbox.received) == 6


def test_confirm_page_keeps_the_link_from_scanners(mailbox: Mailbox) -> None:
    store = MemoryStore()
    browser = Browser(_config(mailbox, store, provider={"confirm": True}))
    _request_link(browser)
    link = mailbox.received[0].link()
    scanner = Browser(_config(mailbox, store, provider={"confirm": True}))
    page = scanner.call("GET", _path(link))
    assert page.status == 200 and 'method="post"' in page.text
    assert len(_tokens(store)) == 1  # a GET uses nothing
    token = parse_qs(urlsplit(link).query)["token"][0]
    form = {
        "csrfToken": browser.csrf(),
        "token": token,
        "email": ADDRESS,
        "callbackUrl": "/dashboard",
    }
    assert browser.call("POST", "/callback/nodemailer", form={**form, "csrfToken": "x"}).location
    assert len(_tokens(store)) == 1  # no CSRF, nothing used
    res = browser.call("POST", "/callback/nodemailer", form=form)
    assert res.location == "http://localhost:3000/dashboard"
    assert _tokens(store) == []
    assert browser.session()["user"]["email"] == ADDRESS


def test_the_raw_token_is_never_logged(mailbox: Mailbox) -> None:
    logger = RecordingLogger()
    browser = Browser(_config(mailbox, MemoryStore(), logger=logger, debug=True))
    _request_link(browser)
    link = mailbox.received[0].link()
    browser.call("GET", _path(link))
    browser.call("GET", _path(link))  # reused: an error is logged
    raw = parse_qs(urlsplit(link).query)["token"][0]
    assert logger.errors and raw not in logger.text()


def test_async_apps_send_with_aiosmtplib(mailbox: Mailbox) -> None:
    store = AsyncMemoryStore()
    config = _config(mailbox, store)

    async def run() -> tuple[Any, Any]:
        csrf = await Auth(Request("GET", f"{BASE}/csrf"), config)
        cookie = "; ".join(v.split(";")[0] for k, v in csrf.headers if k.lower() == "set-cookie")
        body = f"csrfToken={csrf.json()['csrfToken']}&email=alice%40example.com".encode()
        headers = {"cookie": cookie, "content-type": "application/x-www-form-urlencoded"}
        sent = await Auth(Request("POST", f"{BASE}/signin/nodemailer", headers, body), config)
        used = await Auth(Request("GET", mailbox.received[0].link()), config)
        return sent, used

    sent, used = asyncio.run(run())
    assert sent.location == f"{BASE}/verify-request?provider=nodemailer&type=email"
    assert used.status == 302 and "error" not in (used.location or "")
    assert store.sync.get_user_by_email(ADDRESS) is not None
