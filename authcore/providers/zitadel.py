"""ZITADEL: OpenID Connect at your instance (`https://<instance>.zitadel.cloud` or your own
domain)."""

from __future__ import annotations

from typing import Any

from .oauth import OIDCProvider, build_provider

__all__ = ["ZITADEL"]

REGISTER_URL = "https://zitadel.com/docs/guides/manage/console/applications"


def ZITADEL(**options: Any) -> OIDCProvider:
    """`ZITADEL(issuer="https://my-instance.zitadel.cloud")`; or set `AUTH_ZITADEL_ISSUER`."""
    return build_provider(OIDCProvider(id="zitadel", name="ZITADEL"), options)
