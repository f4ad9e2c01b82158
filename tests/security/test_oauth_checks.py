"""OAuth checks through `Auth()` against the mock IdP over HTTP (RFC 9700 §4.7; GHSA-x445-f3h2-j279;
CVE-2023-48309, RFC 9700 §4.7, §4.5.3; CVE-2023-27490, GHSA-x445-f3h2-j279, CVE-2025-68158 class).

Every failed check ends the same way: 302 to `error?error=Configuration` (InvalidCheck is
not client-safe, as in Auth.js), `InvalidCheck` logged, no session cookie, every check
cookie the request carried cleared with Max-Age=0 (docs/differences.md row 9 fix), and no code
exchanged at the IdP when the state or PKCE cookie was the problem.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

import httpx
import pytest

from authcore import jwt
from authcore.providers.github import GitHub
from authcore.providers.instagram import Instagram
from authcore.providers.oidc import OIDC
from authcore.testing import MockIdP
from tests.support.security import (
    CHECKS,
    ERROR_PAGE,
    NONCE,
    ORIGIN,
    OTHER_SECRET,
    PKCE,
    SECRET,
    SESSION,
    STATE,
    Browser,
    Clock,
    Logs,
    assert_no_leak,
    make_config,
    query_of,
    with_query,
)

TOKEN_PATHS = {
    "instagram": "/instagram/oauth/access_token",
    "github": "/oauth2/token",
    "oidc": "/oidc/token",
}


def _config(idp: MockIdP, http: httpx.Client, **extra: Any) -> dict[str, Any]:
    return make_config(
        providers=[
            Instagram(**idp.provider_options("instagram")),
            GitHub(**idp.provider_options("oauth2")),
            OIDC(**idp.provider_options("oidc")),
        ],
        http_client=http,
        **{"clock": time.time, **extra},  # the mock IdP signs ID tokens with the real clock
    )


def _assert_check_failure(
    b: Browser, res: Any, logs: Logs | None, *, sent: set[str], exchanged: bool = False
) -> None:
    assert res.status == 302
    assert res.location == f"{ERROR_PAGE}Configuration"
    assert SESSION not in b.last.values
    assert SESSION not in b.jar
    assert b.last.cleared == sent & CHECKS
    assert not b.last.values.keys() & CHECKS
    if logs is not None:
        assert "InvalidCheck" in logs.error_types()


def _no_exchange(idp: MockIdP, provider_id: str) -> None:
    assert idp.requests_to(TOKEN_PATHS[provider_id]) == []


def _secrets_of(b: Browser, path: str, idp: MockIdP) -> list[str]:
    q = query_of(path)
    values = [SECRET, idp.client_secret, q.get("code", ""), q.get("state", "")]
    values += [v for k, v in b.jar.items() if k in CHECKS]
    return values


def test_control_flow_signs_in(mock_idp: MockIdP, http: httpx.Client) -> None:
    b = Browser(_config(mock_idp, http))
    path = b.start_oauth(http, "instagram")
    res = b.call("GET", path)
    assert res.status == 302 and res.location == ORIGIN
    assert SESSION in b.last.values
    assert b.last.cleared == {STATE, PKCE}


@pytest.mark.parametrize("provider_id", ["instagram", "github", "oidc"])
def test_state_cookie_missing(
    mock_idp: MockIdP, http: httpx.Client, logs: Logs, provider_id: str
) -> None:
    b = Browser(_config(mock_idp, http, **logs.config_extra()))
    path = b.start_oauth(http, provider_id)
    b.jar.pop(STATE)
    sent = set(b.jar)
    leaks = _secrets_of(b, path, mock_idp)
    res = b.call("GET", path)
    _assert_check_failure(b, res, logs, sent=sent)
    _no_exchange(mock_idp, provider_id)
    assert_no_leak(res, logs, leaks)


def test_state_parameter_missing(mock_idp: MockIdP, http: httpx.Client, logs: Logs) -> None:
    b = Browser(_config(mock_idp, http, **logs.config_extra()))
    path = b.start_oauth(http, "instagram")
    sent = set(b.jar)
    res = b.call("GET", with_query(path, state=None))
    _assert_check_failure(b, res, logs, sent=sent)
    _no_exchange(mock_idp, "instagram")


@pytest.mark.parametrize("forged", ["forged", "", "x" * 5000, "%00", "a.b.c.d.e", "\u202e"])
def test_state_parameter_forged(mock_idp: MockIdP, http: httpx.Client, forged: str) -> None:
    b = Browser(_config(mock_idp, http))
    path = b.start_oauth(http, "instagram")
    sent = set(b.jar)
    res = b.call("GET", with_query(path, state=forged))
    _assert_check_failure(b, res, None, sent=sent)
    _no_exchange(mock_idp, "instagram")


def test_state_sealed_in_the_state_parameter_of_the_idp_fault(
    mock_idp: MockIdP, http: httpx.Client
) -> None:
    mock_idp.faults.wrong_state = True
    b = Browser(_config(mock_idp, http))
    path = b.start_oauth(http, "github")
    sent = set(b.jar)
    _assert_check_failure(b, b.call("GET", path), None, sent=sent)
    _no_exchange(mock_idp, "github")


def test_state_from_another_browser(mock_idp: MockIdP, http: httpx.Client, logs: Logs) -> None:
    """Login CSRF: the attacker's callback URL opened in the victim's browser."""
    config = _config(mock_idp, http, **logs.config_extra())
    attacker, victim = Browser(config), Browser(config)
    attacker_path = attacker.start_oauth(http, "instagram")
    victim.start_oauth(http, "instagram")  # the victim has check cookies of their own
    sent = set(victim.jar)
    res = victim.call("GET", attacker_path)
    _assert_check_failure(victim, res, logs, sent=sent)
    _no_exchange(mock_idp, "instagram")


def test_victim_without_any_check_cookie(mock_idp: MockIdP, http: httpx.Client) -> None:
    """CVE-2023-27490: a missing cookie is a failure, never a skipped check."""
    config = _config(mock_idp, http)
    attacker, victim = Browser(config), Browser(config)
    path = attacker.start_oauth(http, "github")
    res = victim.call("GET", path)
    _assert_check_failure(victim, res, None, sent=set())
    _no_exchange(mock_idp, "github")


def test_check_cookies_from_another_provider(
    mock_idp: MockIdP, http: httpx.Client, logs: Logs
) -> None:
    """GHSA-x445-f3h2-j279: cookies and state minted for github, replayed at instagram."""
    b = Browser(_config(mock_idp, http, **logs.config_extra()))
    github_path = b.start_oauth(http, "github")
    sent = set(b.jar)
    q = query_of(github_path)
    res = b.call("GET", f"/callback/instagram?code={q['code']}&state={q['state']}")
    _assert_check_failure(b, res, logs, sent=sent)
    _no_exchange(mock_idp, "instagram")
    messages = " ".join(str(e) for e in logs.user.errors) + logs.caplog.text
    assert "another provider" in messages


def test_replayed_callback_after_success(mock_idp: MockIdP, http: httpx.Client) -> None:
    b = Browser(_config(mock_idp, http))
    path = b.start_oauth(http, "instagram")
    assert SESSION in (b.call("GET", path), b.last.values)[1]
    # the same browser hits the same callback URL again: its check cookies are gone
    b.jar.pop(SESSION)
    res = b.call("GET", path)
    _assert_check_failure(b, res, None, sent=set())


def test_replayed_callback_with_captured_cookies(
    mock_idp: MockIdP, http: httpx.Client, logs: Logs
) -> None:
    """Cookies captured before the first use: the state matches, the code is spent."""
    b = Browser(_config(mock_idp, http, **logs.config_extra()))
    path = b.start_oauth(http, "instagram")
    captured = dict(b.jar)
    assert b.call("GET", path).status == 302 and SESSION in b.last.values
    replay = Browser(b.config)
    replay.jar = {k: v for k, v in captured.items()}
    res = replay.call("GET", path)
    assert res.status == 302
    assert res.location == f"{ERROR_PAGE}OAuthProviderError"
    assert SESSION not in replay.last.values
    assert replay.last.cleared == {STATE, PKCE}
    assert_no_leak(res, logs, _secrets_of(replay, path, mock_idp))


def test_pkce_verifier_swapped(mock_idp: MockIdP, http: httpx.Client, logs: Logs) -> None:
    """Code injection (RFC 9700 §4.5): the state is right, the verifier is another flow's."""
    config = _config(mock_idp, http, **logs.config_extra())
    a, other = Browser(config), Browser(config)
    path = a.start_oauth(http, "github")
    other.start_oauth(http, "github")
    a.jar[PKCE] = other.jar[PKCE]
    res = a.call("GET", path)
    assert res.status == 302
    assert res.location == f"{ERROR_PAGE}OAuthProviderError"
    assert SESSION not in a.last.values
    assert a.last.cleared == {STATE, PKCE}
    token_calls = mock_idp.requests_to(TOKEN_PATHS["github"])
    assert len(token_calls) == 1  # the IdP said no: PKCE verification failed
    assert_no_leak(res, logs, _secrets_of(a, path, mock_idp))


