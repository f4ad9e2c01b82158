"""The passkey provider's config checks and the options it answers (relying party, shape of
`@simplewebauthn/server` 9's options JSON, the challenge cookie)."""

from __future__ import annotations

from typing import Any

import pytest

from authcore import validate_config
from authcore.errors import (
    ConfigError,
    ExperimentalFeatureNotEnabled,
    MissingAdapter,
    MissingAdapterMethods,
)
from authcore.providers.github import GitHub
from authcore.providers.passkey import Passkey, WebAuthnProvider
from authcore.stores.memory import MemoryStore
from tests.support.security import SECRET
from tests.support.webauthn import PasskeyBrowser


class SessionsOnly:
    """A store with the database-session and OAuth methods, and no WebAuthn ones."""

    def __init__(self) -> None:
        self._inner = MemoryStore()

    def __getattr__(self, name: str) -> Any:
        if "authenticator" in name or name == "get_account":
            raise AttributeError(name)
        return getattr(self._inner, name)


def base(**extra: Any) -> dict[str, Any]:
    config: dict[str, Any] = {"secret": SECRET, "env": {}, "trust_host": True}
    config.update(extra)
    return config


def test_passkeys_need_the_experimental_flag() -> None:
    with pytest.raises(ExperimentalFeatureNotEnabled) as info:
        validate_config(base(adapter=MemoryStore(), providers=[Passkey()]))
    assert info.value.details["option"] == "experimental.enable_webauthn"
    assert "enable_webauthn" in str(info.value)
    with pytest.raises(ExperimentalFeatureNotEnabled):
        validate_config(
            base(
                adapter=MemoryStore(),
                providers=[Passkey()],
                experimental={"enable_webauthn": False},
            )
        )


def test_passkeys_need_a_store_with_the_webauthn_methods() -> None:
    on = {"enable_webauthn": True}
    with pytest.raises(MissingAdapter):
        validate_config(base(providers=[Passkey()], experimental=on, session={"strategy": "jwt"}))
    with pytest.raises(MissingAdapterMethods) as info:
        validate_config(base(adapter=SessionsOnly(), providers=[Passkey()], experimental=on))
    message = str(info.value)
    for method in ("get_account", "get_authenticator", "create_authenticator"):
        assert method in message
    # The same store serves a config without passkeys.
    validate_config(
        base(adapter=SessionsOnly(), providers=[GitHub(client_id="a", client_secret="b")])
    )


def test_unknown_experimental_keys_are_named() -> None:
    with pytest.raises(ConfigError) as info:
        validate_config(base(experimental={"enableWebAuthn": True}))
    assert "enable_webauthn" in str(info.value)


@pytest.mark.parametrize(
    "options",
    [
        {"relying_party": {"id": "x", "host": "y"}},
        {"relying_party": {"origin": "https://a.example/path"}},
        {"relying_party": {"id": ""}},
        {"relying_party": {"name": []}},
        {"timeout": 0},
        {"user_verification": "always"},
        {"resident_key": "yes"},
        {"form_fields": {"email": {"autocomplete": "email"}}},
    ],
)
def test_bad_provider_options(options: dict[str, Any]) -> None:
    config = base(
        adapter=MemoryStore(),
        providers=[Passkey(**options)],
        experimental={"enable_webauthn": True},
    )
    with pytest.raises(ConfigError):
        validate_config(config)


def _browser(provider: WebAuthnProvider, **extra: Any) -> PasskeyBrowser:
    config = base(
        adapter=MemoryStore(),
        providers=[provider],
        experimental={"enable_webauthn": True},
        **extra,
    )
    browser = PasskeyBrowser(config)
    browser.provider_id = provider.id
    return browser


def test_registration_options_have_simplewebauthns_shape() -> None:
    res = _browser(Passkey()).options(None, "New@Example.com")
    assert res.status == 200
    assert "no-store" in (res.header("cache-control") or "")
    body = res.json()
    assert body["action"] == "register"
    options = body["options"]
    assert set(options) == {
        "challenge",
        "rp",
        "user",
        "pubKeyCredParams",
        "timeout",
        "attestation",
        "excludeCredentials",
        "authenticatorSelection",
        "extensions",
    }
    assert options["rp"] == {"name": "app.example.test", "id": "app.example.test"}
    assert options["user"]["name"] == "new@example.com"
    assert len(options["user"]["id"]) == 64  # random, as Auth.js: the user does not exist yet
    assert [p["alg"] for p in options["pubKeyCredParams"]] == [-8, -7, -257]
    assert options["timeout"] == 300000
    assert options["attestation"] == "none"
    assert options["excludeCredentials"] == []
    assert options["authenticatorSelection"] == {
        "residentKey": "required",
        "userVerification": "required",
        "requireResidentKey": True,
    }
    assert len(options["challenge"]) == 43
    cookie = next(c for c in res.set_cookies if c.startswith("__Secure-authjs.challenge="))
    assert "HttpOnly" in cookie and "Max-Age=900" in cookie and "SameSite=Lax" in cookie


def test_authentication_options_without_a_user() -> None:
    browser = _browser(Passkey())
    body = browser.options().json()
    assert body["action"] == "authenticate"
    assert body["options"].keys() == {"challenge", "timeout", "userVerification", "rpId"}
    assert body["options"]["rpId"] == "app.example.test"
    assert body["options"]["userVerification"] == "required"
    assert (
        browser.options("authenticate").json()["options"]["challenge"]
        != body["options"]["challenge"]
    )


def test_the_relying_party_comes_from_the_config_or_auth_url() -> None:
    provider = Passkey(
        id="pk",
        relying_party={
            "id": "example.com",
            "name": ["Example", "ignored"],
            "origin": ["https://app.example.com", "https://www.example.com"],
        },
    )
    options = _browser(provider).options(None, "a@example.com").json()["options"]
    assert options["rp"] == {"name": "Example", "id": "example.com"}
    behind_proxy = _browser(WebAuthnProvider(), url="https://public.example.org/api/auth")
    options = behind_proxy.options("authenticate").json()["options"]
    assert options["rpId"] == "public.example.org"
    assert options["userVerification"] == "preferred"
