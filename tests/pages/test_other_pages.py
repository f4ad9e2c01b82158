"""Sign-out, error and verify-request pages (Auth.js `src/lib/pages/`)."""

from __future__ import annotations

import pytest

from authcore.errors import CLIENT_SAFE_TYPES
from authcore.pages import ERROR_PAGES, Theme, error_page, signout_page, verify_request_page
from tests.support.html import parse

SIGNIN = "https://app.example.test/api/auth/signin"
ORIGIN = "https://app.example.test"


def render_error(error: str | None, **kw: object) -> tuple[int, str]:
    args: dict[str, object] = {"signin_url": SIGNIN, "origin": ORIGIN, "theme": Theme()}
    args.update(kw)
    return error_page(error=error, **args)  # type: ignore[arg-type]


def test_signout_page() -> None:
    action = "https://app.example.test/api/auth/signout?callbackUrl=%2Fbye"
    page = parse(signout_page(action_url=action, csrf_token="tok-1", theme=Theme()))
    assert page.find("title").text == "Sign Out"
    assert page.find("h1").text == "Signout"
    assert "Are you sure you want to sign out?" in page.root.text
    form = page.find("form")
    assert form.attr("action") == action
    assert form.attr("method") == "post"
    (hidden,) = form.find_all("input")
    assert (hidden.attr("type"), hidden.attr("name"), hidden.attr("value")) == (
        "hidden",
        "csrfToken",
        "tok-1",
    )
    button = form.find("button")
    assert button.text == "Sign out"
    assert button.attr("type") == "submit"


def test_verify_request_page() -> None:
    page = parse(verify_request_page(origin="http://localhost:3000", theme=Theme()))
    assert page.find("title").text == "Verify Request"
    assert page.find("h1").text == "Check your email"
    assert "A sign in link has been sent to your email address." in page.root.text
    link = page.find("a", class_="site")
    assert link.attr("href") == "http://localhost:3000"
    assert link.text == "localhost:3000"


def test_verify_request_page_drops_bad_origin() -> None:
    page = parse(verify_request_page(origin="javascript:alert(1)//x", theme=Theme()))
    assert page.find_all("a") == []


@pytest.mark.parametrize(
    ("code", "status", "heading", "texts", "signin_button"),
    [
        (
            "Configuration",
            500,
            "Server error",
            [
                "There is a problem with the server configuration.",
                "Check the server logs for more information.",
            ],
            False,
        ),
        ("AccessDenied", 403, "Access Denied", ["You do not have permission to sign in."], True),
        (
            "Verification",
            403,
            "Unable to sign in",
            [
                "The sign in link is no longer valid.",
                "It may have been used already or it may have expired.",
            ],
            True,
        ),
    ],
)
def test_error_page_spec_table(
    code: str, status: int, heading: str, texts: list[str], signin_button: bool
) -> None:
    got_status, html = render_error(code)
    page = parse(html)
    assert got_status == status
    assert page.find("title").text == "Error"
    assert page.find("h1").text == heading
    paragraphs = [p.text for p in page.find("div", class_="message").find_all("p")]
    assert paragraphs == texts
    links = page.find_all("a")
    if signin_button:
        (link,) = links
        # docs/differences.md row 11 fixed: the link is exactly the sign-in URL the core passes.
        assert link.attr("href") == SIGNIN
        assert link.text == "Sign in"
    else:
        assert links == []


@pytest.mark.parametrize("code", sorted(CLIENT_SAFE_TYPES))
def test_error_page_has_readable_message_for_every_client_safe_type(code: str) -> None:
    status, html = render_error(code)
    page = parse(html)
    assert code in ERROR_PAGES
    assert status in (200, 403)
    assert page.find("h1").text != "Error"
    assert page.find("a").attr("href") == SIGNIN
    assert code not in page.root.text  # a message, not the code


@pytest.mark.parametrize("code", [None, "", "Default", "SomethingNew", "a" * 64])
def test_error_page_generic(code: str | None) -> None:
    status, html = render_error(code)
    page = parse(html)
    assert status == 200
    assert page.find("h1").text == "Error"
    link = page.find("a", class_="site")
    assert link.attr("href") == ORIGIN
    assert link.text == "app.example.test"
    codes = page.find_all("code")
    if code:
        assert [c.text for c in codes] == [code]
    else:
        assert codes == []


@pytest.mark.parametrize(
    "code",
    [
        "constructor",
        "__proto__",
        "toString",
        "hasOwnProperty",
        "valueOf",
        "__class__",
        "__init__",
        "get",
        "items",
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "a" * 65,
        "Configuration\n",
        "Access Denied",
        "Café",
        "AccessDenied\x00",
    ],
)
def test_error_page_hostile_codes(code: str) -> None:
    status, html = render_error(code)
    page = parse(html)
    assert not page.find_all("script")
    assert not page.find_all("img")
    # Letters-only values are shown as a code on the generic page; anything else never is.
    shown = [c.text for c in page.find_all("code")]
    if code.isascii() and code.isalpha() and len(code) <= 64:
        assert shown == [code]
        if code in ERROR_PAGES:
            pytest.fail("hostile code unexpectedly known")
    else:
        assert shown == []
        assert code not in html
    assert status == 200
    assert page.find("h1").text == "Error"


def test_error_page_drops_unsafe_signin_url() -> None:
    _, html = render_error("AccessDenied", signin_url="javascript:alert(1)")
    page = parse(html)
    assert page.find_all("a") == []
    assert "javascript" not in html


def test_error_page_origin_link_hides_userinfo() -> None:
    _, html = render_error(None, origin="https://user:pw@app.example.test:8443")
    link = parse(html).find("a", class_="site")
    assert link.text == "app.example.test:8443"


def test_theme_on_every_page() -> None:
    theme = Theme(color_scheme="light", logo="https://cdn.example.test/l.png", brand_color="#0a0")
    htmls = [
        signout_page(action_url="/api/auth/signout", csrf_token="t", theme=theme),
        verify_request_page(origin=ORIGIN, theme=theme),
        render_error("AccessDenied", theme=theme)[1],
    ]
    for html in htmls:
        page = parse(html)
        assert page.find("body").attr("class") == "__next-auth-theme-light"
        assert page.find("img", class_="logo").attr("src") == "https://cdn.example.test/l.png"
        assert "--brand-color: #0a0;" in page.css
