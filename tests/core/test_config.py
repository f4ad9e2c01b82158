from __future__ import annotations

import logging
from typing import Any

import pytest

from authcore import ConfigError, Request, auth_sync, validate_config
from authcore.providers.credentials import Credentials
from tests.support.core import BASE, SECRET, make_config


@pytest.mark.parametrize(
    ("change", "option", "hint"),
    [
        ({"clientId": "x"}, "clientId", None),
        ({"basePath": "/auth"}, "basePath", "base_path"),
        ({"trustHost": True}, "trustHost", "trust_host"),
        ({"secert": "x"}, "secert", "secret"),
        ({"secret": ""}, "secret", None),
        ({"secret": ["a", " "]}, "secret", None),
        ({"secret": 42}, "secret", None),
        ({"base_path": "auth"}, "base_path", None),
        ({"url": "ftp://x"}, "url", None),
        ({"url": "https://u:p@x.example"}, "url", None),
        ({"trust_host": "yes"}, "trust_host", None),
        ({"session": {"strategy": "database"}}, "session.strategy", None),
        ({"session": {"max_age": -1}}, "session.max_age", None),
        ({"session": {"maxAge": 1}}, "session.maxAge", "max_age"),
        ({"callbacks": {"signIn": print}}, "callbacks.signIn", "sign_in"),
        ({"callbacks": {"jwt": 3}}, "callbacks.jwt", None),
        ({"pages": {"sign_in": "https://evil.example/login"}}, "pages.sign_in", None),
        ({"theme": {"color_scheme": "pink"}}, "theme.color_scheme", None),
        ({"limits": {"max_body_bytes": 0}}, "limits.max_body_bytes", None),
        ({"limits": {"nope": 1}}, "limits.nope", None),
        ({"cookies": {"sessionToken": {"name": "x"}}}, "cookies.sessionToken", "session_token"),
        ({"cookies": {"session_token": {"name": "bad name"}}}, "cookies.session_token", None),
        ({"providers": ["github"]}, "providers[0]", None),
        ({"providers": [Credentials(authorize=None)]}, "authorize", None),
        (
            {"providers": [Credentials(authorize=print), Credentials(authorize=print)]},
            "providers[1]",
            None,
        ),
        ({"env": {"AUTH_TRUST_HOST": "maybe"}}, "AUTH_TRUST_HOST", None),
    ],
)
def test_bad_config_names_the_option(change: dict[str, Any], option: str, hint: str | None) -> None:
    cfg = make_config(**change)
    with pytest.raises(ConfigError) as err:
        validate_config(cfg)
    assert err.value.details["option"] == option
    if hint is not None:
        assert repr(hint) in str(err.value)
    assert SECRET not in str(err.value)


def test_bad_config_answers_like_authjs_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    cfg = make_config(secret="")
    with caplog.at_level(logging.ERROR, logger="authcore"):
        res = auth_sync(Request("GET", BASE + "/session"), cfg)
    assert res.status == 500
    assert res.json() == {
        "message": "There was a problem with the server configuration. "
        "Check the server logs for more information."
    }
    assert "option secret" in caplog.text
    page = auth_sync(Request("GET", BASE + "/signin"), cfg)
    assert page.status == 500 and "text/html" in (page.header("content-type") or "")


def test_config_is_normalised_once() -> None:
    from authcore._normalise import normalise

    cfg = make_config()
    assert normalise(cfg) is normalise(cfg)


def test_env_secret_order_and_rotation() -> None:
    from authcore._normalise import normalise

    env = {"AUTH_SECRET": "s0", "AUTH_SECRET_1": "s1", "AUTH_SECRET_3": "s3"}
    opts = normalise({"env": env})
    assert opts.secrets == ("s3", "s1", "s0")
    assert normalise({"env": env, "secret": "explicit"}).secrets == ("explicit",)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("false", False), ("0", False), ("", False), ("true", True), ("1", True)],
)
def test_auth_trust_host_env(value: str, expected: bool) -> None:
    cfg = {"secret": SECRET, "env": {"AUTH_TRUST_HOST": value}}
    res = auth_sync(Request("GET", "https://app.example.test/api/auth/session"), cfg)
    assert (res.status == 200) is expected


