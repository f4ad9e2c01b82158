"""Options of catalog providers that place their endpoints (self-hosted instances, tenants)."""

from __future__ import annotations

import httpx
import pytest

from authcore.errors import ConfigError
from authcore.providers.bungie import Bungie
from authcore.providers.descope import Descope
from authcore.providers.fusionauth import FusionAuth
from authcore.providers.gitlab import GitLab
from authcore.providers.mattermost import Mattermost
from authcore.providers.oauth import Endpoint
from authcore.providers.united_effects import UnitedEffects
from authcore.providers.webex import Webex
from authcore.testing import MockIdP
from tests.providers.catalog.catalog_fixtures import load_fixtures
from tests.support.catalog import SignIn


def test_descope_issuer_from_the_project_id() -> None:
    assert Descope(client_id="P2abc", client_secret="k").issuer == "https://api.descope.com/P2abc"
    assert Descope(client_id="P2abc", issuer="https://auth.example.com").issuer == (
        "https://auth.example.com"
    )


def test_descope_issuer_from_the_env_project_id() -> None:
    provider = Descope().with_env_defaults(client_id="P2env", client_secret="k", issuer=None)
    assert provider.issuer == "https://api.descope.com/P2env"
    provider.validate()


def test_gitlab_self_managed() -> None:
    provider = GitLab(client_id="a", client_secret="b", base_url="https://git.example.com/")
    assert provider.authorization.url == "https://git.example.com/oauth/authorize"
    assert provider.token.url == "https://git.example.com/oauth/token"
    assert provider.userinfo.url == "https://git.example.com/api/v4/user"
    assert provider.authorization.param("scope") == "read_user"


def test_webex_api_base_url() -> None:
    provider = Webex(client_id="a", client_secret="b", api_base_url="https://api.example.com/v1")
    assert provider.userinfo.url == "https://api.example.com/v1/people/me"


def test_fusionauth_tenant() -> None:
    provider = FusionAuth(
        client_id="a", client_secret="b", issuer="https://auth.example.com", tenant_id="t-1"
    )
    assert provider.authorization.param("tenantId") == "t-1"
    assert provider.token.url == "https://auth.example.com/oauth2/token"
    assert FusionAuth(issuer="https://auth.example.com").authorization.param("tenantId") is None


def test_mattermost_issuer_only_places_endpoints() -> None:
    provider = Mattermost(client_id="a", client_secret="b", issuer="https://chat.example.com")
    assert provider.issuer is None
    assert provider.userinfo.url == "https://chat.example.com/api/v4/users/me"
    provider.validate()


def test_united_effects_resource_is_the_issuer() -> None:
    issuer = "https://auth.unitedeffects.com/group"
    provider = UnitedEffects(client_id="a", client_secret="b", issuer=issuer)
    assert provider.authorization.param("resource") == issuer


def test_bungie_needs_its_api_key() -> None:
    with pytest.raises(ConfigError) as info:
        Bungie(client_id="a", client_secret="b").validate()
    assert info.value.details["option"] == "api_key"


def test_bungie_fills_the_membership_and_sends_the_key(
    mock_idp: MockIdP, http: httpx.Client
) -> None:
    fixture = next(f for f in load_fixtures() if f.id == "bungie")
    flow = SignIn(mock_idp, http, fixture)
    # the placeholder as Bungie's real URL has it, on the mock's host
    url = f"{mock_idp.url}/scripted/userinfo/{{membershipId}}"
    flow.provider = flow.browser.config["providers"][0] = flow.provider.evolve(
        userinfo=Endpoint(url)
    )
    flow.assert_signed_in(flow.run(), fixture.user)
    sent = [r for r in mock_idp.requests if r.path.startswith("/scripted/userinfo")][-1]
    assert sent.path == "/scripted/userinfo/14792488"
    assert sent.headers["x-api-key"] == "doc-sample-api-key"
