"""Hugging Face: OpenID Connect (discovery at `https://huggingface.co`); the user from the
ID token's standard claims."""

from __future__ import annotations

from typing import Any

from .oauth import OIDCProvider, build_provider

__all__ = ["Huggingface"]


def Huggingface(**options: Any) -> OIDCProvider:
    """`Huggingface(client_id=..., client_secret=...)`."""
    defaults = OIDCProvider(
        id="huggingface",
        name="Hugging Face",
        style={"bg": "#FFD21E", "text": "#000"},
        issuer="https://huggingface.co",
        checks=("state", "pkce", "nonce"),
    )
    return build_provider(defaults, options)