def test_pkce_cookie_missing(mock_idp: MockIdP, http: httpx.Client) -> None:
    b = Browser(_config(mock_idp, http))
    path = b.start_oauth(http, "github")
    b.jar.pop(PKCE)
    sent = set(b.jar)
    _assert_check_failure(b, b.call("GET", path), None, sent=sent)
    _no_exchange(mock_idp, "github")


def test_nonce_mismatch(mock_idp: MockIdP, http: httpx.Client, logs: Logs) -> None:
    mock_idp.faults.wrong_nonce = True
    b = Browser(_config(mock_idp, http, **logs.config_extra()))
    path = b.start_oauth(http, "oidc")
    sent = set(b.jar)
    res = b.call("GET", path)
    _assert_check_failure(b, res, logs, sent=sent)
    assert mock_idp.requests_to("/oidc/userinfo") == []


def test_nonce_cookie_missing(mock_idp: MockIdP, http: httpx.Client) -> None:
    b = Browser(_config(mock_idp, http))
    path = b.start_oauth(http, "oidc")
    b.jar.pop(NONCE)
    sent = set(b.jar)
    _assert_check_failure(b, b.call("GET", path), None, sent=sent)
    _no_exchange(mock_idp, "oidc")


@pytest.mark.parametrize("fault", ["wrong_iss", "missing_iss"])
def test_iss_mismatch(mock_idp: MockIdP, http: httpx.Client, fault: str) -> None:
    """RFC 9207 mix-up defence: iss compared before `error` and before any exchange."""
    mock_idp.misbehave(**{fault: True})
    b = Browser(_config(mock_idp, http))
    path = b.start_oauth(http, "oidc")
    sent = set(b.jar)
    _assert_check_failure(b, b.call("GET", path), None, sent=sent)
    _no_exchange(mock_idp, "oidc")


