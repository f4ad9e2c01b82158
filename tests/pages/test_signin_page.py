"""Sign-in page structure and texts (Auth.js `src/lib/pages/`)."""

from __future__ import annotations

from typing import Any

import pytest

from authcore.pages import SIGNIN_ERRORS, Theme, signin_page
from authcore.providers._base import Provider
from tests.support.html import Element, Page, parse
from tests.support.pages import (
    BASE,
    CredsProvider,
    callback_url_for,
    creds,
    email,
    oauth,
    render_signin,
    signin_url,
)


def hidden_fields(form: Element) -> dict[str, str | None]:
    return {
        str(i.attr("name")): i.attr("value")
        for i in form.find_all("input")
        if i.attr("type") == "hidden"
    }


def forms(page: Page) -> list[Element]:
    return page.find_all("form")


def test_skeleton_title_and_theme_class() -> None:
    page = parse(render_signin([oauth("github")]))
    assert page.doctype == "DOCTYPE html"
    assert page.find("html").attr("lang") == "en"
    assert page.find("title").text == "Sign In"
    assert page.find("meta", charset="UTF-8")
    assert page.find("meta", name="viewport")
    assert page.find("body").attr("class") == "__next-auth-theme-auto"
    assert page.find("main").has_class("page")
    assert page.find("h1").text == "Sign in"


def test_oauth_form_fields_and_button() -> None:
    page = parse(render_signin([oauth("github", "GitHub"), oauth("google", "Google")]))
    f1, f2 = forms(page)
    assert f1.attr("action") == f"{BASE}/signin/github"
    assert f2.attr("action") == f"{BASE}/signin/google"
    for f, name in ((f1, "GitHub"), (f2, "Google")):
        assert f.attr("method") == "post"
        assert hidden_fields(f) == {
            "csrfToken": "csrf-123",
            "callbackUrl": "https://app.example.test/dashboard",
        }
        button = f.find("button")
        assert button.attr("type") == "submit"
        assert button.text == f"Sign in with {name}"


def test_callback_url_omitted_when_empty() -> None:
    page = parse(render_signin([oauth("github"), creds(u={"label": "U"})], callback_url=""))
    for f in forms(page):
        assert hidden_fields(f) == {"csrfToken": "csrf-123"}


def test_providers_in_config_order_and_filtered() -> None:
    class Other(Provider):
        pass

    providers: list[Provider] = [
        oauth("b", "Bee"),
        Provider(id="nocreds", name="No creds", type="credentials"),  # no `credentials`
        email("mail", "Mail"),
        oauth("a", "Ay"),
        creds("login", "Login", username={"label": "Username"}),
    ]
    page = parse(render_signin(providers))
    buttons = [b.text for b in page.find_all("button")]
    assert buttons == [
        "Sign in with Bee",
        "Sign in with Mail",
        "Sign in with Ay",
        "Sign in with Login",
    ]
    assert "No creds" not in page.root.text


def test_email_form() -> None:
    page = parse(render_signin([email("resend", "Resend")]))
    (f,) = forms(page)
    assert f.attr("action") == f"{BASE}/signin/resend"
    assert f.attr("method") == "post"
    # Auth.js `src/lib/pages/`: no callbackUrl field on the email form, the cookie is used.
    assert hidden_fields(f) == {"csrfToken": "csrf-123"}
    inp = f.find("input", name="email")
    assert inp.attr("type") == "email"
    assert "required" in inp.attrs
    assert inp.attr("placeholder") == "email@example.com"
    assert inp.attr("value") is None
    label = f.find("label")
    assert label.attr("for") == inp.attr("id")
    assert label.text == "Email"
    assert f.find("button").text == "Sign in with Resend"


def test_credentials_form() -> None:
    p = creds(
        "pw",
        "Password",
        username={"label": "Username", "placeholder": "jsmith"},
        password={"label": "Password", "type": "password"},
        otp={},  # label defaults to the key, type to text
    )
    page = parse(render_signin([p]))
    (f,) = forms(page)
    assert f.attr("action") == f"{BASE}/callback/pw"
    assert hidden_fields(f) == {
        "csrfToken": "csrf-123",
        "callbackUrl": "https://app.example.test/dashboard",
    }
    visible = [i for i in f.find_all("input") if i.attr("type") != "hidden"]
    assert [(i.attr("name"), i.attr("type")) for i in visible] == [
        ("username", "text"),
        ("password", "password"),
        ("otp", "text"),
    ]
    labels = {lab.attr("for"): lab.text for lab in f.find_all("label")}
    assert [labels[i.attr("id")] for i in visible] == ["Username", "Password", "otp"]
    assert visible[0].attr("placeholder") == "jsmith"
    assert visible[1].attr("autocomplete") == "current-password"
    assert visible[0].attr("id") == "input-username-for-pw-provider"
    assert f.find("button").text == "Sign in with Password"


