"""Escaping, URL and colour filtering, no third-party resources, accessibility basics."""

from __future__ import annotations

import re
from typing import Any

import pytest

from authcore.pages import Theme, error_page, signout_page, verify_request_page
from authcore.pages._safe import contrast_text, host_of, safe_code, safe_color, safe_url
from authcore.providers._base import Provider
from tests.support.html import Page, parse
from tests.support.pages import BASE, creds, email, oauth, render_signin

XSS = "\"><script>alert(1)</script><img src=x onerror=alert(2)>'&amp;"


def all_pages(theme: Theme, providers: list[Provider] | None = None) -> list[str]:
    provs = providers or [
        oauth("github", "GitHub", bg="#24292f", text="#fff"),
        oauth("google", "Google", brandColor="#1a73e8"),
        oauth("instagram", "Instagram"),
        oauth("other", "Other"),
        email(),
        creds(username={"label": "Username"}, password={"label": "Password", "type": "password"}),
    ]
    return [
        render_signin(provs, theme=theme, error="CredentialsSignin"),
        signout_page(action_url=f"{BASE}/signout", csrf_token="t", theme=theme),
        verify_request_page(origin="https://app.example.test", theme=theme),
        *(
            error_page(
                error=e, signin_url=f"{BASE}/signin", origin="https://app.example.test", theme=theme
            )[1]
            for e in ("Configuration", "AccessDenied", "Verification", "Unknown", None)
        ),
    ]


def urls_in(page: Page) -> list[str]:
    out = []
    for el in page.root.iter():
        for attr in ("src", "href", "action", "srcset", "poster", "data", "formaction"):
            value = el.attr(attr)
            if value is not None:
                out.append(value)
    return out


# --- escaping -------------------------------------------------------------------------------


def test_hostile_values_are_escaped_everywhere() -> None:
    p_oauth = Provider(id=XSS, name=XSS, type="oauth", style={"bg": XSS, "logo": XSS})
    p_creds = creds(
        XSS, XSS, **{XSS: {"label": XSS, "placeholder": XSS, "type": XSS, "value": XSS}}
    )
    p_email = email(XSS, XSS)
    html = render_signin(
        [p_oauth, p_email, p_creds],
        csrf_token=XSS,
        callback_url=XSS,
        error=XSS,
        theme=Theme(logo=XSS, brand_color=XSS, button_text=XSS),
    )
    page = parse(html)
    assert page.find_all("script") == []
    assert all(not k.startswith("on") for el in page.root.iter() for k in el.attrs)
    # Values round-trip: what the browser decodes is exactly what was given.
    for f in page.find_all("form"):
        hidden = {i.attr("name"): i.attr("value") for i in f.find_all("input", type="hidden")}
        assert hidden["csrfToken"] == XSS
    assert [b.text for b in page.find_all("button")] == [f"Sign in with {XSS}"] * 3
    field = page.find("input", name=XSS)
    assert field.attr("placeholder") == XSS
    assert field.attr("value") == XSS
    assert field.attr("type") == "text"
    assert page.find("label", for_=str(field.attr("id"))).text == " ".join(XSS.split())
    assert "<script>" not in html


def test_signout_and_error_escape_inputs() -> None:
    page = parse(signout_page(action_url=f"/x?{XSS}", csrf_token=XSS, theme=Theme()))
    assert page.find("input", name="csrfToken").attr("value") == XSS
    assert page.find("form").attr("action") == f"/x?{XSS}"
    assert page.find_all("script") == []
    _, html = error_page(error="AccessDenied", signin_url=f"/s?{XSS}", origin=XSS, theme=Theme())
    page = parse(html)
    assert page.find("a").attr("href") == f"/s?{XSS}"
    assert page.find_all("script") == []


# --- colours --------------------------------------------------------------------------------

BAD_COLORS = [
    "red;}</style><script>alert(1)</script>",
    "red; background: url(https://evil.example/x)",
    "url(https://evil.example/x)",
    "expression(alert(1))",
    "rgb(1,2,3);x:y",
    "rgb(url(x))",
    "rgb(1 2 3) }",
    "var(--x)",
    "#12",
    "#1234567",
    "#ggg",
    "red}",
    "</style>",
    "red\n}",
    "\\72 ed",
    "a" * 33,
    "",
]


