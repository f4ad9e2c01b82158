"""Provider factories by id, so a provider can be found by name (`provider_factory("github")`).

The built-in providers are listed here by module and imported on first lookup, so neither
`import authcore` nor a lookup of one provider loads the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib import import_module
from typing import cast

from ._base import Provider
from .oauth import OAuthProvider

__all__ = ["find_provider", "provider_factory", "register_provider", "registered_providers"]

_FACTORIES: dict[str, Callable[..., OAuthProvider]] = {}
_BUILTINS = {
    "42-school": ("authcore.providers.forty_two_school", "FortyTwo"),
    "bitbucket": ("authcore.providers.bitbucket", "Bitbucket"),
    "box": ("authcore.providers.box", "Box"),
    "click-up": ("authcore.providers.click_up", "ClickUp"),
    "coinbase": ("authcore.providers.coinbase", "Coinbase"),
    "concept2": ("authcore.providers.concept2", "Concept2"),
    "discord": ("authcore.providers.discord", "Discord"),
    "dribbble": ("authcore.providers.dribbble", "Dribbble"),
    "eventbrite": ("authcore.providers.eventbrite", "Eventbrite"),
    "eveonline": ("authcore.providers.eveonline", "EVEOnline"),
    "faceit": ("authcore.providers.faceit", "FACEIT"),
    "figma": ("authcore.providers.figma", "Figma"),
    "freshbooks": ("authcore.providers.freshbooks", "Freshbooks"),
    "github": ("authcore.providers.github", "GitHub"),
    "gitlab": ("authcore.providers.gitlab", "GitLab"),
    "google": ("authcore.providers.google", "Google"),
    "huggingface": ("authcore.providers.huggingface", "Huggingface"),
    "instagram": ("authcore.providers.instagram", "Instagram"),
    "kakao": ("authcore.providers.kakao", "Kakao"),
    "mailchimp": ("authcore.providers.mailchimp", "Mailchimp"),
    "mailru": ("authcore.providers.mailru", "Mailru"),
    "medium": ("authcore.providers.medium", "Medium"),
    "naver": ("authcore.providers.naver", "Naver"),
    "netlify": ("authcore.providers.netlify", "Netlify"),
    "oidc": ("authcore.providers.oidc", "OIDC"),
    "osu": ("authcore.providers.osu", "Osu"),
    "patreon": ("authcore.providers.patreon", "Patreon"),
    "pinterest": ("authcore.providers.pinterest", "Pinterest"),
    "pipedrive": ("authcore.providers.pipedrive", "Pipedrive"),
    "spotify": ("authcore.providers.spotify", "Spotify"),
    "strava": ("authcore.providers.strava", "Strava"),
    "twitch": ("authcore.providers.twitch", "Twitch"),
    "webex": ("authcore.providers.webex", "Webex"),
    "wikimedia": ("authcore.providers.wikimedia", "Wikimedia"),
    "wordpress": ("authcore.providers.wordpress", "WordPress"),
    "yandex": ("authcore.providers.yandex", "Yandex"),
    "zoho": ("authcore.providers.zoho", "Zoho"),
    "zoom": ("authcore.providers.zoom", "Zoom"),
}


def register_provider(provider_id: str, factory: Callable[..., OAuthProvider]) -> None:
    """Make a provider factory findable by id (`provider_factory("instagram")`)."""
    _FACTORIES[provider_id] = factory


def provider_factory(provider_id: str) -> Callable[..., OAuthProvider]:
    factory = _FACTORIES.get(provider_id)
    if factory is not None:
        return factory
    builtin = _BUILTINS.get(provider_id)
    if builtin is None:
        raise KeyError(f"no provider registered with id {provider_id!r}")
    module, name = builtin
    factory = cast("Callable[..., OAuthProvider]", getattr(import_module(module), name))
    _FACTORIES[provider_id] = factory
    return factory


def registered_providers() -> list[str]:
    return sorted({*_FACTORIES, *_BUILTINS})


def find_provider(providers: Iterable[Provider], provider_id: str) -> Provider | None:
    """The configured provider with this id (what `Auth()` routes `/signin/<id>` to)."""
    for provider in providers:
        if provider.id == provider_id:
            return provider
    return None
