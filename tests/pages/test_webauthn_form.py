"""The sign-in page's passkey form: Auth.js's markup (form `<id>-form`, `data-form-field`
inputs, `username webauthn` autocomplete), the script inlined from package data and allowed
by the CSP through its hash, nothing of it on pages without a passkey provider."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

from authcore.providers.passkey import Passkey, WebAuthnProvider
from authcore.stores.memory import MemoryStore
from tests.support.security import BASE, SECRET, send


def page(*providers: Any) -> Any:
    config = {
        "secret": SECRET,
        "env": {},
        "trust_host": True,
        "adapter": MemoryStore(),
        "experimental": {"enable_webauthn": True},
        "providers": list(providers),
    }
    res = send(config, "GET", "/signin")
    assert res.status == 200
    return res


def test_the_passkey_form_and_its_script() -> None:
    res = page(Passkey())
    html = res.body.decode()
    form = re.search(r"<form [^>]*id=\"passkey-form\"[^>]*>", html)
    assert form is not None
    assert f'action="{BASE}/callback/passkey"' in form.group(0)
    assert f'data-webauthn-options="{BASE}/webauthn-options/passkey"' in form.group(0)
    assert "data-webauthn-conditional" in form.group(0)
    assert re.search(
        r'<input id="input-email-for-passkey-provider" name="email" type="email" '
        r'data-form-field autocomplete="username webauthn" required>',
        html,
    )
    assert 'name="csrfToken"' in html
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert len(scripts) == 1
    script = scripts[0]
    for piece in ("navigator.credentials.create", "navigator.credentials.get", '"conditional"'):
        assert piece in script
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    csp = res.header("content-security-policy") or ""
    assert f"script-src 'sha256-{digest}'" in csp
    assert "connect-src 'self'" in csp
    assert "http" not in re.sub(r"img-src [^;]*", "", csp)  # no CDN anywhere


def test_conditional_ui_goes_to_the_first_provider_that_wants_it() -> None:
    html = page(
        WebAuthnProvider(id="a", name="A", enable_conditional_ui=False),
        Passkey(),
        WebAuthnProvider(id="b", name="<b>"),
    ).body.decode()
    forms = re.findall(r"<form [^>]*>", html)
    assert ["data-webauthn-conditional" in f for f in forms] == [False, True, False]
    assert "Sign in with &lt;b&gt;" in html and "<b>" not in html
    ids = re.findall(r'<input id="([^"]+)"', html)
    assert len(ids) == len(set(ids)) == 3


def test_pages_without_passkeys_have_no_script() -> None:
    res = page()
    assert "<script" not in res.body.decode()
    assert "script-src" not in (res.header("content-security-policy") or "")
