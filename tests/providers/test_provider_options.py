"""Provider plugin model: merge rules, validation, registry, the Instagram refresh helper."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from authcore._flow import drive_sync
from authcore._options import Limits
from authcore.errors import ConfigError, OAuthProviderError
from authcore.providers import provider_factory, register_provider, registered_providers
from authcore.providers._registry import find_provider
from authcore.providers.github import GitHub
from authcore.providers.google import Google
from authcore.providers.instagram import (
    Instagram,
    async_refresh_long_lived_token,
    conform_instagram_token,
    refresh_long_lived_token,
)
from authcore.providers.oauth import Endpoint, OAuthProvider, build_provider
from authcore.providers.oidc import OIDC
from authcore.testing import MockIdP
from tests.support.oauth import full_flow, make_env


def test_instagram_defaults() -> None:
    p = Instagram(client_id="1", client_secret="s")
    p.validate()
    assert (p.id, p.name, p.type) == ("instagram", "Instagram", "oauth")
    assert p.authorization.url == "https://www.instagram.com/oauth/authorize"
    assert p.authorization.param("scope") == "instagram_business_basic"
    assert p.token.url == "https://api.instagram.com/oauth/access_token"
    assert p.userinfo.url == "https://graph.instagram.com/v25.0/me"
    assert p.token_endpoint_auth_method == "client_secret_post"
    assert p.checks == ("pkce", "state")
    assert p.long_lived is False


def test_params_override_keeps_default_url() -> None:
    p = Instagram(
        client_id="1",
        client_secret="s",
        authorization={"params": {"scope": "instagram_business_basic", "force_reauth": True}},
    )
    assert p.authorization.url == "https://www.instagram.com/oauth/authorize"
    assert dict(p.authorization.params) == {
        "scope": "instagram_business_basic",
        "force_reauth": "true",
    }


def test_url_string_keeps_default_params_and_its_query_wins() -> None:
    p = Instagram(
        client_id="1",
        client_secret="s",
        authorization="https://proxy.example/authorize?scope=instagram_business_basic,"
        "instagram_business_manage_messages&x=1",
    )
    assert p.authorization.url == "https://proxy.example/authorize"
    assert dict(p.authorization.params) == {
        "scope": "instagram_business_basic,instagram_business_manage_messages",
        "x": "1",
    }


def test_none_removes_a_default_param() -> None:
    p = GitHub(client_id="1", client_secret="s", authorization={"params": {"scope": None}})
    assert p.authorization.param("scope") is None


def test_seed_style_instagram() -> None:
    """The options users wrote for Auth.js's provider, accepted as they are."""
    p = Instagram(
        client_id="1",
        client_secret="s",
        authorization="https://www.instagram.com/oauth/authorize",
        token="https://api.instagram.com/oauth/access_token",
        profile="https://graph.instagram.com/me?fields=id,username",
        scope="instagram_business_basic",
    )
    p.validate()
    assert p.userinfo.url == "https://graph.instagram.com/me"
    assert p.userinfo.param("fields") == "id,username"
    assert p.profile is None  # a string profile is the userinfo URL, the mapper stays default


def test_lists_replace_not_merge_by_index() -> None:
    p = OIDC(issuer="https://id.example", client_id="c", client_secret="s", checks=["pkce"])
    assert p.checks == ("pkce",)


def test_scope_shortcut_joins_lists() -> None:
    assert GitHub(client_id="1", client_secret="s", scope=["a", "b"]).authorization.param(
        "scope"
    ) == ("a b")
    assert Instagram(client_id="1", client_secret="s", scope=["a", "b"]).authorization.param(
        "scope"
    ) == ("a,b")


def test_style_merges_key_by_key() -> None:
    p = GitHub(client_id="1", client_secret="s", style={"brandColor": "#000"})
    assert p.style["brandColor"] == "#000" and p.style["logo"] == "github.svg"


def test_authjs_client_option() -> None:
    p = GitHub(
        client_id="1",
        client_secret="s",
        client={"token_endpoint_auth_method": "client_secret_post"},
    )
    assert p.token_endpoint_auth_method == "client_secret_post"


def test_unknown_option_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="Did you mean 'client_id'") as info:
        Instagram(client_id="1", client_secret="s", client_idd="x")
    assert info.value.details["option"] == "client_idd"


