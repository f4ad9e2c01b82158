"""Slack: "Sign in with Slack" (OpenID Connect at `https://slack.com`). Auth.js checks the
nonce only; the state is checked too here (Slack returns it), see docs/differences.md."""

from __future__ import annotations

from typing import Any

from .oauth import OIDCProvider, build_provider

__all__ = ["Slack"]

REGISTER_URL = "https://api.slack.com/apps"


def Slack(**options: Any) -> OIDCProvider:
    """`Slack(client_id=..., client_secret=...)`; scope `openid profile email`."""
    defaults = OIDCProvider(
        id="slack",
        name="Slack",
        issuer="https://slack.com",
        checks=("nonce", "state"),
        style={"brandColor": "#611f69"},
    )
    return build_provider(defaults, options)