def test_iss_of_another_issuer_pasted_into_the_callback(
    mock_idp: MockIdP, http: httpx.Client
) -> None:
    b = Browser(_config(mock_idp, http))
    path = b.start_oauth(http, "oidc")
    sent = set(b.jar)
    res = b.call("GET", with_query(path, iss="https://evil.example"))
    _assert_check_failure(b, res, None, sent=sent)
    _no_exchange(mock_idp, "oidc")


@pytest.mark.parametrize(
    ("source", "target"),
    [(STATE, PKCE), (PKCE, STATE), (NONCE, STATE), (STATE, NONCE), (PKCE, NONCE)],
)
def test_check_cookie_of_one_kind_used_as_another(
    mock_idp: MockIdP, http: httpx.Client, source: str, target: str
) -> None:
    """Keys are derived per cookie name (CVE-2023-48309): a state cookie is no PKCE cookie."""
    b = Browser(_config(mock_idp, http))
    path = b.start_oauth(http, "oidc")
    b.jar[target] = b.jar[source]
    sent = set(b.jar)
    _assert_check_failure(b, b.call("GET", path), None, sent=sent)
    _no_exchange(mock_idp, "oidc")


def test_session_token_used_as_state_cookie(mock_idp: MockIdP, http: httpx.Client) -> None:
    b = Browser(_config(mock_idp, http))
    path = b.start_oauth(http, "instagram")
    b.jar[STATE] = jwt.encode(
        token={"value": query_of(path)["state"], "provider": "instagram"},
        secret=SECRET,
        salt=SESSION,
    )
    sent = set(b.jar)
    _assert_check_failure(b, b.call("GET", path), None, sent=sent)


