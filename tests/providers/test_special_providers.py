"""The providers whose behaviour goes beyond data, signed in through `Auth()` against the mock
IdP on 127.0.0.1 (its OpenID Connect flavour stands in for each provider's server), plus
the option rules that spell their issuers and endpoints."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from authcore import jwt
from authcore.errors import ConfigError
from authcore.providers.apple import Apple
from authcore.providers.auth0 import Auth0
from authcore.providers.authentik import Authentik
from authcore.providers.cognito import Cognito
from authcore.providers.keycloak import Keycloak
from authcore.providers.linkedin import LinkedIn
from authcore.providers.mastodon import Mastodon
from authcore.providers.microsoft_entra_id import MicrosoftEntraID
from authcore.providers.okta import Okta
from authcore.providers.salesforce import Salesforce
from authcore.providers.slack import Slack
from authcore.providers.workos import WorkOS
from authcore.testing import MockIdP, OIDCUser
from tests.support.core import BASE, SECRET, Browser, make_config
from tests.support.form_post import start

TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad"


def _session(b: Browser) -> dict[str, Any]:
    payload: dict[str, Any] = jwt.decode(
        token=b.jar["authjs.session-token"], secret=SECRET, salt="authjs.session-token"
    )
    return payload


def _decode(segment: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    )
    return value


# ---- Apple -----------------------------------------------------------------------------------


def _apple(idp: MockIdP, key: ec.EllipticCurvePrivateKey) -> Any:
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    idp.add_client("com.example.web", public_key=key.public_key())
    return Apple(
        issuer=idp.issuer,
        client_id="com.example.web",
        team_id="TEAM123456",
        key_id="KEY1234567",
        private_key=pem,
        # Apple's scope is "name email"; the mock wants openid too
        scope="openid name email",
    )


def test_apple_sign_in_with_signed_secret_form_post_and_first_time_name(
    mock_idp: MockIdP, http: httpx.Client
) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    mock_idp.form_post_user = {"name": {"firstName": "Jane", "lastName": "Appleseed"}}
    b = Browser(make_config(providers=[_apple(mock_idp, key)], http_client=http))

    path, fields = start(b, http, "apple", checks=2)
    assert json.loads(fields["user"])["name"]["firstName"] == "Jane"
    res = b.call("POST", path, form=fields)
    assert res.status == 302 and "error" not in (res.location or "")
    assert _session(b)["name"] == "Jane Appleseed"
    token_req = mock_idp.requests_to("/oidc/token")[-1]
    secret = token_req.form["client_secret"]  # client_secret_post, a JWT signed per request
    header, claims = _decode(secret.split(".")[0]), _decode(secret.split(".")[1])
    assert header == {"alg": "ES256", "typ": "JWT", "kid": "KEY1234567"}
    assert claims["iss"] == "TEAM123456" and claims["sub"] == "com.example.web"
    assert claims["exp"] - claims["iat"] <= 300
    assert token_req.basic_auth is None

    # Apple posts the name only once: the email stands in afterwards
    b2 = Browser(make_config(providers=[_apple(mock_idp, key)], http_client=http))
    path, fields = start(b2, http, "apple", checks=2)
    assert "user" not in fields
    b2.call("POST", path, form=fields)
    assert _session(b2)["name"] == mock_idp.oidc_user.email


@pytest.mark.parametrize(
    "user_field",
    ['{"email":"x@example.com"}', '{"name":{"firstName":"Solo"}}', "not json", '["a"]'],
)
def test_apple_odd_user_field_never_breaks_sign_in(
    mock_idp: MockIdP, http: httpx.Client, user_field: str
) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    b = Browser(make_config(providers=[_apple(mock_idp, key)], http_client=http))
    path, fields = start(b, http, "apple", checks=2)
    res = b.call("POST", path, form={**fields, "user": user_field})
    assert res.status == 302 and "error" not in (res.location or "")
    expected = "Solo" if "Solo" in user_field else mock_idp.oidc_user.email
    assert _session(b)["name"] == expected


def test_apple_refuses_a_half_configured_signing_key() -> None:
    with pytest.raises(ConfigError) as info:
        Apple(client_id="com.example.web", team_id="T", key_id="K").validate()
    assert info.value.details["option"] == "private_key"
    with pytest.raises(ConfigError):
        Apple(client_id="com.example.web", team_id="T", key_id="K", private_key="x").validate()


# ---- Microsoft Entra ID ------------------------------------------------------------------------


def test_entra_multi_tenant_issuer_from_the_token_tenant(
    mock_idp: MockIdP, http: httpx.Client
) -> None:
    mock_idp.tenant = TENANT
    provider = MicrosoftEntraID(
        client_id=mock_idp.client_id,
        client_secret=mock_idp.client_secret,
        issuer=f"{mock_idp.issuer}/common",
    )
    b = Browser(make_config(providers=[provider], http_client=http))
    res = b.call("GET", b.start_oauth(http, "microsoft-entra-id"))
    assert res.status == 302 and "error" not in (res.location or ""), res.location
    assert _session(b)["sub"] == mock_idp.oidc_user.sub
    signin = mock_idp.requests_to("/oidc/authorize")[-1]
    assert signin.query["scope"] == "openid profile email User.Read"


def test_entra_refuses_a_token_from_a_tenant_it_does_not_name(
    mock_idp: MockIdP, http: httpx.Client
) -> None:
    mock_idp.tenant = TENANT
    mock_idp.misbehave(id_token="wrong_iss")  # iss names another issuer than tid's
    provider = MicrosoftEntraID(
        client_id=mock_idp.client_id,
        client_secret=mock_idp.client_secret,
        issuer=f"{mock_idp.issuer}/common",
    )
    b = Browser(make_config(providers=[provider], http_client=http))
    res = b.call("GET", b.start_oauth(http, "microsoft-entra-id"))
    assert res.location == f"{BASE}/error?error=OAuthProviderError"
    assert "authjs.session-token" not in b.jar


def test_entra_issuer_from_tenant_env_or_common() -> None:
    assert MicrosoftEntraID(tenant_id=TENANT).issuer == (
        f"https://login.microsoftonline.com/{TENANT}/v2.0"
    )
    common = MicrosoftEntraID().with_env_defaults(client_id="a", client_secret="b", issuer=None)
    assert common.issuer == "https://login.microsoftonline.com/common/v2.0"
    from_env = MicrosoftEntraID().with_env_defaults(
        client_id="a", client_secret="b", issuer="https://login.microsoftonline.com/org/v2.0"
    )
    assert from_env.issuer == "https://login.microsoftonline.com/org/v2.0"


# ---- OpenID providers with their own checks or client authentication --------------------------


@pytest.mark.parametrize(
    ("factory", "checks", "secret_in_form"),
    [
        (LinkedIn, {"state", "nonce"}, True),
        (Slack, {"state", "nonce"}, False),
        (Okta, {"state", "pkce", "nonce"}, False),
        (Salesforce, {"state", "pkce", "nonce"}, False),
    ],
)
def test_oidc_provider_signs_in(
    mock_idp: MockIdP,
    http: httpx.Client,
    factory: Any,
    checks: set[str],
    secret_in_form: bool,
) -> None:
    mock_idp.oidc_user = OIDCUser(sub="00D5e000001N20Q/0055e000003E8ooAAC", name="Ada")
    provider = factory(**mock_idp.provider_options("oidc"))
    b = Browser(make_config(providers=[provider], http_client=http))
    res = b.call("GET", b.start_oauth(http, provider.id))
    assert res.status == 302 and "error" not in (res.location or ""), res.location
    assert _session(b)["sub"] == "00D5e000001N20Q/0055e000003E8ooAAC"
    authorize = mock_idp.requests_to("/oidc/authorize")[-1].query
    sent = {"state": "state", "code_challenge": "pkce", "nonce": "nonce"}
    assert {check for param, check in sent.items() if param in authorize} == checks
    token = mock_idp.requests_to("/oidc/token")[-1]
    assert ("client_secret" in token.form) is secret_in_form
    # Salesforce reads the profile from userinfo, the others from the ID token
    assert bool(mock_idp.requests_to("/oidc/userinfo")) is (provider.id == "salesforce")


# ---- issuers and endpoints from parts ---------------------------------------------------------


def test_issuers_spelled_from_parts() -> None:
    assert Keycloak(base_url="https://kc.example.com/", realm="acme").issuer == (
        "https://kc.example.com/realms/acme"
    )
    assert Cognito(region="eu-west-1", user_pool_id="eu-west-1_AbC").issuer == (
        "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC"
    )
    assert Auth0(domain="acme.eu.auth0.com").issuer == "https://acme.eu.auth0.com/"
    assert Okta(domain="acme.okta.com").issuer == "https://acme.okta.com"
    assert Authentik(base_url="https://sso.example.com", slug="app").issuer == (
        "https://sso.example.com/application/o/app/"
    )
    # an explicit issuer wins over parts
    assert Okta(domain="x.okta.com", issuer="https://id.example.com").issuer == (
        "https://id.example.com"
    )


def test_half_given_issuer_parts_are_a_config_error() -> None:
    with pytest.raises(ConfigError) as info:
        Keycloak(base_url="https://kc.example.com")
    assert info.value.details["option"] == "realm"


def test_mastodon_endpoints_follow_the_instance_even_from_env() -> None:
    direct = Mastodon(issuer="https://mastodon.social/")
    assert direct.authorization.url == "https://mastodon.social/oauth/authorize"
    assert direct.authorization.param("scope") == "read"
    late = Mastodon().with_env_defaults(
        client_id="a", client_secret="b", issuer="https://fosstodon.org"
    )
    assert late.token.url == "https://fosstodon.org/oauth/token"
    assert late.userinfo.url == "https://fosstodon.org/api/v1/accounts/verify_credentials"
    with pytest.raises(ConfigError) as info:
        Mastodon(client_id="a", client_secret="b").validate()
    assert info.value.details["option"] == "issuer"


def test_workos_connection_goes_to_the_authorization_url() -> None:
    provider = WorkOS(connection="conn_01E4ZCR3C56J083X43JQXF3JK5")
    assert provider.authorization.url == "https://api.workos.com/sso/authorize"
    assert provider.authorization.param("connection") == "conn_01E4ZCR3C56J083X43JQXF3JK5"
    assert provider.token_endpoint_auth_method == "client_secret_post"
