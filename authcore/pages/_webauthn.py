"""The passkey form of the sign-in page and its script (`webauthn-client.js`, package data),
inlined so the page loads nothing from elsewhere; the page's CSP allows exactly this script
by its hash (Auth.js `@auth/core@0.41.3` `packages/core/src/lib/pages/signin.tsx` loads
@simplewebauthn/browser from a CDN instead)."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from ..providers._base import Provider
from ._layout import form_open, hidden_input
from ._safe import esc, safe_url

__all__ = ["script", "script_csp", "webauthn_form"]


@cache
def script() -> str:
    return resources.files(__package__).joinpath("webauthn-client.js").read_text("utf-8")


@cache
def script_csp() -> str:
    """The page's CSP with the script allowed by hash and its fetch of the options."""
    digest = base64.b64encode(hashlib.sha256(script().encode("utf-8")).digest()).decode()
    return (
        f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; "
        "connect-src 'self'; img-src http: https: data:; frame-ancestors 'none'; "
        "base-uri 'none'"
    )


_INPUT_TYPES = frozenset({"text", "email", "tel", "search"})


def _field(provider_id: str, name: str, spec: Mapping[str, Any], input_id: str) -> str:
    label = spec.get("label")
    label_text = label if isinstance(label, str) and label else name
    kind = spec.get("type")
    kind = kind.lower() if isinstance(kind, str) and kind.lower() in _INPUT_TYPES else "text"
    if name == "email" and spec.get("type") is None:
        kind = "email"
    attrs = ""
    autocomplete = spec.get("autocomplete")
    if isinstance(autocomplete, str) and autocomplete:
        attrs += f' autocomplete="{esc(autocomplete)}"'
    placeholder = spec.get("placeholder")
    if isinstance(placeholder, str) and placeholder:
        attrs += f' placeholder="{esc(placeholder)}"'
    if spec.get("required") is True:
        attrs += " required"
    return (
        f'<div class="field"><label class="section-header" for="{esc(input_id)}">'
        f"{esc(label_text)}</label>"
        f'<input id="{esc(input_id)}" name="{esc(name)}" type="{kind}" data-form-field{attrs}>'
        "</div>"
    )


def webauthn_form(
    provider: Provider,
    *,
    input_ids: list[str],
    action: str,
    options_url: str,
    csrf_token: str,
    callback_url: str,
    conditional: bool,
) -> str:
    """The form Auth.js renders for a `webauthn` provider (id `<provider>-form`, one input per
    form field marked `data-form-field`); `input_ids` are the document-unique ids to use."""
    fields = getattr(provider, "form_fields", None) or {}
    url = safe_url(options_url) or ""
    opening = form_open(action, "webauthn-form")
    # novalidate: the script checks the fields itself (an empty email still authenticates
    # with a discoverable passkey; registering needs it).
    extra = f' id="{esc(provider.id)}-form" data-webauthn-options="{esc(url)}" novalidate'
    if conditional:
        extra += " data-webauthn-conditional"
    parts = [opening[:-1] + extra + ">", hidden_input("csrfToken", csrf_token)]
    if callback_url:
        parts.append(hidden_input("callbackUrl", callback_url))
    for (name, spec), input_id in zip(fields.items(), input_ids, strict=False):
        if isinstance(name, str) and name and isinstance(spec, Mapping):
            parts.append(_field(str(provider.id), name, spec, input_id))
    name = provider.name if isinstance(provider.name, str) and provider.name else provider.id
    parts.append('<p class="error" role="alert" data-webauthn-status hidden></p>')
    parts.append(f'<button type="submit" class="submit-button">Sign in with {esc(name)}</button>')
    parts.append("</form>")
    return "".join(parts)
