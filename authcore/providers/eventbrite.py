"""Eventbrite: OAuth 2 with the secret in the form body; the address is the primary entry of
`emails`, the picture is built from `image_id`."""

from __future__ import annotations

from typing import Any

from .oauth import Endpoint, OAuthProvider, build_provider

__all__ = ["Eventbrite"]

IMAGE = "https://img.evbuc.com/https%3A%2F%2Fcdn.evbuc.com%2Fimages%2F{}%2F1%2Foriginal.jpg"


def _primary_email(emails: Any) -> str | None:
    for entry in emails if isinstance(emails, list) else []:
        if isinstance(entry, dict) and entry.get("primary"):
            email = entry.get("email")
            return email if isinstance(email, str) else None
    return None


def profile(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
    image_id = profile.get("image_id")
    return {
        "id": profile.get("id"),
        "name": profile.get("name"),
        "email": _primary_email(profile.get("emails")),
        "image": IMAGE.format(image_id) if image_id else None,
    }


def Eventbrite(**options: Any) -> OAuthProvider:
    """`Eventbrite(client_id=..., client_secret=...)`."""
    defaults = OAuthProvider(
        id="eventbrite",
        name="Eventbrite",
        style={"bg": "#f05537", "text": "#fff"},
        authorization=Endpoint(
            "https://www.eventbrite.com/oauth/authorize", (("scope", "user.profile"),)
        ),
        token=Endpoint("https://www.eventbrite.com/oauth/token"),
        userinfo=Endpoint("https://www.eventbriteapi.com/v3/users/me/"),
        token_endpoint_auth_method="client_secret_post",
        profile=profile,
    )
    return build_provider(defaults, options)