@pytest.mark.parametrize("color", BAD_COLORS)
def test_bad_colors_are_dropped(color: str) -> None:
    assert safe_color(color) is None
    theme = Theme(brand_color=color, button_text=color)
    for html in all_pages(theme, [oauth("x", bg=color, text=color, brandColor=color)]):
        page = parse(html)
        css = page.css
        assert "--brand-color: #2563eb;" in css  # the default only
        assert css.count("--brand-color:") == 1
        assert ".provider-style-" not in css
        assert page.find_all("script") == []
        assert "evil.example" not in html


@pytest.mark.parametrize(
    "color",
    [
        "#abc",
        "#ABCD",
        "#a1b2c3",
        "#a1b2c3d4",
        "rebeccapurple",
        "rgb(1 2 3 / 50%)",
        "rgba(1, 2, 3, 0.5)",
        "hsl(120deg 50% 40%)",
        " #fff ",
    ],
)
def test_good_colors_are_kept(color: str) -> None:
    assert safe_color(color) == color.strip()
    page = parse(render_signin([oauth("x", bg=color)], theme=Theme(brand_color=color)))
    assert f"--brand-color: {color.strip()};" in page.css
    assert f"--provider-bg: {color.strip()};" in page.css


def test_contrast_text() -> None:
    assert contrast_text("#fff") == "#000"
    assert contrast_text("#ffff00") == "#000"
    assert contrast_text("#24292f") == "#fff"
    assert contrast_text("#000000") == "#fff"
    assert contrast_text("rebeccapurple") is None


# --- URLs -----------------------------------------------------------------------------------

