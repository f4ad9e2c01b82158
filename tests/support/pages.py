"""Providers and a page renderer shared by the page tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from authcore.pages import Theme, signin_page
from authcore.providers._base import Provider

BASE = "https://app.example.test/api/auth"


@dataclass(frozen=True, kw_only=True)
class CredsProvider(Provider):
    credentials: dict[str, Any] = field(default_factory=dict)


def oauth(pid: str, name: str | None = None, **style: Any) -> Provider:
    return Provider(id=pid, name=name or pid.title(), type="oauth", style=style)


def email(pid: str = "email", name: str = "Email") -> Provider:
    return Provider(id=pid, name=name, type="email")


def creds(pid: str = "credentials", name: str = "Credentials", **fields: Any) -> CredsProvider:
    return CredsProvider(id=pid, name=name, type="credentials", credentials=fields)


def signin_url(p: Provider) -> str:
    return f"{BASE}/signin/{p.id}"


def callback_url_for(p: Provider) -> str:
    return f"{BASE}/callback/{p.id}"


def render_signin(
    providers: Sequence[Provider],
    *,
    csrf_token: str = "csrf-123",
    callback_url: str = "https://app.example.test/dashboard",
    error: str | None = None,
    theme: Theme | None = None,
    nonce: str | None = None,
) -> str:
    return signin_page(
        providers=providers,
        signin_url=signin_url,
        callback_url_for=callback_url_for,
        csrf_token=csrf_token,
        callback_url=callback_url,
        error=error,
        theme=theme or Theme(),
        nonce=nonce,
    )
