"""The built-in sign-in page (Auth.js `src/lib/pages/`), a pure function of explicit, typed
arguments.

The four pages (this one, `_signout`, `_error`, `_verify_request`) share these rules.

Deliberate differences from Auth.js:
- no request data reaches a page except through the arguments the core computes (Auth.js
  spreads the query over the sign-in props, docs/differences.md row 10 /
  docs/differences.md#other-deliberate-choices);
- error codes are looked up in real dicts with `.get`; the raw value is never shown;
- the error page's Sign-in link is whatever `signin_url` the core passes (docs/differences.md row
  11);
- no third-party logos or scripts: built-in marks are inline SVG.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..providers._base import Provider
from ._layout import Theme, document, form_open, hidden_input, logo_img
from ._logos import builtin_logo
from ._safe import contrast_text, esc, safe_color, safe_url

__all__ = ["SIGNIN_CANCELLED", "SIGNIN_ERRORS", "TRY_DIFFERENT", "signin_page"]

# --- sign-in ---------------------------------------------------------------------------------

TRY_DIFFERENT = "Try signing in with a different account."

SIGNIN_ERROR_DEFAULT = "Unable to sign in."
SIGNIN_ERRORS: Mapping[str, str] = {
    # Auth.js `src/lib/pages/` error box, exactly.
    "Signin": TRY_DIFFERENT,
    "OAuthSignin": TRY_DIFFERENT,
    "OAuthCallbackError": TRY_DIFFERENT,
    "OAuthCreateAccount": TRY_DIFFERENT,
    "EmailCreateAccount": TRY_DIFFERENT,
    "Callback": TRY_DIFFERENT,
    "OAuthAccountNotLinked": (
        "To confirm your identity, sign in with the same account you used originally."
    ),
    "EmailSignin": "The e-mail could not be sent.",
    "CredentialsSignin": "Sign in failed. Check the details you provided are correct.",
    "SessionRequired": "Please sign in to access this page.",
}
# `?error=OAuthCallbackError&code=access_denied`: the user cancelled at the provider.
SIGNIN_CANCELLED = "Sign in was cancelled, so access was not granted. Try again when you are ready."

_FORM_TYPES = frozenset({"email", "credentials", "webauthn"})
_RESERVED_FIELDS = frozenset({"csrfToken", "callbackUrl"})
_SIMPLE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")

# Input attributes a credentials field may set (Auth.js spreads the whole field spec onto the
# <input>; here only these, so config cannot add event handlers, `style`, `form*`, ...).
# Keys are compared lower-cased so React-style `autoComplete` / `minLength` work too.
_FIELD_ATTRS = frozenset(
    {
        "autocapitalize",
        "autocomplete",
        "dir",
        "enterkeyhint",
        "inputmode",
        "max",
        "maxlength",
        "min",
        "minlength",
        "pattern",
        "placeholder",
        "readonly",
        "required",
        "size",
        "spellcheck",
        "step",
        "title",
        "value",
    }
)
_INPUT_TYPES = frozenset(
    {
        "text",
        "password",
        "email",
        "number",
        "tel",
        "url",
        "search",
        "date",
        "datetime-local",
        "month",
        "week",
        "time",
    }
)


class _Ids:
    """Document-unique element ids, Auth.js-shaped where the parts allow it."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def make(self, field: str, provider_id: str, index: int) -> str:
        if _SIMPLE_ID.fullmatch(field) and _SIMPLE_ID.fullmatch(provider_id):
            base = f"input-{field}-for-{provider_id}-provider"
        else:
            base = f"input-{index}-for-provider-{len(self._seen)}"
        candidate, n = base, 2
        while candidate in self._seen:
            candidate, n = f"{base}-{n}", n + 1
        self._seen.add(candidate)
        return candidate


def _provider_name(provider: Provider) -> str:
    name = provider.name if isinstance(provider.name, str) else str(provider.name)
    return name or str(provider.id)


def _style_value(style: Mapping[str, Any], *keys: str) -> Any:
    for key in keys:
        if key in style:
            return style[key]
    return None


def _provider_css(style: Mapping[str, Any], index: int) -> str:
    """Per-button CSS variables, in the one <style> (no inline style attributes, so a CSP
    nonce on that element covers everything)."""
    bg = safe_color(_style_value(style, "bg"))
    text = safe_color(_style_value(style, "text"))
    brand = safe_color(_style_value(style, "brandColor", "brand_color"))
    if text is None and bg is not None:
        text = contrast_text(bg)
    accent = brand or bg  # Auth.js `src/lib/pages/`: --provider-brand-color = brandColor ?? bg
    decls = []
    if bg is not None:
        decls.append(f"--provider-bg: {bg};")
    if text is not None:
        decls.append(f"--provider-text: {text};")
    if accent is not None:
        decls.append(f"--provider-brand-color: {accent};")
    if not decls:
        return ""
    return f".provider-style-{index} {{ {' '.join(decls)} }}\n"


