"""The rest of email sign-in's bad-input list, with a real SMTP server (aiosmtpd on
127.0.0.1): the answer to a link request does not depend on who has an account or who is
throttled, links live 24 hours by default, a failing custom sender leaves no token behind,
the mail is Auth.js's (text and HTML, theme colours, escaped host) unless replaced."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from authcore import Auth, Request, validate_config
from authcore.errors import AccessDenied, ConfigError
from authcore.providers.email import EmailContent, SendLimit, VerificationRequest, render_email
from authcore.providers.nodemailer import Nodemailer
from authcore.stores.memory import AsyncMemoryStore, MemoryStore
from tests.support.smtp import Mailbox, hung_server, smtp_server
from tests.support.stores import BASE, SECRET, Browser, Clock

START = 1_800_000_000.0
ADDRESS = "alice@example.com"
SENT = f"{BASE}/verify-request?provider=nodemailer&type=email"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as box:
        yield box


def _config(
    box: Mailbox, store: Any, clock: Clock | None = None, **provider: Any
) -> dict[str, Any]:
    return {
        "secret": SECRET,
        "env": {},
        "adapter": store,
        "clock": clock or Clock(START),
        "providers": [Nodemailer(server=box.url, from_="Auth <auth@example.com>", **provider)],
    }


def _ask(browser: Browser, email: str = ADDRESS) -> Any:
    form = {"csrfToken": browser.csrf(), "email": email, "callbackUrl": "/"}
    return browser.call("POST", "/signin/nodemailer", form=form)


def _shape(res: Any) -> tuple[int, str | None, bytes, list[str]]:
    """What a client can see of an answer, cookie values aside (fresh CSRF values differ)."""
    names = sorted(c.split("=", 1)[0] for c in res.set_cookies)
    return res.status, res.location, res.body, names


def test_known_unknown_and_throttled_addresses_get_the_same_answer(mailbox: Mailbox) -> None:
    store = MemoryStore()
    store.create_user({"id": "u1", "email": "known@example.com", "email_verified": None})
    config = _config(mailbox, store, send_limit=SendLimit(per_identifier=1))
    known = _ask(Browser(config), "known@example.com")
    unknown = _ask(Browser(config), "nobody@example.com")
    throttled = _ask(Browser(config), "known@example.com")
    assert _shape(known) == _shape(unknown) == _shape(throttled)
    assert known.location == SENT
    assert len(mailbox.received) == 2
    # asking creates nobody: the account appears only when the link is used
    assert [u["email"] for u in store._users.values()] == ["known@example.com"]


def test_a_link_lives_24_hours_by_default(mailbox: Mailbox) -> None:
    clock = Clock(START)
    store = MemoryStore()
    config = _config(mailbox, store, clock)
    _ask(Browser(config))
    _ask(Browser(config), "bob@example.com")
    first, second = (m.link() for m in mailbox.received)
    clock.now = START + 86_400 - 1
    assert (
        Browser(config).call("GET", first.removeprefix(BASE)).location == "http://localhost:3000/"
    )
    clock.now = START + 86_400 + 1
    expired = Browser(config).call("GET", second.removeprefix(BASE))
    assert expired.location == f"{BASE}/error?error=Verification"
    assert store.get_user_by_email("bob@example.com") is None


def test_a_custom_sender_that_refuses_leaves_no_token(mailbox: Mailbox) -> None:
    def refuse(params: VerificationRequest) -> None:
        raise AccessDenied("this sender refuses")

    store = MemoryStore()
    res = _ask(Browser(_config(mailbox, store, send_verification_request=refuse)))
    assert res.location == f"{BASE}/error?error=AccessDenied"
    assert store._tokens == {}


def test_a_custom_sender_that_crashes_is_a_clean_page(mailbox: Mailbox) -> None:
    def crash(params: VerificationRequest) -> None:
        raise OSError(f"cannot send {params.url}")  # the message quotes the link

    store = MemoryStore()
    browser = Browser(_config(mailbox, store, send_verification_request=crash))
    assert _ask(browser).location == f"{BASE}/signin?error=EmailSignin"
    assert store._tokens == {}
    page = browser.call("GET", "/signin?error=EmailSignin")
    assert page.status == 200 and "The e-mail could not be sent." in page.text


@pytest.mark.parametrize("returned", ["alice@example.com\r\nBcc: eve@example.com", "", 42])
def test_a_normaliser_cannot_hand_the_mailer_an_injection(mailbox: Mailbox, returned: Any) -> None:
    store = MemoryStore()
    config = _config(mailbox, store, normalize_identifier=lambda address: returned)
    assert _ask(Browser(config)).location == f"{BASE}/signin?error=EmailSignin"
    assert mailbox.received == [] and store._tokens == {}


def test_a_normaliser_refusing_with_value_error(mailbox: Mailbox) -> None:
    def only_company(address: str) -> str:
        if not address.endswith("@example.com"):
            raise ValueError("not a company address")
        return address.lower()

    config = _config(mailbox, MemoryStore(), normalize_identifier=only_company)
    assert _ask(Browser(config), "eve@evil.example").location == f"{BASE}/signin?error=EmailSignin"
    assert _ask(Browser(config), "Alice@example.com").location == SENT
    assert [m.rcpt_tos for m in mailbox.received] == [[ADDRESS]]


@pytest.mark.parametrize("sender", ["Auth <a@example.com>\r\nBcc: eve@example.com", "a\nb", 7])
def test_a_from_address_with_a_line_break_is_a_config_error(sender: Any) -> None:
    config = {
        "secret": SECRET,
        "adapter": MemoryStore(),
        "providers": [Nodemailer(server="smtp://127.0.0.1:25", from_=sender)],
    }
    with pytest.raises(ConfigError):
        validate_config(config)


def test_the_mail_has_auth_js_text_and_html_in_the_theme_colours(mailbox: Mailbox) -> None:
    config = _config(mailbox, MemoryStore())
    config["theme"] = {"brand_color": "#ff0066", "button_text": "#000"}
    _ask(Browser(config))
    [mail] = mailbox.received
    link = mail.link()
    assert mail.message["From"] == "Auth <auth@example.com>"
    assert mail.part("plain").splitlines() == ["Sign in to localhost:3000", link, ""]
    html = mail.part("html")
    assert 'bgcolor="#ff0066"' in html and "color: #000;" in html


def test_render_escapes_the_host_and_refuses_css_injection() -> None:
    url = "https://app.example/api/auth/callback/email?token=t&email=a%40b.c"
    content = render_email(
        url,
        'evil.example"><script>alert(1)</script>',
        {"brand_color": "red;}</style><script>x</script>", "button_text": "url(javascript:1)"},
    )
    assert "<script>" not in content.html
    assert "&quot;&gt;&lt;script&gt;" in content.html
    assert 'bgcolor="#346df1"' in content.html and "color: #fff;" in content.html  # defaults
    assert 'href="https://app.example/api/auth/callback/email?token=t&amp;email=a%40b.c"' in (
        content.html
    )


def test_render_replaces_only_the_content(mailbox: Mailbox) -> None:
    def render(params: VerificationRequest) -> EmailContent:
        return EmailContent(
            subject=f"Your link for {params.host}",
            text=f"Your link:\n{params.url}",
            html=f'<a href="{params.url}">Open</a>',
        )

    _ask(Browser(_config(mailbox, MemoryStore(), render=render)))
    [mail] = mailbox.received
    assert mail.message["Subject"] == "Your link for localhost:3000"
    assert mail.part("plain").splitlines() == ["Your link:", mail.link()]
    assert mail.link().startswith(f"{BASE}/callback/nodemailer?")
    assert mail.rcpt_tos == [ADDRESS]


def test_the_confirm_page_keeps_its_token_out_of_caches_and_referrers(mailbox: Mailbox) -> None:
    config = _config(mailbox, MemoryStore(), confirm=True)
    _ask(Browser(config))
    page = Browser(config).call("GET", mailbox.received[0].link().removeprefix(BASE))
    assert page.status == 200
    assert page.header("cache-control") == "no-store"
    assert page.header("referrer-policy") == "no-referrer"


def test_an_async_app_with_a_hung_smtp_server_fails_cleanly() -> None:
    store = AsyncMemoryStore()
    with hung_server() as port:
        server = {"host": "127.0.0.1", "port": port, "timeout": 0.5}
        config = {"secret": SECRET, "env": {}, "adapter": store}
        config["providers"] = [Nodemailer(server=server)]

        async def run() -> Any:
            csrf = await Auth(Request("GET", f"{BASE}/csrf"), config)
            cookie = "; ".join(c.split(";")[0] for c in csrf.set_cookies)
            body = f"csrfToken={csrf.json()['csrfToken']}&email=alice%40example.com".encode()
            headers = {"cookie": cookie, "content-type": "application/x-www-form-urlencoded"}
            return await Auth(Request("POST", f"{BASE}/signin/nodemailer", headers, body), config)

        res = asyncio.run(run())
    assert res.location == f"{BASE}/signin?error=EmailSignin"
    assert store.sync._tokens == {}
    assert parse_qs(urlsplit(res.location or "").query) == {"error": ["EmailSignin"]}
