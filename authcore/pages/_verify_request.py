"""The built-in verify-request page (Auth.js `src/lib/pages/`): "check your email"."""

from __future__ import annotations

from ._layout import Theme, document, logo_img, origin_link

__all__ = ["verify_request_page"]


def verify_request_page(*, origin: str, theme: Theme, nonce: str | None = None) -> str:
    """Auth.js `src/lib/pages/`: shown after an e-mail sign-in link was sent."""
    body = (
        '<div class="verify-request"><div class="card">'
        f"{logo_img(theme)}<h1>Check your email</h1>"
        "<p>A sign in link has been sent to your email address.</p>"
        f"{origin_link(origin)}"
        "</div></div>"
    )
    return document(title="Verify Request", body=body, theme=theme, nonce=nonce)