# Auth.js names logos by file (`"github.svg"`, or the authjs.dev CDN URL). Those map to the
# inline marks: the page must not load them from a third party.
_NAMED_LOGO = re.compile(r"(?:https://authjs\.dev/img/providers/)?([a-z0-9-]{1,64})\.svg")


def _provider_logo(provider: Provider, style: Mapping[str, Any], index: int) -> str:
    logo = style.get("logo")
    uid = f"p{index}"
    if isinstance(logo, str) and logo:
        named = _NAMED_LOGO.fullmatch(logo)
        if named is not None:
            return builtin_logo(named.group(1), uid)
        src = safe_url(logo)
        if src is not None:
            return (
                f'<img class="provider-logo" src="{esc(src)}" alt="" width="20" height="20"'
                ' referrerpolicy="no-referrer">'
            )
    return builtin_logo(str(provider.id), uid)


def _oauth_form(
    provider: Provider, index: int, action: str, csrf_token: str, callback_url: str
) -> tuple[str, str]:
    style = provider.style if isinstance(provider.style, Mapping) else {}
    parts = [form_open(action, "oauth-form"), hidden_input("csrfToken", csrf_token)]
    if callback_url:
        parts.append(hidden_input("callbackUrl", callback_url))
    parts.append(
        f'<button type="submit" class="button provider-style-{index}">'
        f"{_provider_logo(provider, style, index)}"
        f"<span>Sign in with {esc(_provider_name(provider))}</span>"
        '<span aria-hidden="true"></span></button>'
    )
    parts.append("</form>")
    return "".join(parts), _provider_css(style, index)


def _email_form(provider: Provider, ids: _Ids, index: int, action: str, csrf_token: str) -> str:
    # Auth.js `src/lib/pages/`: no callbackUrl field, the callback-url cookie is used. Never
    # pre-filled from the query (docs/security.md item 15: no address in the HTML).
    input_id = ids.make("email", str(provider.id), index)
    return (
        f"{form_open(action, 'email-form')}{hidden_input('csrfToken', csrf_token)}"
        f'<div class="field"><label class="section-header" for="{esc(input_id)}">Email</label>'
        f'<input id="{esc(input_id)}" type="email" name="email" placeholder="email@example.com"'
        ' autocomplete="email" required></div>'
        f'<button type="submit" class="submit-button">Sign in with '
        f"{esc(_provider_name(provider))}</button></form>"
    )


def _field_attrs(spec: Mapping[str, Any]) -> str:
    out = []
    for raw_key, value in spec.items():
        if not isinstance(raw_key, str):
            continue
        key = raw_key.lower()
        if key not in _FIELD_ATTRS or value is None or value is False:
            continue
        if value is True:
            out.append(f" {key}")
        elif isinstance(value, (str, int, float)):
            if key == "placeholder" and value == "":
                continue
            out.append(f' {key}="{esc(value)}"')
    return "".join(out)


def _credentials_form(
    provider: Provider,
    *,
    credentials: Mapping[Any, Any],
    ids: _Ids,
    index: int,
    action: str,
    csrf_token: str,
    callback_url: str,
) -> str:
    parts = [form_open(action, "credentials-form"), hidden_input("csrfToken", csrf_token)]
    if callback_url:
        parts.append(hidden_input("callbackUrl", callback_url))
    for key, raw_spec in credentials.items():
        name = str(key)
        if name in _RESERVED_FIELDS or not name:
            # Would shadow the server's own hidden fields.
            continue
        spec: Mapping[str, Any] = raw_spec if isinstance(raw_spec, Mapping) else {}
        label = spec.get("label")
        label_text = label if isinstance(label, str) and label else name
        input_type = spec.get("type")
        if not isinstance(input_type, str) or input_type.lower() not in _INPUT_TYPES:
            input_type = "text"
        input_type = input_type.lower()
        attrs = _field_attrs(spec)
        if input_type == "password" and " autocomplete" not in attrs:
            attrs += ' autocomplete="current-password"'
        input_id = ids.make(name, str(provider.id), index)
        parts.append(
            f'<div class="field"><label class="section-header" for="{esc(input_id)}">'
            f"{esc(label_text)}</label>"
            f'<input id="{esc(input_id)}" name="{esc(name)}" type="{input_type}"{attrs}></div>'
        )
    parts.append(
        f'<button type="submit" class="submit-button">Sign in with '
        f"{esc(_provider_name(provider))}</button></form>"
    )
    return "".join(parts)


