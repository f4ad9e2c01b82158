"""The redirect proxy (Auth.js `redirectProxyUrl`): a preview deployment signs in through the
deployment whose callback URL is registered at the provider, through `Auth()` on both and the
mock IdP over real HTTP; and what the proxy refuses to forward."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest

from authcore import auth_sync, jwt
from authcore._http import Request, Response
from authcore.errors import ConfigError
from authcore.oauth._checks import STATE_SALT
from authcore.providers.github import GitHub
from authcore.providers.oauth import OAuthProvider
from authcore.providers.oidc import OIDC
from authcore.testing import MockIdP
from tests.support.oauth import SECRET

PREVIEW = "https://preview-42.app.test"
PROXY = "https://auth.app.test"
SESSION = "__Secure-authjs.session-token"


class Browser:
    """Cookies per host, as a browser keeps them; app requests go through `auth_sync`."""

    def __init__(self, configs: dict[str, dict[str, Any]], http: httpx.Client) -> None:
        self.configs = configs
        self.http = http
        self.jars: dict[str, dict[str, str]] = {origin: {} for origin in configs}

    def app(self, method: str, url: str, form: dict[str, str] | None = None) -> Response:
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
        jar = self.jars[origin]
        headers = {"cookie": "; ".join(f"{k}={v}" for k, v in jar.items())}
        body = b""
        if form is not None:
            headers["content-type"] = "application/x-www-form-urlencoded"
            body = urlencode(form).encode()
        response = auth_sync(Request(method, url, headers=headers, body=body), self.configs[origin])
        for header in response.set_cookies:
            pair, _, attrs = header.partition(";")
            name, _, value = pair.partition("=")
            if "Max-Age=0" in attrs or value == "":
                jar.pop(name, None)
            else:
                jar[name] = value
        return response

    def start(self, origin: str, provider_id: str) -> str:
        """POST /signin on `origin`; the IdP's redirect back (where the browser goes next)."""
        csrf = self.app("GET", f"{origin}/api/auth/csrf").json()["csrfToken"]
        start = self.app("POST", f"{origin}/api/auth/signin/{provider_id}", {"csrfToken": csrf})
        assert start.status == 302 and start.location is not None, start.body[:300]
        self.authorize_url = start.location
        idp = self.http.get(start.location, follow_redirects=False)
        assert idp.status_code in (302, 303), idp.text[:300]
        return str(idp.headers["location"]).split("#", 1)[0]


def _configs(provider: OAuthProvider, **extra: Any) -> dict[str, dict[str, Any]]:
    def config(origin: str) -> dict[str, Any]:
        return {
            "providers": [provider],
            "secret": SECRET,
            "url": f"{origin}/api/auth",
            "redirect_proxy_url": f"{PROXY}/api/auth",
            "env": {},
            **extra,
        }

    return {PREVIEW: config(PREVIEW), PROXY: config(PROXY)}


def _provider(idp: MockIdP, flavour: str = "oauth2") -> OAuthProvider:
    if flavour == "oidc":
        return OIDC(**idp.provider_options("oidc"))
    return GitHub(**idp.provider_options("oauth2"))


@pytest.mark.parametrize("flavour", ["oauth2", "oidc"])
def test_preview_signs_in_through_the_proxy(
    mock_idp: MockIdP, http: httpx.Client, flavour: str
) -> None:
    pid = "github" if flavour == "oauth2" else "oidc"
    browser = Browser(_configs(_provider(mock_idp, flavour)), http)
    back = browser.start(PREVIEW, pid)
    sent = dict(parse_qsl(urlsplit(browser.authorize_url).query))
    assert sent["redirect_uri"] == f"{PROXY}/api/auth/callback/{pid}"
    state = jwt.decode(token=sent["state"], secret=SECRET, salt=STATE_SALT)
    assert state["origin"] == f"{PREVIEW}/api/auth/callback/{pid}"

    assert back.startswith(f"{PROXY}/api/auth/callback/{pid}?")
    hop = browser.app("GET", back)  # the proxy forwards, signs no one in
    assert hop.status == 302
    assert hop.location == f"{PREVIEW}/api/auth/callback/{pid}?{urlsplit(back).query}"
    assert SESSION not in browser.jars[PROXY]

    done = browser.app("GET", hop.location)
    assert done.status == 302 and done.location == PREVIEW, done.location
    assert SESSION in browser.jars[PREVIEW]
    token = mock_idp.requests_to(f"/{flavour}/token")[-1]
    assert token.form["redirect_uri"] == f"{PROXY}/api/auth/callback/{pid}"


