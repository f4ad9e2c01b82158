"""A misbehaving identity provider (docs/security.md#what-authcore-defends-and-how; RFC 9700; OIDC
Core §3.1.3.7, §5.3.2): invalid JSON, 4xx/5xx, slow, huge, redirects, foreign content types, bad ID
tokens, a userinfo `sub` of someone else. Each ends in one exact error redirect with no session, the
check cookies cleared, the reason logged, and no secret, code or token in the body or either log
sink."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from authcore.providers.github import GitHub
from authcore.providers.instagram import Instagram
from authcore.providers.oidc import OIDC
from authcore.testing import MockIdP
from tests.support.security import (
    CHECKS,
    ERROR_PAGE,
    SECRET,
    SESSION,
    Browser,
    Logs,
    assert_no_leak,
    make_config,
    query_of,
)

PROVIDER = {"instagram": "instagram", "oauth2": "github", "oidc": "oidc"}
PROVIDER_ERROR = f"{ERROR_PAGE}OAuthProviderError"
CONFIGURATION = f"{ERROR_PAGE}Configuration"

CASES: list[tuple[str, dict[str, Any], str]] = [
    ("instagram", {"token_body": "invalid_json"}, PROVIDER_ERROR),
    ("instagram", {"token_body": "empty"}, PROVIDER_ERROR),
    ("instagram", {"token_body": "not_object"}, PROVIDER_ERROR),
    ("instagram", {"token_body": "html"}, PROVIDER_ERROR),
    ("instagram", {"token_body": "huge"}, PROVIDER_ERROR),
    ("instagram", {"token_body": "missing_access_token"}, PROVIDER_ERROR),
    ("instagram", {"token_status": 400}, PROVIDER_ERROR),
    ("instagram", {"token_status": 401}, PROVIDER_ERROR),
    ("instagram", {"token_status": 500}, PROVIDER_ERROR),
    ("instagram", {"token_status": 503}, PROVIDER_ERROR),
    ("instagram", {"token_redirect": True}, PROVIDER_ERROR),
    ("instagram", {"token_delay": 5.0}, PROVIDER_ERROR),
    ("instagram", {"content_type": "text/html"}, PROVIDER_ERROR),
    ("instagram", {"userinfo_status": 400}, PROVIDER_ERROR),
    ("instagram", {"userinfo_status": 500}, PROVIDER_ERROR),
    ("instagram", {"userinfo_body": "invalid_json"}, PROVIDER_ERROR),
    ("instagram", {"userinfo_body": "huge"}, PROVIDER_ERROR),
    ("instagram", {"userinfo_delay": 5.0}, PROVIDER_ERROR),
    ("instagram", {"userinfo_body": "missing_id"}, CONFIGURATION),
    ("oauth2", {"token_status": 401}, PROVIDER_ERROR),
    ("oauth2", {"userinfo_body": "not_object"}, PROVIDER_ERROR),
    ("oauth2", {"emails_status": 500}, PROVIDER_ERROR),
    ("oauth2", {"emails_body": "huge"}, PROVIDER_ERROR),
    ("oidc", {"id_token": "unsigned"}, PROVIDER_ERROR),
    ("oidc", {"id_token": "bad_signature"}, PROVIDER_ERROR),
    ("oidc", {"id_token": "hs256_with_public_key"}, PROVIDER_ERROR),
    ("oidc", {"id_token": "wrong_aud"}, PROVIDER_ERROR),
    ("oidc", {"id_token": "wrong_iss"}, PROVIDER_ERROR),
    ("oidc", {"id_token": "expired"}, PROVIDER_ERROR),
    ("oidc", {"id_token": "missing_sub"}, PROVIDER_ERROR),
    ("oidc", {"id_token": "unknown_kid"}, PROVIDER_ERROR),
    ("oidc", {"id_token": "malformed"}, PROVIDER_ERROR),
    ("oidc", {"token_body": "invalid_json"}, PROVIDER_ERROR),
]


def _provider(idp: MockIdP, flavour: str, **kw: Any) -> Any:
    factory = {"instagram": Instagram, "oauth2": GitHub, "oidc": OIDC}[flavour]
    return factory(**idp.provider_options(flavour), **kw)  # type: ignore[arg-type]


def _run(
    idp: MockIdP, http: httpx.Client, logs: Logs, flavour: str, provider: Any = None
) -> tuple[Browser, Any, list[str]]:
    config = make_config(
        providers=[provider or _provider(idp, flavour)],
        http_client=http,
        clock=time.time,
        limits={"idp_timeout": 0.5, "idp_max_response_bytes": 262_144},
        **logs.config_extra(),
    )
    b = Browser(config)
    path = b.start_oauth(http, PROVIDER[flavour])
    sent = set(b.jar)
    q = query_of(path)
    leaks = [SECRET, idp.client_secret, q["code"], q.get("state", "")]
    leaks += [v for k, v in b.jar.items() if k in CHECKS]
    res = b.call("GET", path)
    assert b.last.cleared == sent & CHECKS
    return b, res, leaks


@pytest.mark.parametrize(("flavour", "switches", "location"), CASES)
def test_misbehaving_provider(
    mock_idp: MockIdP,
    http: httpx.Client,
    logs: Logs,
    flavour: str,
    switches: dict[str, Any],
    location: str,
) -> None:
    mock_idp.misbehave(**switches)
    b, res, leaks = _run(mock_idp, http, logs, flavour)
    assert res.status == 302
    assert res.location == location
    assert SESSION not in b.last.values and SESSION not in b.jar
    assert logs.error_types(), "the reason is logged"
    log_text = logs.text()
    assert "IGAAmock" not in log_text and "gho_" not in log_text  # access tokens
    assert_no_leak(res, logs, leaks)


def test_userinfo_about_someone_else(mock_idp: MockIdP, http: httpx.Client, logs: Logs) -> None:
    """OIDC Core §5.3.2: userinfo `sub` differs from the ID token's: discarded."""
    mock_idp.faults.userinfo_sub_mismatch = True
    provider = _provider(mock_idp, "oidc", id_token=False)
    b, res, leaks = _run(mock_idp, http, logs, "oidc", provider)
    assert res.location == PROVIDER_ERROR
    assert SESSION not in b.last.values
    assert_no_leak(res, logs, leaks)


def test_exchange_failure_leaks_no_short_lived_token(
    mock_idp: MockIdP, http: httpx.Client, logs: Logs
) -> None:
    """The long-lived exchange sends the access token in the query (Graph API): a failure
    there must not log it. A 500 is transient: the sign-in goes on with the short-lived
    token and a warning."""
    mock_idp.misbehave(exchange_status=500)
    provider = _provider(mock_idp, "instagram", long_lived=True)
    b, res, leaks = _run(mock_idp, http, logs, "instagram", provider)
    assert res.location == "https://app.example.test"
    assert SESSION in b.last.values
    assert "instagram-long-lived-exchange-failed" in logs.text()
    assert "IGAAmock" not in logs.text()
    assert_no_leak(res, logs, leaks)


def test_control_well_behaved_provider(mock_idp: MockIdP, http: httpx.Client, logs: Logs) -> None:
    b, res, leaks = _run(mock_idp, http, logs, "instagram")
    assert res.location == "https://app.example.test"
    assert SESSION in b.last.values
    assert_no_leak(res, logs, leaks)
