"""Built-in sign-in, sign-out, error and verify-request pages (Auth.js `src/lib/pages/`).

Pure functions returning HTML strings; the core adds status and headers. Replace them with
your own pages through the `pages` config option (see docs/pages.md).
"""

from __future__ import annotations

from ._email_confirm import email_confirm_page
from ._error import ERROR_PAGES, error_page
from ._layout import Theme
from ._signin import SIGNIN_CANCELLED, SIGNIN_ERRORS, signin_page
from ._signout import signout_page
from ._verify_request import verify_request_page

__all__ = [
    "ERROR_PAGES",
    "SIGNIN_CANCELLED",
    "SIGNIN_ERRORS",
    "Theme",
    "email_confirm_page",
    "error_page",
    "signin_page",
    "signout_page",
    "verify_request_page",
]
