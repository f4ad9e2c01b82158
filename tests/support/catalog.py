"""Signing in with one catalog provider pointed at the mock's `/scripted` endpoints."""

from __future__ import annotations

import copy
from typing import Any

import httpx

from authcore.errors import OAuthProviderError
from authcore.testing import MockIdP, Scripted
from tests.providers.catalog.catalog_fixtures import ProviderFixture
from tests.support.e2e import ERROR_PAGE, SESSION, Browser
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
        self.provider = fixture.provider(**options)
        idp.add_client("client-id", "client-secret")
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

    def profile(self) -> dict[str, Any]:
        """The scripted profile the provider will read (userinfo or ID-token claims)."""
        script = self.idp.scripted
        source = script.id_token_claims if self.uses_claims else script.userinfo
        return self.fixture.locate(source, self.uses_claims)

    def run(self) -> Any:
        return self.browser.sign_in(self.fixture.id)

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
        assert "client-secret" not in logged
        code = self.idp.requests_to("/scripted/token")[-1].form["code"]
        assert code not in logged