@pytest.mark.parametrize(
    "scope",
    ["user_profile", "user_profile,user_media", "business_basic", "business_manage_messages"],
)
def test_instagram_rejects_legacy_scopes(scope: str) -> None:
    p = Instagram(client_id="1", client_secret="s", scope=scope)
    with pytest.raises(ConfigError, match="Basic Display") as info:
        p.validate()
    assert info.value.details["option"] == "scope"


def test_instagram_requires_client_secret_post() -> None:
    p = Instagram(
        client_id="1", client_secret="s", token_endpoint_auth_method="client_secret_basic"
    )
    with pytest.raises(ConfigError, match="client_secret_post"):
        p.validate()


@pytest.mark.parametrize(
    ("kwargs", "option"),
    [
        ({"client_secret": "s"}, "client_id"),
        ({"client_id": "1"}, "client_secret"),
        ({"client_id": "1", "client_secret": "s", "checks": ["pkce", "bogus"]}, "checks"),
        ({"client_id": "1", "client_secret": "s", "checks": ["nonce"]}, "checks"),
        ({"client_id": "1", "client_secret": "s", "token": "ftp://x"}, "token"),
    ],
)
def test_validation_names_the_option(kwargs: dict[str, Any], option: str) -> None:
    with pytest.raises(ConfigError) as info:
        GitHub(**kwargs).validate()
    assert info.value.details["option"] == option


def test_oidc_needs_an_issuer() -> None:
    with pytest.raises(ConfigError) as info:
        OIDC(client_id="c", client_secret="s").validate()
    assert info.value.details["option"] == "issuer"


def test_env_defaults_fill_only_unset() -> None:
    p = Instagram(client_secret="explicit")
    q = p.with_env_defaults(client_id="env-id", client_secret="env-secret", issuer=None)
    assert (q.client_id, q.client_secret) == ("env-id", "explicit")
    assert isinstance(q, type(p))


def test_google_is_oidc_through_discovery() -> None:
    p = Google(client_id="c", client_secret="s")
    p.validate()
    assert p.type == "oidc" and p.issuer == "https://accounts.google.com"
    assert p.authorization.url is None and p.checks == ("pkce", "state", "nonce")


def test_registry() -> None:
    assert {"instagram", "github", "google", "oidc"} <= set(registered_providers())
    assert provider_factory("instagram") is Instagram
    providers = [
        GitHub(client_id="1", client_secret="s"),
        Instagram(client_id="1", client_secret="s"),
    ]
    found = find_provider(providers, "instagram")
    assert found is providers[1]
    assert find_provider(providers, "nope") is None
    with pytest.raises(KeyError):
        provider_factory("nope")


def test_writing_a_provider_takes_a_few_lines(mock_idp: MockIdP) -> None:
    """The example of docs/providers/writing.md, run against the mock."""

    def Acme(**options: Any) -> OAuthProvider:
        defaults = OAuthProvider(
            id="acme",
            name="Acme",
            authorization=Endpoint("https://acme.example/authorize", (("scope", "profile"),)),
            token=Endpoint("https://acme.example/token"),
            userinfo=Endpoint("https://acme.example/me"),
            profile=lambda p, tokens: {"id": p["id"], "name": p["login"], "email": None},
        )
        return build_provider(defaults, options)

    register_provider("acme", Acme)
    opts = mock_idp.provider_options("oauth2")
    opts.pop("emails")
    provider = Acme(**opts)
    provider.validate()
    with httpx.Client() as client:
        out = full_flow(provider, make_env(), client)
    assert out.user["id"] == "1234" and out.user["name"] == "octo"
    assert provider_factory("acme") is Acme


# ---- Instagram token conformance -------------------------------------------------------------


def test_conform_keeps_big_user_id_digit_for_digit() -> None:
    from authcore.oauth._fetch import parse_json_body

    body = parse_json_body(b'{"access_token":"T","user_id":17841405793187219,"permissions":"a,b"}')
    tokens = conform_instagram_token(body)
    assert tokens == {
        "access_token": "T",
        "user_id": "17841405793187219",
        "permissions": ["a", "b"],
        "token_type": "bearer",
        "expires_in": 3600,
    }


def test_conform_unwraps_data_and_keeps_missing_access_token_missing() -> None:
    assert conform_instagram_token({"data": [{"user_id": "1"}]}).get("access_token") is None
    assert conform_instagram_token({"data": [{"access_token": "T"}]})["access_token"] == "T"
    assert conform_instagram_token({"data": []}) == {"token_type": "bearer", "expires_in": 3600}


