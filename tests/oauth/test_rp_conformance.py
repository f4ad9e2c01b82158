"""The OpenID Foundation's relying-party conformance tests (Basic RP profile, code flow, plus
the discovery, key-rotation and claims-request cases), one test per named case, against the
mock OpenID provider. Case names and expectations are the certification suite's
(https://openid.net/certification/connect_rp_testing/); docs/security.md lists the results.

`test_rp_<case>` runs the case `rp-<case>` with `-` and `_` read the same."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from authcore.errors import InvalidCheck, OAuthProviderError
from authcore.oauth import clear_caches
from authcore.oauth._discovery import JWKS_REFETCH_COOLDOWN
from authcore.providers.oauth import OIDCProvider
from authcore.providers.oidc import OIDC
from authcore.testing import MockIdP
from tests.support.oauth import Clock, authorize, callback, full_flow, jar, make_env, signin

JWKS = "/oidc/jwks"


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    clear_caches()


def _provider(idp: MockIdP, **options: Any) -> OIDCProvider:
    provider = OIDC(**idp.provider_options("oidc"), **options)
    provider.validate()
    return provider


def _refused(idp: MockIdP, http: httpx.Client, provider: OIDCProvider | None = None) -> Any:
    """Run the flow with the fault set; return the error, after checking no user was made."""
    with pytest.raises((OAuthProviderError, InvalidCheck)) as info:
        full_flow(provider or _provider(idp), make_env(), http)
    return info.value


# ---- responses and requests ------------------------------------------------------------------


def test_rp_response_type_code(mock_idp: MockIdP, http: httpx.Client) -> None:
    """Make an authentication request using the Authorization Code Flow."""
    out = full_flow(_provider(mock_idp), make_env(), http)
    sent = mock_idp.requests_to("/oidc/authorize")[-1].query
    assert sent["response_type"] == "code"
    assert "openid" in sent["scope"].split()
    assert out.user["id"] == mock_idp.oidc_user.sub


def test_rp_scope_userinfo_claims(mock_idp: MockIdP, http: httpx.Client) -> None:
    """Request claims with scope values; use the ones the UserInfo endpoint returns."""
    provider = _provider(mock_idp, scope="openid profile email", id_token=False)
    out = full_flow(provider, make_env(), http)
    assert mock_idp.requests_to("/oidc/userinfo")
    assert out.profile["email"] == mock_idp.oidc_user.email
    assert out.user["email"] == mock_idp.oidc_user.email
    assert out.user["name"] == mock_idp.oidc_user.name


def test_rp_nonce_invalid(mock_idp: MockIdP, http: httpx.Client) -> None:
    """The ID token's nonce differs from the one sent: reject."""
    mock_idp.faults.wrong_nonce = True
    err = _refused(mock_idp, http)
    assert isinstance(err, InvalidCheck) and err.details["check"] == "nonce"


def test_rp_token_endpoint_client_secret_basic(mock_idp: MockIdP, http: httpx.Client) -> None:
    """Authenticate at the token endpoint with client_secret_basic."""
    mock_idp.oidc_token_auth_methods = ("client_secret_basic",)
    full_flow(_provider(mock_idp), make_env(), http)
    token = mock_idp.requests_to("/oidc/token")[-1]
    assert token.basic_auth == (mock_idp.client_id, mock_idp.client_secret)
    assert "client_secret" not in token.form


def test_token_endpoint_method_follows_discovery(mock_idp: MockIdP, http: httpx.Client) -> None:
    """No method configured and the metadata lists only client_secret_post: post is used."""
    mock_idp.oidc_token_auth_methods = ("client_secret_post",)
    full_flow(_provider(mock_idp), make_env(), http)
    token = mock_idp.requests_to("/oidc/token")[-1]
    assert token.basic_auth is None
    assert token.form["client_secret"] == mock_idp.client_secret


def test_configured_token_endpoint_method_wins(mock_idp: MockIdP, http: httpx.Client) -> None:
    mock_idp.oidc_token_auth_methods = ("client_secret_post",)
    provider = _provider(mock_idp, token_endpoint_auth_method="client_secret_basic")
    err = _refused(mock_idp, http, provider)
    assert err.details["endpoint"] == "token"


# ---- the ID token -------------------------------------------------------------------------


def test_rp_id_token_sig_rs256(mock_idp: MockIdP, http: httpx.Client) -> None:
    """An RS256-signed ID token is verified and accepted."""
    mock_idp.oidc_alg = "RS256"
    out = full_flow(_provider(mock_idp), make_env(), http)
    assert out.profile["sub"] == mock_idp.oidc_user.sub


def test_rp_id_token_aud(mock_idp: MockIdP, http: httpx.Client) -> None:
    """rp-id_token-aud / -iat / -sub / -issuer-mismatch: reject the ID token."""
    mock_idp.faults.id_token = "wrong_aud"
    assert _refused(mock_idp, http).details["claim"] == "aud"


def test_rp_id_token_iat(mock_idp: MockIdP, http: httpx.Client) -> None:
    mock_idp.faults.id_token = "missing_iat"
    assert _refused(mock_idp, http).details["claim"] == "iat"


def test_rp_id_token_sub(mock_idp: MockIdP, http: httpx.Client) -> None:
    mock_idp.faults.id_token = "missing_sub"
    assert _refused(mock_idp, http).details["claim"] == "sub"


def test_rp_id_token_issuer_mismatch(mock_idp: MockIdP, http: httpx.Client) -> None:
    mock_idp.faults.id_token = "wrong_iss"
    assert _refused(mock_idp, http).details["claim"] == "iss"


