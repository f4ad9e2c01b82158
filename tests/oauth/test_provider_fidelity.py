"""Provider behaviour a user porting an Auth.js app relies on: start-up refusal of providers
that could never sign anyone in, GitHub without email permission and with RFC 9207 `iss`,
Instagram's comma scopes and 60-day tokens, token responses read like oauth4webapi reads
them, and Auth.js option spellings."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from authcore import Auth, Request
from authcore.errors import ConfigError, InvalidCheck, OAuthProviderError
from authcore.oauth import clear_caches
from authcore.oauth._token import check_token_response
from authcore.providers.github import GitHub
from authcore.providers.instagram import LONG_LIVED_SECONDS, Instagram
from authcore.providers.oauth import Endpoint, OAuthProvider, build_provider
from authcore.providers.oidc import OIDC
from authcore.testing import MockIdP
from tests.support.oauth import Clock, authorize, callback, full_flow, jar, make_env, signin

SECRET = "test-secret-do-not-use-0123456789abcdef"


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    clear_caches()


def _acme(**options: Any) -> OAuthProvider:
    defaults = OAuthProvider(
        id="acme",
        name="Acme",
        authorization=Endpoint("https://acme.example/authorize"),
        token=Endpoint("https://acme.example/token"),
    )
    return build_provider(defaults, {"client_id": "id", "client_secret": "s", **options})


# ---- 3. providers that cannot work are refused at start-up -----------------------------------


def test_oauth2_provider_without_userinfo_or_issuer_is_refused() -> None:
    with pytest.raises(ConfigError, match="userinfo") as info:
        _acme().validate()
    assert info.value.details["option"] == "userinfo"


def test_provider_with_a_userinfo_request_hook_needs_no_userinfo_url() -> None:
    _acme(userinfo={"request": lambda ctx: {"id": "1"}}).validate()
    _acme(userinfo="https://acme.example/me").validate()
    _acme(issuer="https://acme.example").validate()


def test_refusal_is_a_configuration_answer_not_a_crash() -> None:
    config: dict[str, Any] = {"providers": [_acme()], "secret": SECRET, "trust_host": True}
    response = auth_get(config, "/api/auth/providers")
    assert response.status == 500
    assert b"Traceback" not in response.body


@pytest.mark.parametrize(
    "endpoint",
    [{"url": "https://acme.example/token"}, "https://acme.example/token", 42],
    ids=["mapping", "string", "int"],
)
def test_dataclass_built_with_a_raw_endpoint_is_a_config_error(endpoint: Any) -> None:
    provider = OAuthProvider(
        id="acme",
        name="Acme",
        client_id="id",
        client_secret="s",
        authorization=Endpoint("https://acme.example/authorize"),
        token=endpoint,
        userinfo=Endpoint("https://acme.example/me"),
    )
    with pytest.raises(ConfigError, match="token must be an Endpoint") as info:
        provider.validate()
    assert info.value.details["option"] == "token"
    config: dict[str, Any] = {"providers": [provider], "secret": SECRET, "trust_host": True}
    response = auth_get(config, "/api/auth/signin")  # answered, not an AttributeError
    assert response.status == 500


def auth_get(config: dict[str, Any], path: str) -> Any:
    import asyncio

    return asyncio.run(Auth(Request("GET", f"http://app.test{path}"), config))


# ---- 5. GitHub without the email permission -------------------------------------------------


@pytest.mark.parametrize("status", [403, 404])
def test_github_emails_forbidden_signs_in_without_email(
    mock_idp: MockIdP, http: httpx.Client, status: int
) -> None:
    mock_idp.faults.emails_status = status
    out = full_flow(GitHub(**mock_idp.provider_options("oauth2")), make_env(), http)
    assert out.user["id"] == "1234"
    assert out.user["email"] is None


def test_github_read_user_scope_only_signs_in_without_email(
    mock_idp: MockIdP, http: httpx.Client
) -> None:
    # The mock answers /user/emails with 404 without `user:email`, as GitHub does.
    provider = GitHub(**mock_idp.provider_options("oauth2"), scope="read:user")
    out = full_flow(provider, make_env(), http)
    assert out.user["email"] is None
    assert mock_idp.requests_to("/oauth2/user/emails")


# ---- 8. GitHub's issuer, so RFC 9207 `iss` is checked ----------------------------------------


def test_github_default_issuer_and_enterprise_urls() -> None:
    assert GitHub(client_id="i", client_secret="s").issuer == "https://github.com/login/oauth"
    ghe = GitHub(client_id="i", client_secret="s", enterprise={"baseUrl": "https://ghe.example/"})
    assert ghe.issuer == "https://ghe.example/login/oauth"
    assert ghe.authorization.url == "https://ghe.example/login/oauth/authorize"
    assert ghe.token.url == "https://ghe.example/login/oauth/access_token"
    assert ghe.userinfo.url == "https://ghe.example/api/v3/user"
    assert ghe.emails == "https://ghe.example/api/v3/user/emails"
    ghe.validate()


@pytest.mark.parametrize("bad", ["ghe.example", {"baseUrl": "ftp://x"}, {"url": "https://x"}])
def test_github_bad_enterprise_is_refused(bad: Any) -> None:
    enterprise = bad if isinstance(bad, dict) else {"baseUrl": bad}
    with pytest.raises(ConfigError, match="enterprise"):
        GitHub(client_id="i", client_secret="s", enterprise=enterprise)


def _github_callback(mock_idp: MockIdP, http: httpx.Client, iss: str | None) -> Any:
    provider = GitHub(**mock_idp.provider_options("oauth2"))
    env = make_env()
    start = signin(provider, env, http)
    params = authorize(http, start.url)
    if iss is not None:
        params["iss"] = iss
    return callback(provider, env, http, params, jar(start.cookies))


def test_github_foreign_iss_is_refused(mock_idp: MockIdP, http: httpx.Client) -> None:
    with pytest.raises(InvalidCheck, match="iss"):
        _github_callback(mock_idp, http, "https://evil.example/login/oauth")
    assert not mock_idp.requests_to("/oauth2/token")


def test_github_own_iss_is_accepted(mock_idp: MockIdP, http: httpx.Client) -> None:
    out = _github_callback(mock_idp, http, "https://github.com/login/oauth")
    assert out.user["id"] == "1234"


# ---- 6. Instagram scopes are comma-separated ------------------------------------------------


def test_instagram_space_separated_scope_is_sent_with_commas(
    mock_idp: MockIdP, http: httpx.Client
) -> None:
    scope = "instagram_business_basic  instagram_business_manage_messages"
    provider = Instagram(**mock_idp.provider_options("instagram"), scope=scope)
    assert provider.authorization.param("scope") == (
        "instagram_business_basic,instagram_business_manage_messages"
    )
    start = signin(provider, make_env(), http)
    sent = dict(parse_qsl(urlsplit(start.url).query))
    assert sent["scope"] == "instagram_business_basic,instagram_business_manage_messages"
    assert "+" not in start.url.split("scope=", 1)[1].split("&", 1)[0]


def test_instagram_signin_query_scope_is_sent_with_commas(
    mock_idp: MockIdP, http: httpx.Client
) -> None:
    provider = Instagram(**mock_idp.provider_options("instagram"))
    query = {"scope": "instagram_business_basic instagram_business_content_publish"}
    start = signin(provider, make_env(), http, query)
    sent = dict(parse_qsl(urlsplit(start.url).query))
    assert sent["scope"] == "instagram_business_basic,instagram_business_content_publish"


# ---- 9. Instagram's long-lived token ---------------------------------------------------------


def test_long_lived_answer_without_expires_in_lasts_60_days(
    mock_idp: MockIdP, http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from authcore.testing import _instagram
    from authcore.testing._reply import json_reply

    real = _instagram._long_lived

    def without_expiry(idp: MockIdP, token: Any) -> Any:
        reply = real(idp, token)
        body = json.loads(reply.body)
        del body["expires_in"]
        return json_reply(body)

    monkeypatch.setattr(_instagram, "_long_lived", without_expiry)
    clock = Clock()
    provider = Instagram(**mock_idp.provider_options("instagram"), long_lived=True)
    out = full_flow(provider, make_env(clock=clock), http)
    assert out.account["expires_in"] == LONG_LIVED_SECONDS
    assert out.account["expires_at"] == int(clock.now) + LONG_LIVED_SECONDS


@pytest.mark.parametrize("switches", [{"exchange_status": 500}, {"exchange_delay": 2.0}])
def test_transient_exchange_failure_keeps_the_short_lived_token(
    mock_idp: MockIdP, http: httpx.Client, switches: dict[str, Any]
) -> None:
    from authcore._options import Limits

    mock_idp.misbehave(**switches)
    provider = Instagram(**mock_idp.provider_options("instagram"), long_lived=True)
    env = make_env(limits=Limits(idp_timeout=0.5))
    out = full_flow(provider, env, http)
    assert out.account["expires_in"] == 3600  # the short-lived token, still valid
    assert "short_lived_access_token" not in out.account
    assert "instagram-long-lived-exchange-failed" in env.logger.warnings  # type: ignore[attr-defined]


def test_rate_limited_exchange_keeps_the_short_lived_token(
    mock_idp: MockIdP, http: httpx.Client
) -> None:
    mock_idp.faults.exchange_rate_limited = True
    provider = Instagram(**mock_idp.provider_options("instagram"), long_lived=True)
    env = make_env()
    out = full_flow(provider, env, http)
    assert out.account["expires_in"] == 3600
    assert "instagram-long-lived-exchange-failed" in env.logger.warnings  # type: ignore[attr-defined]


def test_non_transient_exchange_failure_still_fails(mock_idp: MockIdP, http: httpx.Client) -> None:
    mock_idp.faults.exchange_body = "missing_access_token"
    provider = Instagram(**mock_idp.provider_options("instagram"), long_lived=True)
    with pytest.raises(OAuthProviderError) as info:
        full_flow(provider, make_env(), http)
    assert not info.value.retryable


# ---- 10. token responses read like oauth4webapi ----------------------------------------------


@pytest.mark.parametrize(
    ("raw", "seconds"), [("3600.0", 3600), (" 3600", 3600), ("3600", 3600), (3599.9, 3599)]
)
def test_expires_in_strings_are_numbers(raw: Any, seconds: int) -> None:
    tokens = check_token_response(
        _acme(), {"access_token": "a", "token_type": "Bearer", "expires_in": raw}, now=1000.5
    )
    assert tokens["expires_in"] == seconds
    assert tokens["expires_at"] == 1000 + seconds
    assert tokens["token_type"] == "bearer"


@pytest.mark.parametrize("raw", [-1, "-60", "soon", "NaN", True, [3600]])
def test_bad_expires_in_is_refused(raw: Any) -> None:
    with pytest.raises(OAuthProviderError, match="expires_in"):
        check_token_response(
            _acme(), {"access_token": "a", "token_type": "bearer", "expires_in": raw}, now=0
        )


def test_oidc_account_token_type_is_lower_case(mock_idp: MockIdP, http: httpx.Client) -> None:
    # The mock's OIDC token endpoint answers `"token_type": "Bearer"`, as Google does.
    out = full_flow(OIDC(**mock_idp.provider_options("oidc")), make_env(), http)
    assert out.account["token_type"] == "bearer"


# ---- 13. Auth.js option spellings ------------------------------------------------------------


def test_camel_case_credentials_are_accepted() -> None:
    provider = GitHub(clientId="cid", clientSecret="sec", allowDangerousEmailAccountLinking=True)
    assert (provider.client_id, provider.client_secret) == ("cid", "sec")
    assert provider.allow_dangerous_email_account_linking is True


def test_both_spellings_at_once_are_refused() -> None:
    with pytest.raises(ConfigError, match="same option"):
        GitHub(client_id="a", clientId="b", client_secret="s")


def test_token_conform_and_userinfo_request_objects(mock_idp: MockIdP, http: httpx.Client) -> None:
    seen: dict[str, Any] = {}

    def conform(body: dict[str, Any]) -> dict[str, Any]:
        seen["conform"] = True
        return {**body, "token_type": "bearer"}

    async def request(ctx: dict[str, Any]) -> dict[str, Any]:
        seen["tokens"] = ctx["tokens"]
        seen["provider"] = ctx["provider"].id
        return {"id": "hooked", "name": "From the hook"}

    opts = mock_idp.provider_options("instagram")
    provider = Instagram(
        **{k: v for k, v in opts.items() if k not in ("token", "userinfo")},
        token={"url": opts["token"], "conform": conform},
        userinfo={"url": opts["userinfo"], "request": request},
    )
    assert provider.token.url == opts["token"]
    out = full_flow(provider, make_env(), http)
    assert seen["conform"] and seen["provider"] == "instagram"
    assert seen["tokens"]["access_token"] == out.account["access_token"]
    assert out.user["id"] == "hooked"
    assert not mock_idp.requests_to("/instagram/graph/me")


def test_failing_userinfo_request_hook_is_a_provider_error(
    mock_idp: MockIdP, http: httpx.Client
) -> None:
    def request(ctx: dict[str, Any]) -> dict[str, Any]:
        raise RuntimeError("boom")

    opts: dict[str, Any] = mock_idp.provider_options("oauth2")
    provider = GitHub(**{**opts, "userinfo": {"url": opts["userinfo"], "request": request}})
    with pytest.raises(OAuthProviderError, match="hook failed"):
        full_flow(provider, make_env(), http)


@pytest.mark.parametrize(
    ("options", "hint"),
    [
        ({"token": {"request": print}}, "did you mean token={'conform'"),
        ({"clientSecert": "x"}, "Did you mean 'client_secret'"),
        ({"authorization": {"url": "https://a.example", "parms": {}}}, "only 'url' and 'params'"),
    ],
)
def test_options_that_do_not_map_are_refused_with_a_hint(
    options: dict[str, Any], hint: str
) -> None:
    with pytest.raises(ConfigError, match=hint):
        GitHub(client_id="a", client_secret="s", **options)