def test_state_parameter_jwe_used_as_state_cookie(mock_idp: MockIdP, http: httpx.Client) -> None:
    """The state parameter (salt `encodedState`) is not a state cookie."""
    b = Browser(_config(mock_idp, http))
    path = b.start_oauth(http, "instagram")
    b.jar[STATE] = query_of(path)["state"]
    sent = set(b.jar)
    _assert_check_failure(b, b.call("GET", path), None, sent=sent)


@pytest.mark.parametrize(
    "payload",
    [
        {"value": "STATE"},  # legacy cookie without provider (GHSA-x445 fix rejects it)
        {"value": "STATE", "provider": ""},
        {"value": "STATE", "provider": "Instagram"},
        {"value": "STATE", "provider": ["instagram"]},
        {"value": "", "provider": "instagram"},
        {"value": None, "provider": "instagram"},
        {"provider": "instagram"},
    ],
)
def test_well_sealed_but_wrong_payloads(
    mock_idp: MockIdP, http: httpx.Client, payload: dict[str, Any]
) -> None:
    b = Browser(_config(mock_idp, http))
    path = b.start_oauth(http, "instagram")
    state = query_of(path)["state"]
    body = {k: (state if v == "STATE" else v) for k, v in payload.items()}
    b.jar[STATE] = jwt.encode(token=body, secret=SECRET, salt=STATE, max_age=900)
    sent = set(b.jar)
    _assert_check_failure(b, b.call("GET", path), None, sent=sent)
    _no_exchange(mock_idp, "instagram")


def test_check_cookie_sealed_with_another_secret(mock_idp: MockIdP, http: httpx.Client) -> None:
    b = Browser(_config(mock_idp, http))
    path = b.start_oauth(http, "instagram")
    b.jar[STATE] = jwt.encode(
        token={"value": query_of(path)["state"], "provider": "instagram"},
        secret=OTHER_SECRET,
        salt=STATE,
        max_age=900,
    )
    sent = set(b.jar)
    _assert_check_failure(b, b.call("GET", path), None, sent=sent)


def test_expired_check_cookies(mock_idp: MockIdP, http: httpx.Client) -> None:
    clock = Clock(time.time())
    b = Browser(_config(mock_idp, http, clock=clock))
    path = b.start_oauth(http, "instagram")
    clock.now += 900 + 15  # exp <= now - 15: expired (Auth.js `src/jwt.ts`)
    sent = set(b.jar)
    _assert_check_failure(b, b.call("GET", path), None, sent=sent)
    _no_exchange(mock_idp, "instagram")


def test_duplicated_state_cookie(mock_idp: MockIdP, http: httpx.Client) -> None:
    from tests.support.security import cookie_changes, cookie_header, send

    b = Browser(_config(mock_idp, http))
    path = b.start_oauth(http, "instagram")
    header = cookie_header([*b.jar.items(), (STATE, b.jar[STATE])])
    res = send(b.config, "GET", path, cookies=header)
    assert res.location == f"{ERROR_PAGE}Configuration"
    changes = cookie_changes(res)
    assert changes.cleared == {STATE, PKCE}
    assert SESSION not in changes.values
    _no_exchange(mock_idp, "instagram")


def test_provider_error_needs_the_state_first(mock_idp: MockIdP, http: httpx.Client) -> None:
    """`?error=` is only believed once the state is bound (Auth.js
    `src/lib/actions/callback/oauth/callback.ts`)."""
    b = Browser(_config(mock_idp, http))
    res = b.call("GET", "/callback/instagram?error=access_denied&state=x")
    _assert_check_failure(b, res, None, sent=set())