def _credentials_of(provider: Provider) -> Mapping[Any, Any] | None:
    creds = getattr(provider, "credentials", None)
    return creds if isinstance(creds, Mapping) else None


def _renderable(provider: Provider) -> bool:
    """Auth.js `src/lib/pages/` provider list: oauth/oidc/email always, credentials only with
    `credentials`."""
    if provider.type in ("oauth", "oidc", "email", "webauthn"):
        return True
    return provider.type == "credentials" and _credentials_of(provider) is not None


def signin_page(
    *,
    providers: Sequence[Provider],
    signin_url: Callable[[Provider], str],
    callback_url_for: Callable[[Provider], str],
    csrf_token: str,
    callback_url: str,
    error: str | None,
    theme: Theme,
    nonce: str | None = None,
    code: str | None = None,
    webauthn_options_url: Callable[[Provider], str] | None = None,
) -> str:
    """The sign-in page. `error` is the raw `?error=` value: only its fixed message is shown
    (`code=access_denied` with `OAuthCallbackError` picks the cancel message).
    `nonce`, if given, is set on the `<style>` element for a nonce-based CSP.
    `webauthn_options_url` gives a passkey provider's `/webauthn-options/<id>` URL; without
    it passkey providers are not shown."""
    shown = [
        p
        for p in providers
        if _renderable(p) and (p.type != "webauthn" or webauthn_options_url is not None)
    ]
    conditional_id = next(
        (
            p.id
            for p in shown
            if p.type == "webauthn" and getattr(p, "enable_conditional_ui", False)
        ),
        None,
    )
    ids = _Ids()
    extra_css: list[str] = []
    blocks: list[str] = []
    for i, provider in enumerate(shown):
        inner: list[str] = []
        is_form = provider.type in _FORM_TYPES
        if provider.type in ("oauth", "oidc"):
            form, css = _oauth_form(provider, i, signin_url(provider), csrf_token, callback_url)
            inner.append(form)
            extra_css.append(css)
        # Auth.js `src/lib/pages/`: <hr> before a form block that follows a button, and after any
        # form block that is not last.
        if is_form and i > 0 and shown[i - 1].type not in _FORM_TYPES:
            inner.append("<hr>")
        if provider.type == "email":
            inner.append(_email_form(provider, ids, i, signin_url(provider), csrf_token))
        elif provider.type == "credentials":
            creds = _credentials_of(provider)
            assert creds is not None
            inner.append(
                _credentials_form(
                    provider,
                    credentials=creds,
                    ids=ids,
                    index=i,
                    action=callback_url_for(provider),
                    csrf_token=csrf_token,
                    callback_url=callback_url,
                )
            )
        elif provider.type == "webauthn" and webauthn_options_url is not None:
            from ._webauthn import webauthn_form

            fields = getattr(provider, "form_fields", None) or {}
            inner.append(
                webauthn_form(
                    provider,
                    input_ids=[ids.make(str(f), str(provider.id), i) for f in fields],
                    action=callback_url_for(provider),
                    options_url=webauthn_options_url(provider),
                    csrf_token=csrf_token,
                    callback_url=callback_url,
                    conditional=provider.id == conditional_id,
                )
            )
        if is_form and i + 1 < len(shown):
            inner.append("<hr>")
        blocks.append(f'<div class="provider">{"".join(inner)}</div>')

    head = [logo_img(theme), "<h1>Sign in</h1>"]
    if error:
        message = SIGNIN_ERRORS.get(error, SIGNIN_ERROR_DEFAULT)
        if error == "OAuthCallbackError" and code == "access_denied":
            message = SIGNIN_CANCELLED
        head.append(f'<div class="error" role="alert"><p>{esc(message)}</p></div>')
    if not blocks:
        head.append("<p>No sign-in method is configured.</p>")
    body = (
        '<div class="signin"><div class="card">'
        + "".join(head)
        + "\n"
        + "\n".join(blocks)
        + "\n</div></div>"
    )
    script = None
    if any(p.type == "webauthn" for p in shown):
        from ._webauthn import script as webauthn_script

        script = webauthn_script()
    return document(
        title="Sign In", body=body, theme=theme, extra_css=extra_css, nonce=nonce, script=script
    )
