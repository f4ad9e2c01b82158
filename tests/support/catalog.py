"""Signing in with one catalog provider pointed at the mock's `/scripted` endpoints."""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from authcore.errors import OAuthProviderError
from authcore.jose import base64url
from authcore.testing import MockIdP, RecordedRequest, Scripted, TokenCall
from tests.providers.catalog.catalog_fixtures import ProviderFixture
from tests.support.e2e import ERROR_PAGE, SESSION, Browser
from tests.support.form_post import read_form
from tests.support.oauth import ORIGIN, SECRET
from tests.support.security import RecordingLogger

__all__ = ["SignIn"]


class SignIn:
    """One provider pointed at the mock's `/scripted` endpoints, signed in through `Auth()`."""

    def __init__(self, idp: MockIdP, http: httpx.Client, fixture: ProviderFixture) -> None:
        self.idp = idp
        self.fixture = fixture
        self.logger = RecordingLogger()
        self.seen: dict[str, Any] = {}
        options = idp.provider_options("scripted")
        options.pop("client_id"), options.pop("client_secret")
        signed = fixture.signed_client_secret
        if signed is None:
            self.provider = fixture.provider(**options)
            idp.add_client("client-id", "client-secret")
        else:  # a secret JWT signed per token request with a key the mock knows
            assert signed["alg"] == "ES256"
            key = ec.generate_private_key(ec.SECP256R1())
            pem = key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ).decode()
            self.provider = fixture.factory()(
                client_id="client-id",
                private_key=pem,
                **{**fixture.options, **signed["options"], **options},
            )
            idp.add_client("client-id", public_key=key.public_key())
        self.uses_claims = self.provider.type == "oidc" and getattr(self.provider, "id_token", True)
        alg = getattr(self.provider, "id_token_signed_response_alg", None)
        idp.scripted = Scripted(
            token=copy.deepcopy(fixture.token),
            userinfo=copy.deepcopy(fixture.userinfo),
            id_token_claims=copy.deepcopy(fixture.id_token_claims),
            # what the provider model says its IdP signs: LINE's HS256 ID token keyed by the
            # client secret, BankID's signed userinfo JWT
            id_token_alg=alg if alg == "HS256" else None,
            userinfo_jwt=bool(getattr(self.provider, "userinfo_signed_response_alg", None)),
            token_call=self._token_call(),
            response_type=self.provider.response_type,
        )

        def jwt(token: dict[str, Any], **kw: Any) -> dict[str, Any]:
            if kw.get("account"):
                self.seen.update(kw)
                token["provider_account_id"] = kw["account"]["providerAccountId"]
            return token

        def session(session: dict[str, Any], token: dict[str, Any], **kw: Any) -> dict[str, Any]:
            session["provider_account_id"] = token.get("provider_account_id")
            return session

        config = {
            "providers": [self.provider],
            "secret": SECRET,
            "url": f"{ORIGIN}/api/auth",
            "logger": self.logger,
            "callbacks": {"jwt": jwt, "session": session},
        }
        self.browser = Browser(config, http)

    @property
    def callback_url(self) -> str:
        return f"{ORIGIN}/api/auth/callback/{self.fixture.id}"

    def _token_call(self) -> TokenCall | None:
        """The fixture's non-standard token call, for the mock to read back (`TokenCall`)."""
        call = self.fixture.token_call
        if call is None:
            return None
        return TokenCall(
            method=call.get("method", "POST"),
            names=dict(call.get("names", {})),
            grant_type=call.get("grant_type", "authorization_code"),
            client_id="client-id" if call.get("names_no_client") else None,
            redirect_uri=None if call.get("sends_redirect_uri", True) else self.callback_url,
        )

    def token_params(self, request: RecordedRequest) -> dict[str, str]:
        """The token call's parameters under their RFC 6749 names."""
        call = self.fixture.token_call or {}
        sent = request.query if call.get("method") == "GET" else request.form
        names: dict[str, str] = call.get("names", {})
        out = {k: v for k, v in sent.items() if k not in names}
        out.update({std: sent[theirs] for std, theirs in names.items() if theirs in sent})
        return out

    def assert_client_auth(self) -> None:
        """The token call authenticated the client as the provider model says."""
        token = self.idp.requests_to("/scripted/token")[-1]
        params = self.token_params(token)
        call = self.fixture.token_call or {}
        post = self.provider.token_endpoint_auth_method == "client_secret_post"
        signed = self.fixture.signed_client_secret
        if signed is not None:  # the mock checked its signature, subject and audience
            assert token.basic_auth is None
            header = json.loads(base64url.decode(params["client_secret"].split(".")[0]))
            assert header["alg"] == signed["alg"]
            assert header["kid"] == signed["options"]["key_id"]
            assert params["client_id"] == "client-id"
        elif post or call:
            assert token.basic_auth is None
            assert params["client_secret"] == "client-secret"
            if not call.get("names_no_client"):
                assert params["client_id"] == "client-id"
        else:
            assert token.basic_auth == ("client-id", "client-secret")
            assert "client_secret" not in params
        if call.get("sends_redirect_uri", True):
            assert params["redirect_uri"] == self.callback_url
        else:
            assert "redirect_uri" not in params

    def profile(self) -> dict[str, Any]:
        """The scripted profile the provider will read (userinfo or ID-token claims)."""
        script = self.idp.scripted
        source = script.id_token_claims if self.uses_claims else script.userinfo
        return self.fixture.locate(source, self.uses_claims)

    def run(self) -> Any:
        if self.provider.response_mode != "form_post":
            return self.browser.sign_in(self.fixture.id)
        # the IdP answers with a self-submitting form: post it as a browser would
        browser = self.browser
        csrf = browser.app("GET", f"{ORIGIN}/api/auth/csrf").json()["csrfToken"]
        start = browser.app(
            "POST",
            f"{ORIGIN}/api/auth/signin/{self.fixture.id}",
            {"csrfToken": csrf, "callbackUrl": f"{ORIGIN}/dashboard"},
        )
        assert start.status == 302 and start.location is not None, start.body[:300]
        page = browser.http.get(start.location, follow_redirects=False)
        assert page.status_code == 200, page.text[:300]
        action, fields = read_form(page.text)
        assert action == self.callback_url
        return browser.app("POST", action, fields)

    def assert_signed_in(
        self, done: Any, user: dict[str, Any], shown: tuple[str, ...] = ("name", "email", "image")
    ) -> None:
        assert done.status == 302, (done.body[:300], self.logger.errors)
        assert done.location == f"{ORIGIN}/dashboard", (done.location, self.logger.errors)
        assert not self.logger.errors
        session = self.browser.session()
        assert session["provider_account_id"] == user["id"]
        expected = self.fixture.expected_user(self.provider, {k: user[k] for k in shown})
        if isinstance(expected.get("email"), str):  # stored lower-cased, as Auth.js does
            expected["email"] = expected["email"].lower()
        assert {k: session["user"].get(k) for k in shown} == expected
        assert self.seen["account"]["provider"] == self.fixture.id

    def assert_refused(self, done: Any, endpoint: str) -> None:
        assert done.status == 302
        assert done.location == f"{ERROR_PAGE}OAuthProviderError", (
            done.location,
            self.logger.errors,
        )
        assert SESSION not in self.browser.cookies
        errors = [e for e in self.logger.errors if isinstance(e, OAuthProviderError)]
        assert errors, self.logger.errors
        assert errors[0].details["endpoint"] == endpoint
        logged = " ".join(f"{e} {getattr(e, 'details', '')}" for e in self.logger.errors)
        assert "client-secret" not in logged and "PRIVATE KEY" not in logged
        code = self.token_params(self.idp.requests_to("/scripted/token")[-1])["code"]
        assert code not in logged
