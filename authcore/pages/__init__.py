"""Built-in sign-in, sign-out, error and verify-request pages (SPEC §9).

Pure functions returning HTML strings; the core adds status and headers. Replace them with
your own pages through the `pages` config option (see docs/pages.md).
"""

from __future__ import annotations

from ._layout import Theme
from ._render import (
    ERROR_PAGES,
    SIGNIN_ERRORS,
    error_page,
    signin_page,
    signout_page,
    verify_request_page,
)

__all__ = [
    "ERROR_PAGES",
    "SIGNIN_ERRORS",
    "Theme",
    "error_page",
    "signin_page",
    "signout_page",
    "verify_request_page",
]