def test_credentials_field_attributes_are_allow_listed() -> None:
    p = creds(
        field={
            "label": "Code",
            "type": "image",  # would make a submit control
            "onfocus": "alert(1)",
            "style": "background:url(https://evil.example/x)",
            "formaction": "https://evil.example/",
            "name": "other",
            "id": "dup",
            "autoComplete": "one-time-code",
            "minLength": 6,
            "required": True,
            "readonly": False,
            "pattern": '\\d+" onmouseover="x',
        },
        csrfToken={"label": "shadow"},
        callbackUrl={"label": "shadow"},
    )
    page = parse(render_signin([p]))
    inputs = [i for i in page.find_all("input") if i.attr("type") != "hidden"]
    assert len(inputs) == 1
    (inp,) = inputs
    assert inp.attr("type") == "text"
    assert inp.attr("name") == "field"
    assert inp.attr("id") != "dup"
    for banned in ("onfocus", "style", "formaction", "readonly", "onmouseover"):
        assert banned not in inp.attrs
    assert inp.attr("autocomplete") == "one-time-code"
    assert inp.attr("minlength") == "6"
    assert "required" in inp.attrs
    assert inp.attr("pattern") == '\\d+" onmouseover="x'
    # The reserved names appear once each, as the server's hidden fields.
    assert len(page.find_all("input", name="csrfToken")) == 1
    assert len(page.find_all("input", name="callbackUrl")) == 1


def _expected_hr_positions(types: list[str]) -> list[tuple[int, str]]:
    """The Auth.js `src/lib/pages/` / signin.tsx rule, written independently: an <hr> before a form
    block that follows a non-form provider, and one after every form block that is not last."""
    form = {"email", "credentials"}
    out: list[tuple[int, str]] = []
    for i, t in enumerate(types):
        if t in form and i > 0 and types[i - 1] not in form:
            out.append((i, "before"))
        if t in form and i + 1 < len(types):
            out.append((i, "after"))
    return out


@pytest.mark.parametrize(
    "types",
    [
        ["oauth"],
        ["oauth", "oauth"],
        ["oauth", "email"],
        ["email", "oauth"],
        ["oauth", "credentials", "oauth"],
        ["credentials", "email"],
        ["oauth", "email", "credentials"],
        ["credentials"],
    ],
)
def test_hr_separators(types: list[str]) -> None:
    providers: list[Provider] = []
    for i, t in enumerate(types):
        if t == "oauth":
            providers.append(oauth(f"o{i}"))
        elif t == "email":
            providers.append(email(f"e{i}"))
        else:
            providers.append(creds(f"c{i}", user={"label": "User"}))
    page = parse(render_signin(providers))
    blocks = page.by_class("provider")
    assert len(blocks) == len(types)
    got: list[tuple[int, str]] = []
    for i, block in enumerate(blocks):
        kids = [c.tag for c in block.children]
        if kids and kids[0] == "hr":
            got.append((i, "before"))
        if len(kids) > 1 and kids[-1] == "hr":
            got.append((i, "after"))
    assert got == _expected_hr_positions(types)


@pytest.mark.parametrize(("code", "message"), sorted(SIGNIN_ERRORS.items()))
def test_error_box_known_codes(code: str, message: str) -> None:
    page = parse(render_signin([oauth("github")], error=code))
    (box,) = page.by_class("error")
    assert box.attr("role") == "alert"
    assert box.text == message


def test_error_box_table_matches_spec() -> None:
    different = "Try signing in with a different account."
    assert {
        "Signin": different,
        "OAuthSignin": different,
        "OAuthCallbackError": different,
        "OAuthCreateAccount": different,
        "EmailCreateAccount": different,
        "Callback": different,
        "OAuthAccountNotLinked": (
            "To confirm your identity, sign in with the same account you used originally."
        ),
        "EmailSignin": "The e-mail could not be sent.",
        "CredentialsSignin": "Sign in failed. Check the details you provided are correct.",
        "SessionRequired": "Please sign in to access this page.",
    } == SIGNIN_ERRORS


