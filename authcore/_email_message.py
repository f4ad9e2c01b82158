"""The sign-in email Auth.js sends (`@auth/core@0.41.3` `packages/core/src/lib/utils/email.ts`):
subject `Sign in to <host>`, a text part and an HTML button in the theme's colours.

The address is never in the mail (CVE-2022-31127). Unlike Auth.js, the host and the URL are
HTML-escaped and the colours must be plain CSS colours, so neither a Host header nor a
theme can inject markup.
"""

from __future__ import annotations

import html as _html
import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["EmailContent", "render_email"]

_COLOUR = re.compile(r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{1,20}|rgba?\([0-9., %]{1,40}\))$")


@dataclass(frozen=True, slots=True)
class EmailContent:
    subject: str
    text: str
    html: str


def _colour(value: object, default: str) -> str:
    return value if isinstance(value, str) and _COLOUR.match(value) else default


def render_email(url: str, host: str, theme: Mapping[str, str] | None = None) -> EmailContent:
    theme = theme or {}
    brand = _colour(theme.get("brand_color") or theme.get("brandColor"), "#346df1")
    button_text = _colour(theme.get("button_text") or theme.get("buttonText"), "#fff")
    # A zero-width space after each dot keeps mail clients from linking the host.
    shown_host = _html.escape(host).replace(".", "&#8203;.")
    href = _html.escape(url, quote=True)
    text_colour = "#444"
    body = f"""
<body style="background: #f9f9f9;">
  <table width="100%" border="0" cellspacing="20" cellpadding="0"
    style="background: #fff; max-width: 600px; margin: auto; border-radius: 10px;">
    <tr>
      <td align="center"
        style="padding: 10px 0px; font-size: 22px; font-family: Helvetica, Arial, sans-serif; color: {text_colour};">
        Sign in to <strong>{shown_host}</strong>
      </td>
    </tr>
    <tr>
      <td align="center" style="padding: 20px 0;">
        <table border="0" cellspacing="0" cellpadding="0">
          <tr>
            <td align="center" style="border-radius: 5px;" bgcolor="{brand}"><a href="{href}"
                target="_blank"
                style="font-size: 18px; font-family: Helvetica, Arial, sans-serif; color: {button_text}; text-decoration: none; border-radius: 5px; padding: 10px 20px; border: 1px solid {brand}; display: inline-block; font-weight: bold;">Sign
                in</a></td>
          </tr>
        </table>
      </td>
    </tr>
    <tr>
      <td align="center"
        style="padding: 0px 0px 10px 0px; font-size: 16px; line-height: 22px; font-family: Helvetica, Arial, sans-serif; color: {text_colour};">
        If you did not request this email you can safely ignore it.
      </td>
    </tr>
  </table>
</body>
"""  # noqa: E501
    return EmailContent(
        subject=f"Sign in to {host}", text=f"Sign in to {host}\n{url}\n\n", html=body
    )
