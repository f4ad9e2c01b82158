"""Client authentication methods at the token endpoint, through `Auth()` against the mock IdP
on 127.0.0.1, which checks each method as an authorization server would (RFC 6749 §2.3.1,
RFC 7523 §3, OpenID Connect Core §9)."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from authcore import jwt
from authcore.errors import ConfigError
from authcore.providers.oidc import OIDC
from authcore.testing import MockIdP
from tests.support.core import BASE, SECRET, Browser, make_config

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def _pem(key: Any) -> str:
    pem: bytes = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem.decode()


def _segment(assertion: str, index: int) -> dict[str, Any]:
    part = assertion.split(".")[index]
    value: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return value


def _claims(assertion: str) -> dict[str, Any]:
    return _segment(assertion, 1)


def _header(assertion: str) -> dict[str, Any]:
    return _segment(assertion, 0)


def _sign_in(idp: MockIdP, http: httpx.Client, **options: Any) -> Browser:
    provider = OIDC(issuer=idp.issuer, **options)
    b = Browser(make_config(providers=[provider], http_client=http))
    res = b.call("GET", b.start_oauth(http, "oidc"))
    assert res.status == 302
    return b


def _signed_in(b: Browser) -> str:
    payload = jwt.decode(
        token=b.jar["authjs.session-token"], secret=SECRET, salt="authjs.session-token"
    )
    sub: str = payload["sub"]
    return sub


def _token_request(idp: MockIdP) -> Any:
    return idp.requests_to("/oidc/token")[-1]


def test_client_secret_basic(mock_idp: MockIdP, http: httpx.Client) -> None:
    mock_idp.add_client("basic-app", "basic secret+/=", auth_method="client_secret_basic")
    b = _sign_in(mock_idp, http, client_id="basic-app", client_secret="basic secret+/=")
    assert _signed_in(b) == mock_idp.oidc_user.sub
    req = _token_request(mock_idp)
    assert req.basic_auth == ("basic-app", "basic secret+/=")  # form-encoded, then decoded
    assert "client_secret" not in req.form and "client_assertion" not in req.form


def test_client_secret_post(mock_idp: MockIdP, http: httpx.Client) -> None:
    mock_idp.add_client("post-app", "post-secret", auth_method="client_secret_post")
    b = _sign_in(
        mock_idp,
        http,
        client_id="post-app",
        client_secret="post-secret",
        token_endpoint_auth_method="client_secret_post",
    )
    assert _signed_in(b) == mock_idp.oidc_user.sub
    req = _token_request(mock_idp)
    assert req.basic_auth is None
    assert req.form["client_id"] == "post-app" and req.form["client_secret"] == "post-secret"


def test_client_secret_jwt(mock_idp: MockIdP, http: httpx.Client) -> None:
    mock_idp.add_client("hs-app", "a-long-shared-secret-for-hmac", auth_method="client_secret_jwt")
    b = _sign_in(
        mock_idp,
        http,
        client_id="hs-app",
        client_secret="a-long-shared-secret-for-hmac",
        client={"token_endpoint_auth_method": "client_secret_jwt"},  # Auth.js spelling
    )
    assert _signed_in(b) == mock_idp.oidc_user.sub
    req = _token_request(mock_idp)
    assert req.basic_auth is None and "client_secret" not in req.form
    assert req.form["client_assertion_type"] == ASSERTION_TYPE
    assert "a-long-shared-secret" not in req.body.decode()
    assert _header(req.form["client_assertion"])["alg"] == "HS256"
    claims = _claims(req.form["client_assertion"])
    assert claims["iss"] == claims["sub"] == "hs-app"
    assert claims["aud"] == [mock_idp.issuer, f"{mock_idp.issuer}/token"]
    assert claims["exp"] - claims["iat"] == 60 and claims["jti"]


@pytest.mark.parametrize(
    ("make_key", "alg"),
    [
        (lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048), "RS256"),
        (lambda: ec.generate_private_key(ec.SECP256R1()), "ES256"),
        (ed25519.Ed25519PrivateKey.generate, "EdDSA"),
    ],
)
def test_private_key_jwt(mock_idp: MockIdP, http: httpx.Client, make_key: Any, alg: str) -> None:
    key = make_key()
    mock_idp.add_client("pk-app", auth_method="private_key_jwt", public_key=key.public_key())
    b = _sign_in(
        mock_idp,
        http,
        client_id="pk-app",
        token_endpoint_auth_method="private_key_jwt",
        client_private_key=_pem(key),
        client_key_id="key-1",
    )
    assert _signed_in(b) == mock_idp.oidc_user.sub
    req = _token_request(mock_idp)
    assertion = req.form["client_assertion"]
    assert req.basic_auth is None and "client_secret" not in req.form
    assert _header(assertion) == {"alg": alg, "typ": "JWT", "kid": "key-1"}
    assert _claims(assertion)["sub"] == "pk-app"


def test_private_key_jwt_with_the_wrong_key_is_refused(
    mock_idp: MockIdP, http: httpx.Client
) -> None:
    registered = ec.generate_private_key(ec.SECP256R1())
    other = ec.generate_private_key(ec.SECP256R1())
    mock_idp.add_client("pk-app", auth_method="private_key_jwt", public_key=registered.public_key())
    provider = OIDC(
        issuer=mock_idp.issuer,
        client_id="pk-app",
        token_endpoint_auth_method="private_key_jwt",
        client_private_key=_pem(other),
    )
    b = Browser(make_config(providers=[provider], http_client=http))
    res = b.call("GET", b.start_oauth(http, "oidc"))
    assert res.location == f"{BASE}/error?error=OAuthProviderError"
    assert "authjs.session-token" not in b.jar
    assert _token_request(mock_idp).form["client_assertion_type"] == ASSERTION_TYPE


def test_public_client_sends_only_its_id_and_pkce(mock_idp: MockIdP, http: httpx.Client) -> None:
    mock_idp.add_client("spa", auth_method="none")
    b = _sign_in(mock_idp, http, client_id="spa", token_endpoint_auth_method="none")
    assert _signed_in(b) == mock_idp.oidc_user.sub
    req = _token_request(mock_idp)
    assert req.basic_auth is None
    assert req.form["client_id"] == "spa"
    assert not {"client_secret", "client_assertion"} & set(req.form)
    assert req.form["code_verifier"]


def test_public_client_without_pkce_is_refused_by_the_server(
    mock_idp: MockIdP, http: httpx.Client
) -> None:
    mock_idp.add_client("spa", auth_method="none")
    provider = OIDC(
        issuer=mock_idp.issuer,
        client_id="spa",
        token_endpoint_auth_method="none",
        checks=["state", "nonce"],
    )
    b = Browser(make_config(providers=[provider], http_client=http))
    res = b.call("GET", b.start_oauth(http, "oidc"))
    assert res.location == f"{BASE}/error?error=OAuthProviderError"
    assert "authjs.session-token" not in b.jar


def test_server_pinned_method_refuses_another(mock_idp: MockIdP, http: httpx.Client) -> None:
    mock_idp.add_client("post-only", "s3cret", auth_method="client_secret_post")
    provider = OIDC(issuer=mock_idp.issuer, client_id="post-only", client_secret="s3cret")
    b = Browser(make_config(providers=[provider], http_client=http))
    res = b.call("GET", b.start_oauth(http, "oidc"))
    assert res.location == f"{BASE}/error?error=OAuthProviderError"


@pytest.mark.parametrize(
    ("options", "option"),
    [
        ({"token_endpoint_auth_method": "private_key_jwt"}, "client_private_key"),
        (
            {"token_endpoint_auth_method": "private_key_jwt", "client_private_key": "not a pem"},
            "client_private_key",
        ),
        (
            {
                "token_endpoint_auth_method": "private_key_jwt",
                "client_private_key": _pem(ec.generate_private_key(ec.SECP256R1())),
                "client_assertion_alg": "RS256",
            },
            "client_private_key",
        ),
        ({"token_endpoint_auth_method": "client_secret_jwt"}, "client_secret"),
        ({"token_endpoint_auth_method": "tls_client_auth", "client_secret": "x"}, None),
    ],
)
def test_bad_client_auth_config_is_a_config_error(
    options: dict[str, Any], option: str | None
) -> None:
    provider = OIDC(issuer="https://id.example.com", client_id="app", **options)
    with pytest.raises(ConfigError) as info:
        provider.validate()
    if option is not None:
        assert info.value.details["option"] == option
    assert "PRIVATE KEY" not in str(info.value)