def test_the_proxy_signs_in_its_own_users(mock_idp: MockIdP, http: httpx.Client) -> None:
    browser = Browser(_configs(_provider(mock_idp)), http)
    back = browser.start(PROXY, "github")
    sent = dict(parse_qsl(urlsplit(browser.authorize_url).query))
    assert sent["redirect_uri"] == f"{PROXY}/api/auth/callback/github"
    assert "origin" not in jwt.decode(token=sent["state"], secret=SECRET, salt=STATE_SALT)
    done = browser.app("GET", back)
    assert done.location == PROXY
    assert SESSION in browser.jars[PROXY]


def _forged_state(origin: str, secret: str = SECRET) -> str:
    return jwt.encode(
        token={"origin": origin, "random": "r"}, secret=secret, salt=STATE_SALT, max_age=900
    )


@pytest.mark.parametrize(
    "state",
    [
        _forged_state("https://evil.test/api/auth/callback/github", secret="another-secret-" * 3),
        "not-a-jwe",
        _forged_state("https://evil.test/steal"),  # sealed with the secret, not a callback
        _forged_state("javascript:alert(1)//x/callback/github"),
    ],
    ids=["foreign-secret", "garbage", "not-a-callback", "not-http"],
)
def test_the_proxy_forwards_only_what_the_secret_sealed(
    mock_idp: MockIdP, http: httpx.Client, state: str
) -> None:
    browser = Browser(_configs(_provider(mock_idp)), http)
    res = browser.app("GET", f"{PROXY}/api/auth/callback/github?code=c&state={state}")
    assert res.status == 302
    assert res.location is not None and res.location.startswith(f"{PROXY}/api/auth/error")
    assert not mock_idp.requests_to("/oauth2/token")


def test_a_deployment_that_is_not_the_proxy_never_forwards(
    mock_idp: MockIdP, http: httpx.Client
) -> None:
    browser = Browser(_configs(_provider(mock_idp)), http)
    state = _forged_state("https://other.test/api/auth/callback/github")
    res = browser.app("GET", f"{PREVIEW}/api/auth/callback/github?code=c&state={state}")
    assert res.location is not None and res.location.startswith(f"{PREVIEW}/api/auth/error")


def test_a_forwarded_callback_needs_the_previews_own_state_cookie(
    mock_idp: MockIdP, http: httpx.Client
) -> None:
    """Another browser's forwarded callback (a login CSRF attempt) is refused at the preview."""
    configs = _configs(_provider(mock_idp))
    victim, attacker = Browser(configs, http), Browser(configs, http)
    hop = attacker.app("GET", attacker.start(PREVIEW, "github"))
    assert hop.location is not None
    res = victim.app("GET", hop.location)
    assert res.location is not None and res.location.startswith(f"{PREVIEW}/api/auth/error")
    assert SESSION not in victim.jars[PREVIEW]


def test_proxy_settings() -> None:
    plain = GitHub(client_id="i", client_secret="s", checks=("pkce",))
    assert plain.with_redirect_proxy(None) is plain
    proxied = plain.with_redirect_proxy("https://auth.app.test/api/auth/")
    assert proxied.redirect_proxy_url == "https://auth.app.test/api/auth"
    assert "state" in proxied.checks  # forced on: the state carries the origin
    own = GitHub(client_id="i", client_secret="s", redirect_proxy_url="https://own.test/api/auth")
    assert own.with_redirect_proxy(PROXY).redirect_proxy_url == "https://own.test/api/auth"
    form_post = GitHub(
        client_id="i", client_secret="s", authorization={"params": {"response_mode": "form_post"}}
    )
    assert form_post.with_redirect_proxy(PROXY).redirect_proxy_url is None


def test_env_variable_and_bad_values(mock_idp: MockIdP) -> None:
    from authcore._normalise import normalise

    base = {"providers": [_provider(mock_idp)], "secret": SECRET}
    options = normalise({**base, "env": {"AUTH_REDIRECT_PROXY_URL": f"{PROXY}/api/auth"}})
    assert options.provider_map["github"].redirect_proxy_url == f"{PROXY}/api/auth"  # type: ignore[attr-defined]
    for bad in ("auth.app.test", f"{PROXY}/api/auth?x=1", 42):
        with pytest.raises(ConfigError, match="redirect_proxy_url"):
            normalise({**base, "env": {}, "redirect_proxy_url": bad})
