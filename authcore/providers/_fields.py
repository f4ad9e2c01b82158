"""Small readers shared by the catalog's profile mappers: a provider may omit any optional
field, and a mapper must then give `None`, never raise or print `None` into a name."""

from __future__ import annotations

from typing import Any

from ..errors import OAuthProviderError

__all__ = ["bad_userinfo", "full_name", "nested", "scope_as_text", "with_bearer_type"]


def nested(profile: Any, *keys: str | int) -> Any:
    """`profile[k1][k2]...`, or None as soon as a level is missing or of the wrong type."""
    value = profile
    for key in keys:
        if isinstance(key, int):
            if not isinstance(value, list) or not -len(value) <= key < len(value):
                return None
        elif not isinstance(value, dict):
            return None
        value = value[key] if isinstance(key, int) else value.get(key)
    return value


def full_name(*parts: Any) -> str | None:
    """Given and family name joined by a space; None when both are missing."""
    text = " ".join(str(p) for p in parts if p)
    return text or None


def with_bearer_type(body: dict[str, Any]) -> dict[str, Any]:
    """For token responses that leave out `token_type` (RFC 6749 §5.1 requires it) although
    the token is a Bearer one: the check for it would otherwise refuse every sign-in."""
    if "access_token" in body and "token_type" not in body:
        return {**body, "token_type": "bearer"}
    return body


def scope_as_text(body: dict[str, Any]) -> dict[str, Any]:
    """For token responses whose `scope` is a JSON array (RFC 6749 §5.1 asks for a
    space-delimited string): joined with spaces; a `scope` of any other type is dropped."""
    scope = body.get("scope")
    if isinstance(scope, list):
        return {**body, "scope": " ".join(str(s) for s in scope)}
    if "scope" in body and scope is not None and not isinstance(scope, str):
        return {k: v for k, v in body.items() if k != "scope"}
    return body


def bad_userinfo(provider_id: str, problem: str) -> OAuthProviderError:
    """The error for a userinfo answer that holds no profile where the provider puts it."""
    return OAuthProviderError(
        f"{provider_id} userinfo: {problem}",
        provider=provider_id,
        endpoint="userinfo",
        reason="bad_userinfo",
    )