# ---- refresh helper --------------------------------------------------------------------------


@dataclass
class _Tokens:
    long_lived: str


@pytest.fixture
def long_lived(mock_idp: MockIdP) -> Iterator[_Tokens]:
    provider = Instagram(**mock_idp.provider_options("instagram"), long_lived=True)
    with httpx.Client() as client:
        out = full_flow(provider, make_env(), client)
    yield _Tokens(out.account["access_token"])


def _a_day_later(mock_idp: MockIdP) -> None:
    """Instagram (and the mock) refuse to refresh a token younger than 24 h."""
    start = time.time()
    mock_idp.now = lambda: start + 86400


def test_refresh_sync(mock_idp: MockIdP, long_lived: _Tokens) -> None:
    _a_day_later(mock_idp)
    provider = Instagram(**mock_idp.provider_options("instagram"))
    with httpx.Client() as client:
        result = refresh_long_lived_token(
            long_lived.long_lived, client=client, provider=provider, now=lambda: 1000.0
        )
    assert result["access_token"] and result["token_type"] == "bearer"
    assert result["expires_at"] == 1000 + result["expires_in"]
    req = mock_idp.requests_to("/instagram/graph/refresh_access_token")[-1]
    assert req.query["grant_type"] == "ig_refresh_token"
    assert "client_secret" not in req.query


def test_refresh_async(mock_idp: MockIdP, long_lived: _Tokens) -> None:
    import asyncio

    _a_day_later(mock_idp)
    graph = mock_idp.provider_options("instagram")["graph_url"]

    async def go() -> dict[str, Any]:
        async with httpx.AsyncClient() as client:
            return await async_refresh_long_lived_token(
                long_lived.long_lived, client=client, graph_url=graph
            )

    assert asyncio.run(go())["access_token"]


def test_refresh_invalid_token_is_a_clear_error(mock_idp: MockIdP) -> None:
    graph = mock_idp.provider_options("instagram")["graph_url"]
    with httpx.Client() as client, pytest.raises(OAuthProviderError) as info:
        refresh_long_lived_token("IGAAbogus", client=client, graph_url=graph)
    err = info.value
    assert err.details["endpoint"] == "token refresh"
    assert err.details["error_type"] == "OAuthException"
    assert "IGAAbogus" not in err.message


def test_refresh_of_a_fresh_token_is_refused_as_instagram_does(
    mock_idp: MockIdP, long_lived: _Tokens
) -> None:
    provider = Instagram(**mock_idp.provider_options("instagram"))
    with httpx.Client() as client, pytest.raises(OAuthProviderError) as info:
        refresh_long_lived_token(long_lived.long_lived, client=client, provider=provider)
    assert "too recent" in info.value.message


def test_refresh_timeout(mock_idp: MockIdP, long_lived: _Tokens) -> None:
    mock_idp.faults.exchange_delay = 3.0
    graph = mock_idp.provider_options("instagram")["graph_url"]
    with httpx.Client() as client, pytest.raises(OAuthProviderError) as info:
        refresh_long_lived_token(
            long_lived.long_lived, client=client, graph_url=graph, limits=Limits(idp_timeout=0.2)
        )
    assert info.value.details["reason"] == "timeout"


def test_flow_needs_no_event_loop_without_async_callbacks(mock_idp: MockIdP) -> None:
    provider = Instagram(**mock_idp.provider_options("instagram"))
    from authcore.oauth import begin_signin

    with httpx.Client() as client:
        start = drive_sync(begin_signin(provider, make_env(), query={}), client)
    assert start.url.startswith(mock_idp.url)


def test_type_oidc_needs_the_oidc_provider_class() -> None:
    """ID-token settings live on OIDCProvider: a plain OAuthProvider marked 'oidc' is refused
    at start-up instead of failing in the middle of a callback."""
    provider = OAuthProvider(
        id="x",
        name="X",
        type="oidc",
        client_id="a",
        client_secret="b",
        authorization=Endpoint("https://idp.example.test/authorize"),
        token=Endpoint("https://idp.example.test/token"),
        userinfo=Endpoint("https://idp.example.test/me"),
    )
    with pytest.raises(ConfigError) as info:
        provider.validate()
    assert info.value.details["option"] == "type"