def test_rp_id_token_kid_absent_single_jwks(mock_idp: MockIdP, http: httpx.Client) -> None:
    """No `kid`, one key for the algorithm in the JWKS: use it and accept."""
    mock_idp.faults.id_token = "missing_kid"
    out = full_flow(_provider(mock_idp), make_env(), http)
    assert out.profile["sub"] == mock_idp.oidc_user.sub


def test_rp_id_token_kid_absent_multiple_jwks(mock_idp: MockIdP, http: httpx.Client) -> None:
    """No `kid` and several RSA keys: the suite accepts rejecting (done here) or trying all."""
    mock_idp.keys.add_spare_rsa_key()
    mock_idp.faults.id_token = "missing_kid"
    err = _refused(mock_idp, http)
    assert err.details["code"] == "no_matching_key"


def test_rp_id_token_bad_sig_rs256(mock_idp: MockIdP, http: httpx.Client) -> None:
    mock_idp.faults.id_token = "bad_signature"
    assert _refused(mock_idp, http).details["reason"] == "id_token"


def test_rp_id_token_sig_none(mock_idp: MockIdP, http: httpx.Client) -> None:
    """An unsigned ID token. The suite accepts it only from an RP registered for `none`;
    authcore never registers for `none`, so it is refused (a deliberate result)."""
    mock_idp.faults.id_token = "unsigned"
    assert _refused(mock_idp, http).details["reason"] == "id_token"


# ---- UserInfo ---------------------------------------------------------------------------------


def test_rp_userinfo_bad_sub_claim(mock_idp: MockIdP, http: httpx.Client) -> None:
    """UserInfo `sub` differs from the ID token's: discard the answer, no sign-in."""
    mock_idp.faults.userinfo_sub_mismatch = True
    err = _refused(mock_idp, http, _provider(mock_idp, id_token=False))
    assert err.details["reason"] == "sub_mismatch"


def test_rp_userinfo_bearer_header(mock_idp: MockIdP, http: httpx.Client) -> None:
    """The access token goes to UserInfo in the Authorization header (RFC 6750 §2.1)."""
    out = full_flow(_provider(mock_idp, id_token=False), make_env(), http)
    request = mock_idp.requests_to("/oidc/userinfo")[-1]
    assert request.bearer_token == out.account["access_token"]
    assert "access_token" not in request.query and "access_token" not in request.form


# ---- discovery and keys -----------------------------------------------------------------------


def test_rp_discovery_openid_configuration(mock_idp: MockIdP, http: httpx.Client) -> None:
    """Endpoints come from `<issuer>/.well-known/openid-configuration`."""
    full_flow(_provider(mock_idp), make_env(), http)
    assert mock_idp.requests_to("/oidc/.well-known/openid-configuration")
    assert mock_idp.requests_to("/oidc/authorize") and mock_idp.requests_to("/oidc/token")


def test_rp_discovery_jwks_uri_keys(mock_idp: MockIdP, http: httpx.Client) -> None:
    """The ID token is verified with keys fetched from the metadata's `jwks_uri`."""
    mock_idp.oidc_alg = "ES256"
    full_flow(_provider(mock_idp), make_env(), http)
    assert len(mock_idp.requests_to(JWKS)) == 1


def test_rp_discovery_issuer_not_matching_config(mock_idp: MockIdP, http: httpx.Client) -> None:
    """The metadata's `issuer` differs from the configured one: stop before any request."""
    provider = OIDC(**{**mock_idp.provider_options("oidc"), "issuer": mock_idp.issuer + "/"})
    err = _refused(mock_idp, http, provider)
    assert err.details["reason"] == "issuer_mismatch"
    assert not mock_idp.requests_to("/oidc/authorize")


def test_rp_key_rotation_op_sign_key(mock_idp: MockIdP, http: httpx.Client) -> None:
    """The OP rotates its signing key: the RP refetches the JWKS and accepts the new key."""
    clock = Clock(time.time())
    provider = _provider(mock_idp)
    full_flow(provider, make_env(clock=clock), http)
    mock_idp.keys.rotate()
    clock.now += JWKS_REFETCH_COOLDOWN + 1
    out = full_flow(provider, make_env(clock=clock), http)
    assert out.profile["sub"] == mock_idp.oidc_user.sub
    assert len(mock_idp.requests_to(JWKS)) == 2


def test_unknown_kid_refetches_at_most_once_per_cooldown(
    mock_idp: MockIdP, http: httpx.Client
) -> None:
    """A flood of ID tokens naming unknown keys does not become a flood of JWKS requests."""
    clock = Clock(time.time())
    provider = _provider(mock_idp)
    full_flow(provider, make_env(clock=clock), http)  # JWKS cached
    mock_idp.faults.id_token = "unknown_kid"
    clock.now += JWKS_REFETCH_COOLDOWN + 1
    for _ in range(3):
        with pytest.raises(OAuthProviderError):
            full_flow(provider, make_env(clock=clock), http)
        clock.now += 1
    assert len(mock_idp.requests_to(JWKS)) == 2  # the first fetch and one refetch


# ---- claims requests --------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["id_token", "userinfo"])
def test_rp_claims_request(mock_idp: MockIdP, http: httpx.Client, target: str) -> None:
    """rp-claims-request-id_token / rp-claims-request-userinfo: the `claims` request
    parameter (OIDC Core §5.5) reaches the OP as JSON and the flow completes."""
    wanted = {target: {"email": {"essential": True}}}
    provider = _provider(mock_idp, authorization={"params": {"claims": wanted}})
    env = make_env()
    start = signin(provider, env, http)
    sent = dict(parse_qsl(urlsplit(start.url).query))
    assert json.loads(sent["claims"]) == wanted
    params = authorize(http, start.url)
    out = callback(provider, env, http, params, jar(start.cookies))
    assert out.user["email"] == mock_idp.oidc_user.email
