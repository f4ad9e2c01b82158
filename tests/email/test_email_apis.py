"""The HTTP API email providers (Resend, SendGrid, Postmark, Mailgun) signing in through
`Auth()` against `authcore.testing.MockEmailAPI` on 127.0.0.1: the request each service
documents, Auth.js's mail, the link that signs in; an error answer or a wrong key is the
EmailSignin page with nothing stored."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from typing import Any

import pytest

from authcore.providers.mailgun import Mailgun
from authcore.providers.postmark import Postmark
from authcore.providers.resend import Resend
from authcore.providers.sendgrid import SendGrid
from authcore.stores.memory import MemoryStore
from authcore.testing import MockEmailAPI
from tests.support.stores import BASE, SECRET, Browser

ADDRESS = "dave@example.com"
FACTORIES = {"resend": Resend, "sendgrid": SendGrid, "postmark": Postmark, "mailgun": Mailgun}


@pytest.fixture
def api() -> Iterator[MockEmailAPI]:
    with MockEmailAPI(api_key="key-123") as mock:
        yield mock


def _browser(api: MockEmailAPI, provider_id: str, store: MemoryStore, **options: Any) -> Browser:
    options = {"api_key": "key-123", "api_url": api.url, "from_": "login@mg.example.com", **options}
    provider = FACTORIES[provider_id](**options)
    return Browser({"secret": SECRET, "env": {}, "adapter": store, "providers": [provider]})


def _post(browser: Browser, provider_id: str) -> Any:
    form = {"csrfToken": browser.csrf(), "email": ADDRESS}
    return browser.call("POST", f"/signin/{provider_id}", form=form)


@pytest.mark.parametrize("provider_id", sorted(FACTORIES))
def test_the_mailed_link_signs_in(api: MockEmailAPI, provider_id: str) -> None:
    store = MemoryStore()
    browser = _browser(api, provider_id, store)
    res = _post(browser, provider_id)
    assert res.location == f"{BASE}/verify-request?provider={provider_id}&type=email"
    [mail] = api.sent
    assert (mail.service, mail.to, mail.subject) == (
        provider_id,
        ADDRESS,
        "Sign in to localhost:3000",
    )
    expected_from = {"mailgun": "Mailgun <login@mg.example.com>"}
    assert mail.from_ == expected_from.get(provider_id, "login@mg.example.com")
    assert "#346df1" in mail.html and "dave" not in mail.html.replace(escape(mail.link), "")
    res = browser.call("GET", mail.link.removeprefix(BASE))
    assert res.location == "http://localhost:3000"
    assert browser.call("GET", "/session").json()["user"]["email"] == ADDRESS


@pytest.mark.parametrize("provider_id", sorted(FACTORIES))
def test_a_wrong_key_is_a_clean_failure(api: MockEmailAPI, provider_id: str) -> None:
    store = MemoryStore()
    res = _post(_browser(api, provider_id, store, api_key="wrong"), provider_id)
    assert res.location == f"{BASE}/signin?error=EmailSignin"
    assert api.sent == [] and api.refused
    assert store._tokens == {}


@pytest.mark.parametrize("status", [429, 500])
def test_a_failing_service_is_a_clean_failure(api: MockEmailAPI, status: int) -> None:
    api.fail_status = status
    store = MemoryStore()
    res = _post(_browser(api, "resend", store), "resend")
    assert res.location == f"{BASE}/signin?error=EmailSignin"
    assert store._tokens == {}


def test_mailgun_eu_region_and_the_missing_key() -> None:
    assert Mailgun(api_key="k", region="EU", from_="a@mg.example.com").base() == (
        "https://api.eu.mailgun.net"
    )
    browser = Browser(
        {"secret": SECRET, "env": {}, "adapter": MemoryStore(), "providers": [Resend()]}
    )
    assert browser.call("GET", "/csrf").status == 500  # no api_key: a start-up error


def test_brand_colour_from_the_theme(api: MockEmailAPI) -> None:
    provider = Postmark(api_key="key-123", api_url=api.url)
    browser = Browser(
        {
            "secret": SECRET,
            "env": {},
            "adapter": MemoryStore(),
            "providers": [provider],
            "theme": {"brand_color": "#ff0000", "button_text": "#000"},
        }
    )
    _post(browser, "postmark")
    assert 'bgcolor="#ff0000"' in api.sent[0].html and "color: #000;" in api.sent[0].html
