"""Environment defaults, action URLs and path parsing.

Counterparts of `@auth/core@0.41.3` `packages/core/test/env.test.ts` (`setEnvDefaults`,
`createActionURL`) and `packages/core/test/url-parsing.test.ts` (`parseActionAndProviderId`).
Each case passes as in Auth.js or names the row of docs/differences.md it follows.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from authcore import ConfigError, Request, auth_sync, validate_config
from authcore._normalise import normalise
from authcore.actions._routing import parse_action
from authcore.errors import UnknownAction
from authcore.providers.oidc import OIDC
from tests.support.core import SECRET


class Warnings:
    def __init__(self) -> None:
        self.codes: list[str] = []

    def warn(self, code: str) -> None:
        self.codes.append(code)


def _config(env: dict[str, str], **extra: Any) -> tuple[dict[str, Any], Warnings]:
    warnings = Warnings()
    return {"secret": SECRET, "env": env, "logger": warnings, **extra}, warnings


# ---- setEnvDefaults --------------------------------------------------------------------------


def test_provider_client_id_secret_issuer_from_env() -> None:
    """`AUTH_RESEND_KEY` has no counterpart: authcore has no email providers."""
    env = {
        "AUTH_AUTH0_ID": "asdf",
        "AUTH_AUTH0_SECRET": "fdsa",
        "AUTH_AUTH0_ISSUER": "https://example.com",
    }
    config, warnings = _config(env, providers=[OIDC(id="auth0")])
    provider = normalise(config).providers[0]
    assert getattr(provider, "client_id", None) == "asdf"
    assert getattr(provider, "client_secret", None) == "fdsa"
    assert getattr(provider, "issuer", None) == "https://example.com"
    assert warnings.codes == []


def test_auth_secret() -> None:
    config, warnings = _config({"AUTH_SECRET": "secret"}, secret=None)
    assert normalise(config).secrets[0] == "secret"
    assert warnings.codes == []


def test_numbered_secrets_come_first() -> None:
    config, warnings = _config({"AUTH_SECRET": "0", "AUTH_SECRET_1": "1"}, secret=None)
    assert normalise(config).secrets == ("1", "0")
    assert warnings.codes == []


def test_configured_secret_wins_over_env() -> None:
    config, warnings = _config({"AUTH_SECRET": "new"}, secret=["old"])
    assert normalise(config).secrets == ("old",)
    assert warnings.codes == []


def test_auth_url_path_is_the_base_path() -> None:
    config, warnings = _config({"AUTH_URL": "http://n/api/auth"})
    assert normalise(config).base_path == "/api/auth"
    assert warnings.codes == []


def test_auth_url_path_and_base_path_warn_redundant() -> None:
    config, warnings = _config({"AUTH_URL": "http://n/api/auth"}, base_path="/basepath-from-config")
    assert normalise(config).base_path == "/basepath-from-config"
    assert "env-url-basepath-redundant" in warnings.codes


def test_auth_url_invalid_is_a_config_error() -> None:
    """Auth.js ignores an unparseable `AUTH_URL` (and trusts the host because it is set);
    authcore refuses it (docs/differences.md, "An invalid `AUTH_URL`")."""
    config, _ = _config({"AUTH_URL": "secret"})
    with pytest.raises(ConfigError) as err:
        validate_config(config)
    assert err.value.details["option"] == "AUTH_URL"


def test_auth_trust_host_env() -> None:
    """`VERCEL`, `CF_PAGES` and `NODE_ENV` do not turn host trust on: Python has no such
    convention (docs/differences.md, "Trust of the host")."""
    config, warnings = _config({"AUTH_TRUST_HOST": "1"})
    assert normalise(config).trust_host is True
    for env in ({"VERCEL": "1"}, {"NODE_ENV": "development"}, {"NODE_ENV": "test"}):
        assert normalise(_config(env)[0]).trust_host is False
    assert warnings.codes == []


def test_auth_url_serves_any_host() -> None:
    """Auth.js turns `trustHost` on when `AUTH_URL` is set; authcore builds every URL on
    `AUTH_URL` and so answers requests for any Host."""
    config, warnings = _config({"AUTH_URL": "http://example.com"})
    response = auth_sync(Request("GET", "http://10.1.2.3:8000/api/auth/session"), config)
    assert response.status == 200
    assert warnings.codes == []


# ---- createActionURL: the URLs authcore builds on (seen in the sign-out form) ----------------


def _signout_action(config: dict[str, Any], url: str, headers: dict[str, str]) -> str:
    response = auth_sync(Request("GET", url, headers), config)
    assert response.status == 200, response.body[:200]
    found = re.search(r'<form[^>]*action="([^"]+)"', response.body.decode())
    assert found is not None
    return found.group(1)


ACTION_URLS: list[tuple[str, dict[str, str], dict[str, str], str | None, str]] = [
    # (request URL, headers, env, base_path, expected sign-out action)
    ("https://example.com/basepath/signout", {"host": "example.com"}, {}, "/basepath",
     "https://example.com/basepath/signout"),
    ("http://example.com/auth/signout", {"host": "example.com"}, {}, "/auth",
     "http://example.com/auth/signout"),
    ("http://127.0.0.1/auth/signout", {"host": "127.0.0.1", "x-forwarded-host": "example.com"},
     {}, "/auth", "http://example.com/auth/signout"),
    ("http://internal/auth/signout",
     {"x-forwarded-host": "example.com", "x-forwarded-proto": "https"}, {}, "/auth",
     "https://example.com/auth/signout"),
    ("http://internal/auth/signout", {"x-forwarded-host": "example.com"}, {}, "/auth",
     "http://example.com/auth/signout"),
    ("https://internal/auth/signout", {"x-forwarded-host": "example.com"}, {}, "/auth",
     "https://example.com/auth/signout"),
    ("https://internal/auth/signout",
     {"x-forwarded-host": "example.com", "x-forwarded-proto": "http"}, {}, "/auth",
     "http://example.com/auth/signout"),
    ("http://x/api/auth/signout", {}, {"AUTH_URL": "http://localhost:3000"}, "/api/auth",
     "http://localhost:3000/api/auth/signout"),
    ("http://x/api/auth/signout", {}, {"AUTH_URL": "https://sub.domain.env.com"}, "/api/auth",
     "https://sub.domain.env.com/api/auth/signout"),
    ("http://x/api/auth/signout", {}, {"AUTH_URL": "https://sub.domain.env.com/api/auth"},
     None, "https://sub.domain.env.com/api/auth/signout"),
    ("http://x/my-app/api/auth/signout", {},
     {"AUTH_URL": "http://localhost:3000/my-app/api/auth"}, "/my-app/api/auth",
     "http://localhost:3000/my-app/api/auth/signout"),
]  # fmt: skip


@pytest.mark.parametrize(("url", "headers", "env", "base_path", "expected"), ACTION_URLS)
def test_action_url(
    url: str, headers: dict[str, str], env: dict[str, str], base_path: str | None, expected: str
) -> None:
    extra: dict[str, Any] = {"trust_host": True}
    if base_path is not None:
        extra["base_path"] = base_path
    config, warnings = _config(env, **extra)
    assert _signout_action(config, url, headers) == expected
    # Auth.js's createActionURL is silent here; its setEnvDefaults says `redundant` when
    # AUTH_URL carries a path and basePath is set too, and so does authcore.
    assert "env-url-basepath-mismatch" not in warnings.codes


@pytest.mark.parametrize(
    ("auth_url", "base_path", "expected"),
    [
        (
            "http://localhost:3000/my-app/api/auth/",
            "/my-app/api/auth",
            "http://localhost:3000/my-app/api/auth/signout",
        ),
        (
            "https://sub.domain.env.com/my-app",
            "/api/auth",
            "https://sub.domain.env.com/api/auth/signout",
        ),
    ],
)
def test_auth_url_path_mismatch_warns(auth_url: str, base_path: str, expected: str) -> None:
    config, warnings = _config({"AUTH_URL": auth_url}, base_path=base_path)
    path = expected.split("://", 1)[1].split("/", 1)[1]
    assert _signout_action(config, f"http://x/{path}", {}) == expected
    assert "env-url-basepath-mismatch" in warnings.codes


def test_origin_only_auth_url_with_base_path_is_silent() -> None:
    """Auth.js warns `redundant` for any AUTH_URL next to a basePath; in authcore an origin-only
    AUTH_URL plus `base_path` is the ordinary setup, so it stays quiet."""
    config, warnings = _config({"AUTH_URL": "https://app.example"}, base_path="/auth")
    normalise(config)
    assert warnings.codes == []


# ---- parseActionAndProviderId -----------------------------------------------------------------

UNPARSEABLE = [
    ("/auuth/signin", "/auth"),
    ("/api/auth/signin", "/auth"),
    ("/auth/auth/signin/github", "/auth"),
    ("/api/auth/signinn", "/api/auth"),
    ("/api/auth/signinn/github", "/api/auth"),
    ("/api/auth/signin/github/github", "/api/auth"),
    ("/api/auth/signin/api/auth/signin/github", "/api/auth"),
]


@pytest.mark.parametrize(("path", "base_path"), UNPARSEABLE)
def test_unparseable_paths(path: str, base_path: str) -> None:
    with pytest.raises(UnknownAction) as err:
        parse_action(path, base_path)
    # Auth.js puts the path in the message; authcore logs only its length (it is user input)
    assert str(err.value) == "Cannot parse action at path"


@pytest.mark.parametrize(
    ("path", "base_path", "action", "provider"),
    [
        ("/api/auth/signin/github/", "/api/auth", "signin", "github"),
        ("/api/auth/signin/github", "/api/auth", "signin", "github"),
        ("/auth/signin/auth0/", "/auth", "signin", "auth0"),
        ("/auth/signin/auth0///", "/auth", "signin", "auth0"),
        ("/auth/signin/auth0", "/auth", "signin", "auth0"),
        ("/auth/signin/undefined", "/auth", "signin", None),
    ],
)
def test_parseable_paths(path: str, base_path: str, action: str, provider: str | None) -> None:
    assert parse_action(path, base_path) == (action, provider)


# ---- Instagram on a plain-http origin ---------------------------------------------------------


@pytest.mark.parametrize(
    ("origin", "warned"),
    [
        ("http://app.example.test", True),
        ("https://app.example.test", False),
        ("http://localhost:3000", False),
        ("http://127.0.0.1:8000", False),
    ],
)
def test_instagram_on_http_origin_warns(origin: str, warned: bool) -> None:
    from authcore.providers.instagram import Instagram
    from tests.support.security import Browser

    config, warnings = _config(
        {}, url=f"{origin}/api/auth", providers=[Instagram(client_id="c", client_secret="s")]
    )
    browser = Browser(config, origin)
    start = browser.call("POST", "/signin/instagram", form={"csrfToken": browser.csrf()})
    assert start.status == 302 and (start.location or "").startswith("https://www.instagram.com/")
    assert ("insecure-redirect-uri" in warnings.codes) is warned
