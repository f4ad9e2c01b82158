"""The page an email sign-in link opens when the provider has `confirm=True`: a button that
POSTs the link's token, so a mail scanner fetching the link does not use it up."""

from __future__ import annotations

from ._layout import Theme, document, form_open, hidden_input, logo_img

__all__ = ["email_confirm_page"]


def email_confirm_page(
    *,
    action_url: str,
    csrf_token: str,
    callback_url: str,
    token: str,
    email: str,
    theme: Theme,
    nonce: str | None = None,
) -> str:
    body = (
        '<div class="verify-request"><div class="card">'
        f"{logo_img(theme)}<h1>Sign in</h1>"
        "<p>Press the button to finish signing in.</p>"
        f"{form_open(action_url, 'email-confirm')}"
        f"{hidden_input('csrfToken', csrf_token)}"
        f"{hidden_input('callbackUrl', callback_url)}"
        f"{hidden_input('token', token)}"
        f"{hidden_input('email', email)}"
        '<button type="submit" class="button">Sign in</button></form>'
        "</div></div>"
    )
    return document(title="Sign In", body=body, theme=theme, nonce=nonce)
