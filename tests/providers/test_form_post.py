"""`response_mode=form_post` (OAuth 2.0 Form Post Response Mode) through `Auth()` against the
mock IdP: the provider answers with a self-submitting form, the callback is a cross-site POST,
so the check cookies must be `SameSite=None; Secure` to travel with it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import httpx

from authcore.providers.oidc import OIDC
from authcore.testing import MockIdP
from tests.support.core import BASE, Browser, make_config
from tests.support.form_post import start


def _provider(idp: MockIdP, **extra: Any) -> Any:
    return OIDC(
        **idp.provider_options("oidc"),
        authorization={"params": {"response_mode": "form_post"}},
        **extra,
    )


def test_form_post_sign_in(mock_idp: MockIdP, http: httpx.Client) -> None:
    b = Browser(make_config(providers=[_provider(mock_idp)], http_client=http))
    path, fields = start(b, http, checks=3)
    assert set(fields) == {"code", "state", "iss"}
    res = b.call("POST", path, form=fields)
    assert res.status == 302 and "error" not in (res.location or "")
    assert "authjs.session-token" in b.jar
    assert b.call("GET", "/session").json()["user"]["email"] == mock_idp.oidc_user.email
    assert "authjs.state" not in b.jar and "authjs.nonce" not in b.jar


def test_form_post_reads_the_body_not_the_query(mock_idp: MockIdP, http: httpx.Client) -> None:
    b = Browser(make_config(providers=[_provider(mock_idp)], http_client=http))
    path, fields = start(b, http, checks=3)
    # the parameters in the query and an empty form: nothing the callback accepts
    res = b.call("POST", f"{path}?{urlencode(fields)}", form={"x": "y"})
    assert res.location == f"{BASE}/error?error=Configuration"
    assert "authjs.session-token" not in b.jar


def test_form_post_provider_refuses_a_get_callback(mock_idp: MockIdP, http: httpx.Client) -> None:
    b = Browser(make_config(providers=[_provider(mock_idp)], http_client=http))
    path, fields = start(b, http, checks=3)
    res = b.call("GET", f"{path}?{urlencode(fields)}")
    assert res.location == f"{BASE}/error?error=Configuration"
    assert "authjs.session-token" not in b.jar


def test_form_post_error_from_the_provider(mock_idp: MockIdP, http: httpx.Client) -> None:
    mock_idp.misbehave(error="access_denied")
    b = Browser(make_config(providers=[_provider(mock_idp)], http_client=http))
    path, fields = start(b, http, checks=3)
    assert fields["error"] == "access_denied"
    res = b.call("POST", path, form=fields)
    assert res.location == f"{BASE}/signin?error=OAuthCallbackError&code=access_denied"


def test_query_providers_keep_lax_check_cookies(mock_idp: MockIdP, http: httpx.Client) -> None:
    provider = OIDC(**mock_idp.provider_options("oidc"))
    b = Browser(make_config(providers=[provider], http_client=http))
    res = b.call("POST", "/signin/oidc", form={"csrfToken": b.csrf()})
    checks = [c for c in res.set_cookies if c.startswith("authjs.state")]
    assert checks and all("SameSite=Lax" in c for c in checks)
