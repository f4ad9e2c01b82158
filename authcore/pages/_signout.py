"""The built-in sign-out page (Auth.js `src/lib/pages/`): a confirmation form."""

from __future__ import annotations

from ._layout import Theme, document, form_open, hidden_input, logo_img

__all__ = ["signout_page"]

# --- sign-out --------------------------------------------------------------------------------


def signout_page(
    *, action_url: str, csrf_token: str, theme: Theme, nonce: str | None = None
) -> str:
    """Auth.js `src/lib/pages/` sign-out page. `action_url` is computed by the core (it may carry
    the already-validated callbackUrl)."""
    body = (
        '<div class="signout"><div class="card">'
        f"{logo_img(theme)}<h1>Signout</h1><p>Are you sure you want to sign out?</p>"
        f"{form_open(action_url, 'signout-form')}{hidden_input('csrfToken', csrf_token)}"
        '<button type="submit" class="submit-button">Sign out</button></form>'
        "</div></div>"
    )
    return document(title="Sign Out", body=body, theme=theme, nonce=nonce)
