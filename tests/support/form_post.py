"""Drive a `response_mode=form_post` sign-in: the IdP's self-submitting form, read like a
browser would submit it."""

from __future__ import annotations

from html.parser import HTMLParser

import httpx

from tests.support.core import BASE, Browser

__all__ = ["read_form", "start"]


class _Form(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.action = a.get("action") or ""
        elif tag == "input" and a.get("type") == "hidden":
            self.fields[a.get("name") or ""] = a.get("value") or ""


def read_form(page: str) -> tuple[str, dict[str, str]]:
    """The action and hidden fields of the IdP's self-submitting form."""
    form = _Form()
    form.feed(page)
    return form.action, form.fields


def start(
    b: Browser, client: httpx.Client, provider_id: str = "oidc", *, checks: int
) -> tuple[str, dict[str, str]]:
    """Sign in, let the IdP answer; the form's target path and its fields."""
    res = b.call("POST", f"/signin/{provider_id}", form={"csrfToken": b.csrf()})
    assert res.status == 302 and res.location is not None
    cookies = [
        c for c in res.set_cookies if c.startswith(("authjs.state", "authjs.pkce", "authjs.nonce"))
    ]
    assert len(cookies) == checks
    for line in cookies:  # a cross-site POST carries only these
        assert "SameSite=None" in line and "Secure" in line, line
    page = client.get(res.location, follow_redirects=False)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    form = _Form()
    form.feed(page.text)
    assert form.action == f"{BASE}/callback/{provider_id}"
    return form.action[len(BASE) :], form.fields
