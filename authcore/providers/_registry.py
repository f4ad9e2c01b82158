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

__all__ = [
    "builtin_index",
    "find_provider",
    "provider_factory",
    "register_provider",
    "registered_providers",
]

_FACTORIES: dict[str, Callable[..., OAuthProvider]] = {}
_BUILTINS = {
    "42-school": ("authcore.providers.forty_two_school", "FortyTwo"),
    "apple": ("authcore.providers.apple", "Apple"),
    "asgardeo": ("authcore.providers.asgardeo", "Asgardeo"),
    "atlassian": ("authcore.providers.atlassian", "Atlassian"),
    "auth0": ("authcore.providers.auth0", "Auth0"),
    "authentik": ("authcore.providers.authentik", "Authentik"),
    "azure-ad": ("authcore.providers.azure_ad", "AzureAD"),
    "azure-ad-b2c": ("authcore.providers.azure_ad_b2c", "AzureADB2C"),
    "azure-devops": ("authcore.providers.azure_devops", "AzureDevOps"),
    "bankid-no": ("authcore.providers.bankid_no", "BankIDNorway"),
    "battlenet": ("authcore.providers.battlenet", "BattleNet"),
    "beyondidentity": ("authcore.providers.beyondidentity", "BeyondIdentity"),
    "bitbucket": ("authcore.providers.bitbucket", "Bitbucket"),
    "box": ("authcore.providers.box", "Box"),
    "boxyhq-saml": ("authcore.providers.boxyhq_saml", "BoxyHQSAML"),
    "bungie": ("authcore.providers.bungie", "Bungie"),
    "click-up": ("authcore.providers.click_up", "ClickUp"),
    "cognito": ("authcore.providers.cognito", "Cognito"),
    "coinbase": ("authcore.providers.coinbase", "Coinbase"),
    "concept2": ("authcore.providers.concept2", "Concept2"),
    "descope": ("authcore.providers.descope", "Descope"),
    "discord": ("authcore.providers.discord", "Discord"),
    "dribbble": ("authcore.providers.dribbble", "Dribbble"),
    "dropbox": ("authcore.providers.dropbox", "Dropbox"),
    "duende-identity-server6": (
        "authcore.providers.duende_identity_server6",
        "DuendeIdentityServer6",
    ),
    "eventbrite": ("authcore.providers.eventbrite", "Eventbrite"),
    "eveonline": ("authcore.providers.eveonline", "EVEOnline"),
    "facebook": ("authcore.providers.facebook", "Facebook"),
    "faceit": ("authcore.providers.faceit", "FACEIT"),
    "figma": ("authcore.providers.figma", "Figma"),
    "foursquare": ("authcore.providers.foursquare", "Foursquare"),
    "freshbooks": ("authcore.providers.freshbooks", "Freshbooks"),
    "frontegg": ("authcore.providers.frontegg", "Frontegg"),
    "fusionauth": ("authcore.providers.fusionauth", "FusionAuth"),
    "github": ("authcore.providers.github", "GitHub"),
    "gitlab": ("authcore.providers.gitlab", "GitLab"),
    "google": ("authcore.providers.google", "Google"),
    "hubspot": ("authcore.providers.hubspot", "HubSpot"),
    "huggingface": ("authcore.providers.huggingface", "Huggingface"),
    "hydra": ("authcore.providers.hydra", "OryHydra"),
    "identity-server4": ("authcore.providers.identity_server4", "IdentityServer4"),
    "instagram": ("authcore.providers.instagram", "Instagram"),
    "kakao": ("authcore.providers.kakao", "Kakao"),
    "keycloak": ("authcore.providers.keycloak", "Keycloak"),
    "kinde": ("authcore.providers.kinde", "Kinde"),
    "line": ("authcore.providers.line", "LINE"),
    "linkedin": ("authcore.providers.linkedin", "LinkedIn"),
    "logto": ("authcore.providers.logto", "Logto"),
    "mailchimp": ("authcore.providers.mailchimp", "Mailchimp"),
    "mailru": ("authcore.providers.mailru", "Mailru"),
    "mastodon": ("authcore.providers.mastodon", "Mastodon"),
    "mattermost": ("authcore.providers.mattermost", "Mattermost"),
    "medium": ("authcore.providers.medium", "Medium"),
    "microsoft-entra-id": ("authcore.providers.microsoft_entra_id", "MicrosoftEntraID"),
    "naver": ("authcore.providers.naver", "Naver"),
    "netlify": ("authcore.providers.netlify", "Netlify"),
    "netsuite": ("authcore.providers.netsuite", "NetSuite"),
    "nextcloud": ("authcore.providers.nextcloud", "Nextcloud"),
    "notion": ("authcore.providers.notion", "Notion"),
    "oidc": ("authcore.providers.oidc", "OIDC"),
    "okta": ("authcore.providers.okta", "Okta"),
    "onelogin": ("authcore.providers.onelogin", "OneLogin"),
    "osso": ("authcore.providers.osso", "Osso"),
    "osu": ("authcore.providers.osu", "Osu"),
    "passage": ("authcore.providers.passage", "Passage"),
    "patreon": ("authcore.providers.patreon", "Patreon"),
    "ping-id": ("authcore.providers.ping_id", "PingId"),
    "pinterest": ("authcore.providers.pinterest", "Pinterest"),
    "pipedrive": ("authcore.providers.pipedrive", "Pipedrive"),
    "reddit": ("authcore.providers.reddit", "Reddit"),
    "roblox": ("authcore.providers.roblox", "Roblox"),
    "salesforce": ("authcore.providers.salesforce", "Salesforce"),
    "simplelogin": ("authcore.providers.simplelogin", "SimpleLogin"),
    "slack": ("authcore.providers.slack", "Slack"),
    "spotify": ("authcore.providers.spotify", "Spotify"),
    "strava": ("authcore.providers.strava", "Strava"),
    "threads": ("authcore.providers.threads", "Threads"),
    "tiktok": ("authcore.providers.tiktok", "TikTok"),
    "todoist": ("authcore.providers.todoist", "Todoist"),
    "trakt": ("authcore.providers.trakt", "Trakt"),
    "twitch": ("authcore.providers.twitch", "Twitch"),
    "twitter": ("authcore.providers.twitter", "Twitter"),
    "united-effects": ("authcore.providers.united_effects", "UnitedEffects"),
    "vipps": ("authcore.providers.vipps", "Vipps"),
    "vk": ("authcore.providers.vk", "VK"),
    "webex": ("authcore.providers.webex", "Webex"),
    "wechat": ("authcore.providers.wechat", "WeChat"),
    "wikimedia": ("authcore.providers.wikimedia", "Wikimedia"),
    "wordpress": ("authcore.providers.wordpress", "WordPress"),
    "workos": ("authcore.providers.workos", "WorkOS"),
    "yandex": ("authcore.providers.yandex", "Yandex"),
    "zitadel": ("authcore.providers.zitadel", "ZITADEL"),
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


def builtin_index() -> dict[str, tuple[str, str]]:
    """id -> (module, export) of every provider shipped with authcore, nothing imported."""
    return dict(_BUILTINS)


def registered_providers() -> list[str]:
    return sorted({*_FACTORIES, *_BUILTINS})


def find_provider(providers: Iterable[Provider], provider_id: str) -> Provider | None:
    """The configured provider with this id (what `Auth()` routes `/signin/<id>` to)."""
    for provider in providers:
        if provider.id == provider_id:
            return provider
    return None