def test_provider_error_with_valid_state(mock_idp: MockIdP, http: httpx.Client) -> None:
    mock_idp.faults.error = "access_denied"
    b = Browser(_config(mock_idp, http))
    path = b.start_oauth(http, "instagram")
    res = b.call("GET", path)
    assert res.location == f"{ORIGIN}/api/auth/signin?error=OAuthCallbackError&code=access_denied"
    assert b.last.cleared == {STATE, PKCE}
    assert SESSION not in b.last.values


@pytest.mark.parametrize("extra", [{"access_token": "x"}, {"id_token": "a.b.c"}])
def test_implicit_and_hybrid_responses_are_refused(
    mock_idp: MockIdP, http: httpx.Client, extra: dict[str, str]
) -> None:
    b = Browser(_config(mock_idp, http))
    path = b.start_oauth(http, "instagram")
    res = b.call("GET", with_query(path, **extra))
    assert res.location == f"{ERROR_PAGE}Configuration"
    assert b.last.cleared == {STATE, PKCE}
    assert SESSION not in b.last.values
    _no_exchange(mock_idp, "instagram")


def test_callback_for_unknown_provider(mock_idp: MockIdP, http: httpx.Client) -> None:
    b = Browser(_config(mock_idp, http))
    path = b.start_oauth(http, "instagram")
    res = b.call("GET", path.replace("/callback/instagram", "/callback/instagrarn"))
    assert res.location == f"{ERROR_PAGE}Configuration"
    assert SESSION not in b.last.values


def test_signin_query_cannot_override_protocol_parameters(http: httpx.Client) -> None:
    """docs/differences.md row 7: the sign-in POST's query cannot rewrite the authorization URL."""
    config = make_config(providers=[Instagram(client_id="cid", client_secret="csecret-0123456789")])
    b = Browser(config)
    evil = {
        "redirect_uri": "https://evil.example/cb",
        "client_id": "attacker",
        "response_type": "token",
        "state": "attacker-state",
        "code_challenge": "attacker",
        "code_challenge_method": "plain",
        "response_mode": "fragment",
        "scope": "instagram_business_manage_messages",
    }
    from urllib.parse import urlencode

    res = b.call("POST", f"/signin/instagram?{urlencode(evil)}", form={"csrfToken": b.csrf()})
    assert res.status == 302 and res.location is not None
    q = query_of(res.location)
    assert q["redirect_uri"] == f"{ORIGIN}/api/auth/callback/instagram"
    assert q["client_id"] == "cid"
    assert q["response_type"] == "code"
    assert q["state"] != "attacker-state"
    assert q["code_challenge_method"] == "S256"
    assert q["code_challenge"] != "attacker"
    assert "response_mode" not in q
    assert "csecret" not in res.location
    assert secrets.compare_digest(q["client_id"], "cid")


# --- finding: log forging through the provider's `error` parameters -------------------


@pytest.mark.parametrize("field", ["error", "error_description", "error_reason"])
def test_provider_error_text_cannot_forge_log_lines(
    mock_idp: MockIdP, http: httpx.Client, logs: Logs, field: str
) -> None:
    """Anyone can reach this with their own state cookie: the attacker-chosen text must not
    start a new log line (CWE-117); see docs/security.md#what-authcore-defends-and-how."""
    b = Browser(_config(mock_idp, http, **logs.config_extra()))
    path = b.start_oauth(http, "instagram")
    forged = "x\r\n[auth][error] ForgedEntry: admin signed in"
    params = {"error": "access_denied", field: forged}
    res = b.call("GET", with_query(path, code=None, **params))
    cancel = "" if field == "error" else "&code=access_denied"  # only the exact code counts
    assert res.location == f"{ORIGIN}/api/auth/signin?error=OAuthCallbackError{cancel}"
    for record in logs.caplog.records:
        message = record.getMessage()
        if not message.startswith("[auth][error]"):
            continue  # the debug traceback is multi-line by design
        assert "\n" not in message and "\r" not in message, message
    for error in logs.user.errors:
        assert "\n" not in str(error) and "\r" not in str(error), str(error)