def test_auth_url_sets_origin_and_base_path() -> None:
    cfg = {"secret": SECRET, "env": {"AUTH_URL": "https://app.example.test/custom/auth"}}
    res = auth_sync(Request("GET", "http://10.0.0.5:8000/custom/auth/providers"), cfg)
    assert res.status == 200
    res = auth_sync(Request("GET", "http://10.0.0.5:8000/custom/auth/signin?callbackUrl=/x"), cfg)
    assert "__Secure-authjs.callback-url=https%3A%2F%2Fapp.example.test%2Fx" in res.set_cookies[1]


def test_auth_url_origin_only_keeps_default_base() -> None:
    from authcore._normalise import normalise

    opts = normalise({"secret": SECRET, "env": {"AUTH_URL": "https://app.example.test"}})
    assert opts.base_path == "/api/auth" and opts.url_origin == "https://app.example.test"


def test_provider_env_defaults() -> None:
    from authcore.providers._base import Provider

    seen: dict[str, Any] = {}

    class P(Provider):
        def with_env_defaults(self, **kw: Any) -> Provider:
            seen.update(kw)
            return self

    validate_config(
        {
            "secret": SECRET,
            "providers": [P(id="my-idp", name="X", type="oauth")],
            "env": {"AUTH_MY_IDP_ID": "cid", "AUTH_MY_IDP_SECRET": "cs"},
        }
    )
    assert seen == {"client_id": "cid", "client_secret": "cs", "issuer": None}


def test_untrusted_host_is_refused_but_localhost_works() -> None:
    cfg = make_config()
    res = auth_sync(Request("GET", "https://app.example.test/api/auth/session"), cfg)
    assert res.status == 500
    res = auth_sync(Request("GET", "https://app.example.test/api/auth/signin"), cfg)
    assert res.status == 500 and "text/html" in (res.header("content-type") or "")
    for host in ("localhost:3000", "127.0.0.1:8000", "[::1]:8000", "app.localhost"):
        assert auth_sync(Request("GET", f"http://{host}/api/auth/session"), cfg).status == 200


def test_forwarded_headers_only_with_trust_host() -> None:
    headers = {"x-forwarded-host": "evil.example", "x-forwarded-proto": "https"}
    res = auth_sync(Request("GET", BASE + "/signin", headers), make_config())
    assert "evil.example" not in " ".join(res.set_cookies)
    assert "authjs.csrf-token=" in res.set_cookies[0]  # not secure: proto ignored too
    trusted = make_config(trust_host=True)
    res = auth_sync(Request("GET", "http://internal:8000/api/auth/csrf", headers), trusted)
    assert res.set_cookies[0].startswith("__Host-authjs.csrf-token=")
    assert "https%3A%2F%2Fevil.example" in res.set_cookies[1]


def test_configured_url_beats_forwarded_headers() -> None:
    cfg = make_config(url="https://app.example.test", trust_host=True)
    headers = {"x-forwarded-host": "evil.example", "host": "evil.example"}
    res = auth_sync(Request("GET", "http://evil.example/api/auth/csrf", headers), cfg)
    assert "https%3A%2F%2Fapp.example.test" in res.set_cookies[1]


def test_cookie_overrides_deep_merge() -> None:
    cfg = make_config(cookies={"session_token": {"name": "sid"}, "csrf_token": {"domain": "x.y"}})
    res = auth_sync(Request("GET", BASE + "/csrf"), cfg)
    assert "; Domain=x.y; Path=/; HttpOnly; SameSite=Lax" in res.set_cookies[0]
    from authcore._normalise import normalise

    assert normalise(cfg).cookies(False).session_token.name == "sid"
    assert normalise(cfg).cookies(True).session_token.secure is True


def test_logger_override_and_no_secrets(caplog: pytest.LogCaptureFixture) -> None:
    errors: list[BaseException] = []
    cfg = make_config(logger={"error": errors.append})
    auth_sync(Request("GET", BASE + "/session", {"cookie": "authjs.session-token=garbage"}), cfg)
    assert [type(e).__name__ for e in errors] == ["JWTSessionError"]
    with caplog.at_level(logging.DEBUG, logger="authcore"):
        auth_sync(
            Request("GET", BASE + "/session", {"cookie": "authjs.session-token=garbage-xyz"}),
            make_config(debug=True),
        )
    assert "garbage-xyz" not in caplog.text
    assert SECRET not in caplog.text
