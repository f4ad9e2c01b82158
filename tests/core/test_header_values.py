"""Every value that reaches a header is ASCII, the same in every framework: URLs are
percent-encoded as UTF-8, cookie attributes that cannot be written are refused at start-up."""

from __future__ import annotations

import pytest

from authcore import ConfigError, Request, auth_sync, validate_config
from tests.support.core import BASE, Browser, make_config


@pytest.mark.parametrize(
    ("callback_url", "expected"),
    [
        ("/日本", "http://localhost:3000/%E6%97%A5%E6%9C%AC"),
        ("/café?q=é#ß", "http://localhost:3000/caf%C3%A9?q=%C3%A9#%C3%9F"),
        ("/already%20encoded", "http://localhost:3000/already%20encoded"),
    ],
)
def test_location_is_percent_encoded(callback_url: str, expected: str) -> None:
    browser = Browser(make_config())
    form = {"csrfToken": browser.csrf(), "callbackUrl": callback_url}
    response = browser.call("POST", "/signout", form=form)
    assert response.status == 302
    assert response.location == expected


def test_custom_page_with_accents_is_percent_encoded() -> None:
    config = make_config(pages={"sign_in": "/connexion-é"})
    response = auth_sync(Request("POST", BASE + "/signin"), config)
    location = response.location or ""
    assert location.startswith("http://localhost:3000/connexion-%C3%A9?error=")
    assert all(h.isascii() for _, h in response.headers)


@pytest.mark.parametrize(
    ("attr", "value"), [("domain", "bücher.example"), ("path", "/a;b"), ("path", "/é")]
)
def test_unwritable_cookie_attributes_are_refused(attr: str, value: str) -> None:
    with pytest.raises(ConfigError) as err:
        validate_config(make_config(cookies={"session_token": {attr: value}}))
    assert err.value.details["option"] == f"cookies.session_token.{attr}"
