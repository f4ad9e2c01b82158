"""The built-in error page (Auth.js `src/lib/pages/`): one entry per error code, a generic page
otherwise."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from ._layout import Theme, document, logo_img, origin_link
from ._safe import esc, safe_code, safe_url
from ._signin import TRY_DIFFERENT

__all__ = ["ERROR_PAGES", "ErrorInfo", "error_page"]


class ErrorInfo(NamedTuple):
    status: int
    heading: str
    paragraphs: tuple[str, ...]
    signin_button: bool


_UNABLE = "Unable to sign in"

ERROR_PAGES: Mapping[str, ErrorInfo] = {
    # Auth.js `src/lib/pages/` error page table.
    "Configuration": ErrorInfo(
        500,
        "Server error",
        (
            "There is a problem with the server configuration.",
            "Check the server logs for more information.",
        ),
        False,
    ),
    "AccessDenied": ErrorInfo(
        403, "Access Denied", ("You do not have permission to sign in.",), True
    ),
    "Verification": ErrorInfo(
        403,
        _UNABLE,
        (
            "The sign in link is no longer valid.",
            "It may have been used already or it may have expired.",
        ),
        True,
    ),
    # authcore additions: readable pages for the other client-safe types (errors.py
    # CLIENT_SAFE_TYPES). Status 200 as for any other code in Auth.js.
    "EmailSignin": ErrorInfo(
        200,
        _UNABLE,
        ("The e-mail could not be sent.", "Check the address and try again."),
        True,
    ),
    "OAuthCallbackError": ErrorInfo(
        200,
        _UNABLE,
        ("The sign-in provider reported a problem.", TRY_DIFFERENT),
        True,
    ),
    "CredentialsSignin": ErrorInfo(
        200,
        _UNABLE,
        ("Sign in failed. Check the details you provided are correct.",),
        True,
    ),
    "OAuthAccountNotLinked": ErrorInfo(
        200,
        _UNABLE,
        ("To confirm your identity, sign in with the same account you used originally.",),
        True,
    ),
    "AccountNotLinked": ErrorInfo(
        200,
        _UNABLE,
        ("This account is not linked to the one you are signed in with.",),
        True,
    ),
    "MissingCSRF": ErrorInfo(
        200,
        _UNABLE,
        ("The sign-in form expired or did not come from this site.", "Please try again."),
        True,
    ),
    "WebAuthnVerificationError": ErrorInfo(
        200, _UNABLE, ("The passkey could not be verified.",), True
    ),
    "OAuthProviderError": ErrorInfo(
        200,
        _UNABLE,
        (
            "The sign-in provider did not respond as expected.",
            "Please try again in a moment.",
        ),
        True,
    ),
}

_DEFAULT_ERROR = ErrorInfo(200, "Error", (), False)


def error_page(
    *,
    error: str | None,
    signin_url: str,
    origin: str,
    theme: Theme,
    nonce: str | None = None,
) -> tuple[int, str]:
    """(status, html) for `/error?error=<code>`. Unknown codes get the generic page; the code
    is echoed only when it is plain ASCII letters."""
    info = ERROR_PAGES.get(error, _DEFAULT_ERROR) if isinstance(error, str) else _DEFAULT_ERROR
    message = [f"<p>{esc(p)}</p>" for p in info.paragraphs]
    if info is _DEFAULT_ERROR:
        code = safe_code(error)
        if code is not None:
            message.append(f"<p>Error code: <code>{esc(code)}</code></p>")
        message.append(origin_link(origin))
    button = ""
    href = safe_url(signin_url) if info.signin_button else None
    if href is not None:
        button = f'<a class="button submit-button" href="{esc(href)}">Sign in</a>'
    body = (
        '<div class="error-page"><div class="card">'
        f"{logo_img(theme)}<h1>{esc(info.heading)}</h1>"
        f'<div class="message">{"".join(message)}</div>{button}'
        "</div></div>"
    )
    return info.status, document(title="Error", body=body, theme=theme, nonce=nonce)
