"""Signatures a provider opts in to: an HS256 ID token keyed by the client secret (LINE,
through `OIDCProvider.id_token_hmac_key`) and a userinfo answer served as a signed JWT
(BankID Norway, `userinfo_signed_response_alg`). Everything else keeps refusing HMAC."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from authcore.errors import ConfigError, OAuthProviderError
from authcore.jose.base64url import encode as b64
from authcore.jose.jws import sign_compact
from authcore.oauth import clear_caches
from authcore.oauth._id_token import IdTokenError, validate_id_token, validate_signed_userinfo
from authcore.providers.bankid_no import BankIDNorway
from authcore.providers.line import LINE
from authcore.providers.netsuite import NetSuite
from authcore.providers.oidc import OIDC
from authcore.testing import MockIdP
from tests.providers.catalog.catalog_fixtures import load_fixtures
from tests.support.catalog import SignIn
from tests.support.jwks import ISSUER, KEY, METADATA, run_with_jwks
from tests.support.oauth import make_env

SECRET = b"channel-secret"
FIXTURES = {f.id: f for f in load_fixtures()}
USERINFO = "https://1234567-sb1.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=1"


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    clear_caches()
    with httpx.Client() as client:
        yield client


def _claims(**extra: Any) -> dict[str, Any]:
    now = int(time.time())
    return {"iss": ISSUER, "aud": "client-1", "sub": "U1", "iat": now, "exp": now + 600, **extra}


def _hs(claims: dict[str, Any], key: bytes, alg: str = "HS256") -> str:
    """Written here, not with the code under test: header, payload, HMAC (RFC 7515 §5.1)."""
    digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384}[alg]
    head = b64(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    body = b64(json.dumps(claims).encode())
    mac = hmac.new(key, f"{head}.{body}".encode(), digest).digest()
    return f"{head}.{body}.{b64(mac)}"


def _rs(claims: dict[str, Any]) -> str:
    return sign_compact({"alg": "RS256", "kid": "k1"}, json.dumps(claims).encode(), KEY)


def _id_token(token: str, *, alg: str | None, key: bytes | None) -> dict[str, Any]:
    clear_caches()
    return run_with_jwks(
        validate_id_token(
            token,
            make_env(),
            provider_id="line",
            client_id="client-1",
            metadata=METADATA,
            expected_nonce=None,
            preferred_alg=alg,
            clock_tolerance=30,
            jwks_ttl=600,
            hmac_key=key,
        )
    )


def test_hs256_id_token_verifies_with_the_opted_in_key() -> None:
    assert _id_token(_hs(_claims(), SECRET), alg="HS256", key=SECRET)["sub"] == "U1"


@pytest.mark.parametrize(
    ("token", "alg", "key"),
    [
        pytest.param(_hs(_claims(), b"another-secret"), "HS256", SECRET, id="wrong-key"),
        pytest.param(_hs(_claims(), SECRET, "HS384"), "HS256", SECRET, id="other-hmac-alg"),
        pytest.param(_rs(_claims()), "HS256", SECRET, id="rs256-when-hs256-expected"),
        pytest.param(_hs(_claims(), SECRET), None, None, id="no-opt-in"),
        pytest.param(_hs(_claims(), SECRET), "RS256", SECRET, id="asymmetric-configured"),
    ],
)
def test_other_id_tokens_are_refused(token: str, alg: str | None, key: bytes | None) -> None:
    with pytest.raises(IdTokenError):
        _id_token(token, alg=alg, key=key)


def test_line_opts_in_with_its_client_secret_and_nothing_else_can() -> None:
    line = LINE(client_id="1234567890", client_secret="channel-secret")
    line.validate()
    assert line.id_token_hmac_key() == b"channel-secret"
    assert line.id_token_signed_response_alg == "HS256"
    with pytest.raises(ConfigError) as err:
        LINE(client_id="1234567890").validate()
    assert err.value.details["option"] == "client_secret"
    plain = OIDC(
        issuer=ISSUER,
        client_id="c",
        client_secret="s",
        client={"id_token_signed_response_alg": "HS256"},
    )
    assert plain.id_token_hmac_key() is None
    with pytest.raises(ConfigError) as err:
        plain.validate()
    assert err.value.details["option"] == "id_token_signed_response_alg"


# ---- signed userinfo -----------------------------------------------------------------------


def _userinfo(token: str) -> dict[str, Any]:
    clear_caches()
    return run_with_jwks(
        validate_signed_userinfo(
            token,
            make_env(),
            provider_id="bankid-no",
            client_id="client-1",
            metadata=METADATA,
            alg="RS256",
            jwks_ttl=600,
        )
    )


def test_signed_userinfo_is_verified() -> None:
    assert _userinfo(_rs({"sub": "U1", "name": "Ola"}))["name"] == "Ola"
    assert _userinfo(_rs({"sub": "U1", "iss": ISSUER, "aud": ["client-1", "x"]}))["sub"] == "U1"


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(_rs({"sub": "U1", "iss": "https://evil.example"}), id="other-issuer"),
        pytest.param(_rs({"sub": "U1", "aud": "another-client"}), id="other-audience"),
        pytest.param(_rs({"sub": "U1", "aud": 7}), id="audience-not-text"),
        pytest.param(_hs({"sub": "U1"}, SECRET), id="hmac"),
        pytest.param(_rs({"sub": "U1"})[:-4] + "AAAA", id="bad-signature"),
    ],
)
def test_bad_signed_userinfo_is_refused(token: str) -> None:
    with pytest.raises(OAuthProviderError) as err:
        _userinfo(token)
    assert err.value.details["endpoint"] == "userinfo"


def test_bankid_refuses_a_plain_json_userinfo(mock_idp: MockIdP, http: httpx.Client) -> None:
    """A BankID userinfo answer that is not the signed JWT it asked for fails the sign-in
    (oauth4webapi's `JWT_USERINFO_EXPECTED`), it is never read unchecked."""
    flow = SignIn(mock_idp, http, FIXTURES["bankid-no"])
    mock_idp.scripted.userinfo_jwt = False
    flow.assert_refused(flow.run(), "userinfo")
    asked = [r for r in mock_idp.requests if r.path.startswith("/scripted/userinfo")]
    assert asked and asked[-1].headers["accept"] == "application/jwt"


def test_line_refuses_an_id_token_signed_with_the_mocks_rsa_key(
    mock_idp: MockIdP, http: httpx.Client
) -> None:
    flow = SignIn(mock_idp, http, FIXTURES["line"])
    mock_idp.scripted.id_token_alg = None  # RS256 by the mock's key: not what LINE signs
    flow.assert_refused(flow.run(), "token")


def test_bankid_options() -> None:
    bankid = BankIDNorway(client_id="c", client_secret="s")
    bankid.validate()
    assert bankid.userinfo_signed_response_alg == "RS256"
    assert bankid.token_endpoint_auth_method == "client_secret_post"
    with pytest.raises(ConfigError) as err:
        BankIDNorway(
            client_id="c", client_secret="s", userinfo_signed_response_alg="HS256"
        ).validate()
    assert err.value.details["option"] == "userinfo_signed_response_alg"


@pytest.mark.parametrize("account", ["evil.example/x?", "a b", ""])
def test_netsuite_account_id_must_be_a_host_label(account: str) -> None:
    netsuite = NetSuite(client_id="c", client_secret="s", account_id=account, userinfo=USERINFO)
    with pytest.raises(ConfigError) as err:
        netsuite.validate()
    assert err.value.details["option"] == "account_id"


def test_netsuite_needs_its_account_and_a_userinfo_url() -> None:
    with pytest.raises(ConfigError) as err:
        NetSuite(client_id="c", client_secret="s", userinfo=USERINFO).validate()
    assert err.value.details["option"] == "account_id"
    with pytest.raises(ConfigError) as err:
        NetSuite(client_id="c", client_secret="s", accountID="1234567-SB1").validate()
    assert err.value.details["option"] == "userinfo"
    sandbox = NetSuite(client_id="c", client_secret="s", accountID="1234567-SB1", userinfo=USERINFO)
    sandbox.validate()
    assert sandbox.token.url == (
        "https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token"
    )