@pytest.mark.parametrize(
    "code",
    [
        "MissingCSRF",
        "constructor",
        "__proto__",
        "toString",
        "hasOwnProperty",
        "default",
        "__class__",
        "get",
        "<script>alert(1)</script>",
        "Signin ",
        "SIGNIN",
        "x" * 10_000,
    ],
)
def test_error_box_unknown_codes_show_generic_message(code: str) -> None:
    html = render_signin([oauth("github")], error=code)
    page = parse(html)
    (box,) = page.by_class("error")
    assert box.text == "Unable to sign in."
    assert code not in html.replace("__next-auth-theme", "")
    assert not page.find_all("script")


def test_no_error_box_without_error() -> None:
    for error in (None, ""):
        page = parse(render_signin([oauth("github")], error=error))
        assert page.by_class("error") == []


def test_no_providers_message() -> None:
    page = parse(render_signin([]))
    assert "No sign-in method is configured." in page.root.text
    assert forms(page) == []


def test_theme_logo_and_colors() -> None:
    theme = Theme(color_scheme="dark", logo="/static/logo.png", brand_color="#ff0000")
    page = parse(render_signin([oauth("github")], theme=theme))
    assert page.find("body").attr("class") == "__next-auth-theme-dark"
    logo = page.find("img", class_="logo")
    assert logo.attr("src") == "/static/logo.png"
    assert logo.attr("alt")
    assert "--brand-color: #ff0000;" in page.css
    # No button_text given: a readable text colour is derived from the brand colour.
    assert "--button-text-color: #000;" in page.css or "--button-text-color: #fff;" in page.css


def test_button_text_theme() -> None:
    page = parse(render_signin([email()], theme=Theme(brand_color="#111", button_text="#eee")))
    assert "--brand-color: #111;" in page.css
    assert "--button-text-color: #eee;" in page.css


def test_provider_brand_colors_and_logos() -> None:
    page = parse(
        render_signin(
            [
                oauth("github", "GitHub", bg="#24292f", text="#fff"),
                oauth("google", "Google", brandColor="#1a73e8"),
                oauth("instagram", "Instagram", bg="#fff", text="#000"),
                oauth("acme", "Acme", logo="https://cdn.acme.example/logo.svg"),
                oauth("custom", "Custom"),
            ]
        )
    )
    css = page.css
    assert ".provider-style-0 { --provider-bg: #24292f; --provider-text: #fff;" in css
    assert "--provider-brand-color: #1a73e8;" in css
    buttons = page.find_all("button")
    # Built-in inline marks for github/google/instagram, the given URL for acme, a key otherwise.
    assert [len(b.find_all("svg")) for b in buttons] == [1, 1, 1, 0, 1]
    assert buttons[3].find("img").attr("src") == "https://cdn.acme.example/logo.svg"
    assert buttons[3].find("img").attr("alt") == ""
    for b in buttons:
        for svg in b.find_all("svg"):
            assert svg.attr("aria-hidden") == "true"


def test_two_instagram_buttons_have_unique_svg_ids() -> None:
    # parse() asserts that ids are unique in the document.
    page = parse(render_signin([oauth("instagram"), oauth("instagram", "Instagram 2")]))
    assert len(page.find_all("lineargradient")) == 2


def test_request_data_cannot_override_props() -> None:
    """docs/differences.md row 10: the page takes explicit arguments only; there is nowhere to
    spread a query."""
    query: dict[str, Any] = {"csrfToken": "evil", "callbackUrl": "https://evil.example/"}
    with pytest.raises(TypeError):
        signin_page(
            providers=[],
            signin_url=signin_url,
            callback_url_for=callback_url_for,
            csrf_token="t",
            callback_url="/",
            error=None,
            theme=Theme(),
            **query,
        )
    with pytest.raises(TypeError):
        signin_page([], signin_url, callback_url_for, "t", "/", None, Theme())  # type: ignore[call-arg]


def test_credentials_provider_requires_mapping() -> None:
    bad = CredsProvider(id="w", name="W", type="credentials", credentials=["user"])  # type: ignore[arg-type]
    page = parse(render_signin([bad]))
    assert forms(page) == []