BAD_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\x01javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "DATA:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox",
    "file:///etc/passwd",
    "blob:https://x/1",
    "ftp://x/y",
    "https://x/\x00y",
    "",
    "   ",
]
GOOD_URLS = [
    "https://cdn.example.test/logo.png",
    "http://localhost:3000/l.svg",
    "HTTPS://X.EXAMPLE/a",
    "/static/logo.svg",
    "logo.png",
    "./img/logo.png",
    "?q=1",
    "javascript%3Aalert(1)",  # a relative path, not a scheme
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_bad_urls_dropped(url: str) -> None:
    assert safe_url(url) is None
    theme = Theme(logo=url)
    html = render_signin([oauth("acme", logo=url)], theme=theme)
    page = parse(html)
    assert page.find_all("img") == []
    # The provider falls back to an inline mark.
    assert len(page.find("button").find_all("svg")) == 1
    for html in all_pages(theme):
        assert parse(html).find_all("img", class_="logo") == []


@pytest.mark.parametrize("url", GOOD_URLS)
def test_good_urls_kept(url: str) -> None:
    assert safe_url(url) == url
    page = parse(render_signin([oauth("acme", logo=url)], theme=Theme(logo=url)))
    assert page.find("img", class_="logo").attr("src") == url
    assert page.find("img", class_="provider-logo").attr("src") == url


@pytest.mark.parametrize("action", ["javascript:alert(1)", "data:text/html,x"])
def test_unsafe_form_actions_dropped(action: str) -> None:
    page = parse(signout_page(action_url=action, csrf_token="t", theme=Theme()))
    assert page.find("form").attr("action") is None
    page = parse(_signin_with_actions(action))
    for f in page.find_all("form"):
        assert f.attr("action") is None


def _signin_with_actions(action: str) -> str:
    from authcore.pages import signin_page

    return signin_page(
        providers=[oauth("a"), email(), creds(u={})],
        signin_url=lambda p: action,
        callback_url_for=lambda p: action,
        csrf_token="t",
        callback_url="/",
        error=None,
        theme=Theme(),
    )


def test_host_of() -> None:
    assert host_of("https://app.example.test") == "app.example.test"
    assert host_of("http://[::1]:3000") == "[::1]:3000"
    assert host_of("http://[::1") is None
    assert host_of("/relative") is None
    assert host_of("javascript:alert(1)") is None


def test_safe_code() -> None:
    assert safe_code("Foo") == "Foo"
    assert safe_code("a" * 64) == "a" * 64
    for bad in ("a" * 65, "Foo\n", "Foo1", "", "Fö", "__proto__", None):
        assert safe_code(bad) is None


# --- no third-party content -----------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["auto", "light", "dark"])
def test_no_external_resources(scheme: Any) -> None:
    provided = {
        f"{BASE}/signin/github",
        f"{BASE}/signin/google",
        f"{BASE}/signin/instagram",
        f"{BASE}/signin/other",
        f"{BASE}/signin/email",
        f"{BASE}/callback/credentials",
        f"{BASE}/signout",
        f"{BASE}/signin",
        "https://app.example.test",
    }
    for html in all_pages(Theme(color_scheme=scheme)):
        page = parse(html)
        assert set(urls_in(page)) <= provided
        assert page.find_all("script") == []
        assert page.find_all("link") == []
        assert page.find_all("iframe") == []
        assert "@import" not in page.css
        assert not re.search(r"url\(", page.css)
        # Any "http" left in the markup is one of the provided URLs.
        for m in re.finditer(r"https?://[^\s\"'<>]*", html):
            assert m.group(0) in provided or m.group(0) == "https://app.example.test/dashboard"


def test_builtin_providers_render_without_remote_logos() -> None:
    """The real GitHub/Google/Instagram providers name their logos like Auth.js ("github.svg");
    the page maps them to the inline marks instead of a relative or CDN URL."""
    from authcore.providers.github import GitHub
    from authcore.providers.google import Google
    from authcore.providers.instagram import Instagram

    providers: list[Provider] = [
        Instagram(client_id="i", client_secret="s"),
        GitHub(client_id="g", client_secret="s"),
        Google(client_id="o", client_secret="s"),
        oauth("cdn", logo="https://authjs.dev/img/providers/github.svg"),
    ]
    page = parse(render_signin(providers))
    assert page.find_all("img") == []
    buttons = page.find_all("button")
    assert [b.text for b in buttons] == [
        "Sign in with Instagram",
        "Sign in with GitHub",
        "Sign in with Google",
        "Sign in with Cdn",
    ]
    assert all(len(b.find_all("svg")) == 1 for b in buttons)
    assert "authjs.dev" not in render_signin(providers)


def test_real_credentials_provider() -> None:
    from authcore.providers.credentials import Credentials

    p = Credentials(
        credentials={"username": {"label": "Username"}, "password": {"type": "password"}},
        authorize=lambda c, r: None,
    )
    page = parse(render_signin([p]))
    form = page.find("form")
    assert form.attr("action") == f"{BASE}/callback/credentials"
    assert [i.attr("name") for i in form.find_all("input")] == [
        "csrfToken",
        "callbackUrl",
        "username",
        "password",
    ]


# --- accessibility --------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["auto", "light", "dark"])
def test_accessibility_basics(scheme: Any) -> None:
    for html in all_pages(Theme(color_scheme=scheme, logo="/l.png")):
        page = parse(html)
        assert page.find("html").attr("lang") == "en"
        assert page.find("body").attr("class") == f"__next-auth-theme-{scheme}"
        assert len(page.find_all("h1")) == 1
        assert page.find("main")
        labels = {lab.attr("for") for lab in page.find_all("label")}
        for inp in page.find_all("input"):
            if inp.attr("type") != "hidden":
                assert inp.attr("id") in labels, inp.attrs
        for b in page.find_all("button"):
            assert b.text.strip()
        for img in page.find_all("img"):
            assert img.attr("alt") is not None
        for a in page.find_all("a"):
            assert a.text.strip()
        assert ":focus-visible" in page.css
        assert "@media (prefers-color-scheme: dark)" in page.css


def test_invalid_color_scheme_falls_back_to_auto() -> None:
    page = parse(render_signin([], theme=Theme(color_scheme='x"><script>')))  # type: ignore[arg-type]
    assert page.find("body").attr("class") == "__next-auth-theme-auto"


def test_style_nonce() -> None:
    page = parse(render_signin([], nonce="abc123+/="))
    assert page.find("style").attr("nonce") == "abc123+/="
    page = parse(render_signin([], nonce='x" onload="alert(1)'))
    assert page.find("style").attr("nonce") is None
    assert "onload" not in page.find("style").attrs


def test_no_inline_style_attributes() -> None:
    """Everything is in the one <style>, so a nonce or hash CSP covers the page."""
    for html in all_pages(Theme(brand_color="#f00")):
        page = parse(html)
        assert all("style" not in el.attrs for el in page.root.iter())
