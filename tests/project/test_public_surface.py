"""The public surface, pinned: every public module and the names its `__all__` exports.

A module is public when no part of its dotted name starts with `_` (Django migration
packages aside: Django loads them, users do not). Adding or removing a module or a name fails
here on purpose: update this table in the same commit, and docs/dev/stability.md when the
change touches a stable module (httpx keeps the same kind of test,
`tests/test_exported_members.py`).

The modules are read, not imported: a Django app module cannot be imported before Django is
configured, and reading keeps this check fast.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

import authcore

ROOT = Path(authcore.__file__).parent

PUBLIC_SURFACE: dict[str, set[str]] = {
    "authcore": {
        "AccessDenied",
        "Auth",
        "AuthConfig",
        "AuthError",
        "CallbackRouteError",
        "CallbacksConfig",
        "ConfigError",
        "Cookie",
        "CookieConfig",
        "CredentialsSignin",
        "EventsConfig",
        "ExperimentalConfig",
        "InvalidCheck",
        "InvalidEndpoints",
        "JWTConfig",
        "LimitsConfig",
        "MissingAdapter",
        "MissingAdapterMethods",
        "MissingAuthorize",
        "MissingCSRF",
        "MissingSecret",
        "OAuthCallbackError",
        "PagesConfig",
        "Request",
        "Response",
        "SessionConfig",
        "ThemeConfig",
        "UnsupportedStrategy",
        "UntrustedHost",
        "auth_sync",
        "get_session",
        "get_session_async",
        "get_token",
        "validate_config",
    },
    "authcore.actions": {"dispatch"},
    "authcore.actions.callback": {"callback", "complete_sign_in"},
    "authcore.actions.email": {"email_callback", "send_token"},
    "authcore.actions.pages": {"get_error", "get_signin", "get_signout", "get_verify_request"},
    "authcore.actions.session": {
        "SessionAnswer",
        "database_no_user_code",
        "iso_datetime",
        "iso_expires",
        "kept_issue",
        "no_user_code",
        "read",
        "read_database",
        "read_plain",
        "session",
        "session_user",
    },
    "authcore.actions.signin": {"signin"},
    "authcore.actions.signout": {"signout"},
    "authcore.actions.webauthn": {"webauthn_callback", "webauthn_options"},
    "authcore.adapters": {"Session", "SessionUser"},
    "authcore.adapters.django": {
        "AuthMiddleware",
        "Session",
        "SessionUser",
        "acsrf_token",
        "aget_session",
        "asign_in",
        "asign_out",
        "auth_urls",
        "auth_view",
        "auth_view_async",
        "csrf_token",
        "get_config",
        "get_provider",
        "get_session",
        "get_token",
        "limit_auth_bodies",
        "login_required",
        "request_headers",
        "sign_in",
        "sign_out",
        "urlpatterns",
    },
    "authcore.adapters.flask": {
        "AuthCore",
        "Session",
        "SessionUser",
        "csrf_token",
        "get_session",
        "get_token",
        "login_required",
        "sign_in",
        "sign_out",
    },
    "authcore.adapters.nextjs": {
        "CSRF_HEADER",
        "DatabaseSessionToken",
        "NextAuthReader",
        "ReadResult",
        "Session",
        "SessionUser",
        "get_token",
        "reader_from_options",
        "secrets_from_env",
    },
    "authcore.adapters.nextjs.django": {
        "NextAuthContext",
        "NextAuthMiddleware",
        "Session",
        "get_nextauth",
        "get_reader",
        "nextauth_csrf_protect",
        "nextauth_required",
        "unauthorized",
    },
    "authcore.adapters.nextjs.fastapi": {
        "NextAuthSession",
        "Session",
        "to_request",
        "unauthorized",
    },
    "authcore.adapters.nextjs.flask": {
        "NextAuth",
        "Session",
        "get_nextauth_result",
        "get_nextauth_session",
        "get_nextauth_token",
        "nextauth_csrf_protect",
        "nextauth_required",
        "unauthorized",
        "verify_nextauth_csrf",
    },
    "authcore.adapters.starlette": {
        "AuthMiddleware",
        "Session",
        "SessionUser",
        "StarletteAuth",
        "requires_auth",
        "to_auth_request",
    },
    "authcore.cli": {"COMMANDS", "build_parser", "main"},
    "authcore.errors": {
        "AccessDenied",
        "AccountNotLinked",
        "AdapterError",
        "AuthError",
        "CLIENT_SAFE_TYPES",
        "CallbackRouteError",
        "ConfigError",
        "EmailSignInError",
        "ExperimentalFeatureNotEnabled",
        "CredentialsSignin",
        "ErrorPageLoop",
        "EventError",
        "InvalidCallbackUrl",
        "InvalidCheck",
        "InvalidEndpoints",
        "InvalidProvider",
        "JWTSessionError",
        "MissingAdapter",
        "MissingAdapterMethods",
        "MissingAuthorize",
        "MissingCSRF",
        "MissingSecret",
        "OAuthAccountNotLinked",
        "OAuthCallbackError",
        "OAuthProfileParseError",
        "OAuthProviderError",
        "OAuthSignInError",
        "SignInError",
        "SessionTokenError",
        "SignOutError",
        "UnknownAction",
        "UnsupportedStrategy",
        "UntrustedHost",
        "WebAuthnVerificationError",
    },
    "authcore.jose": {"InvalidToken", "InvalidTokenCode"},
    "authcore.jose.base64url": {"decode", "encode"},
    "authcore.jose.errors": {"InvalidToken", "InvalidTokenCode"},
    "authcore.jose.jwa": {"ENCRYPTIONS", "Enc", "Encryption", "decrypt", "encrypt"},
    "authcore.jose.jwe": {
        "DEFAULT_MAX_LENGTH",
        "KeyResolver",
        "MAX_HEADER_LENGTH",
        "decrypt_compact",
        "encrypt_compact",
    },
    "authcore.jose.jwk": {
        "ALG_KEY_TYPES",
        "JWKSet",
        "PublicKey",
        "PublicKeyType",
        "import_public_key",
        "oct_thumbprint",
        "thumbprint",
    },
    "authcore.jose.jws": {
        "DEFAULT_MAX_LENGTH",
        "HMAC_ALGORITHMS",
        "SUPPORTED_ALGORITHMS",
        "sign_compact",
        "verify_compact",
        "verify_compact_hmac",
    },
    "authcore.jwt": {
        "DEFAULT_MAX_AGE",
        "InvalidToken",
        "decode",
        "decode_v4",
        "encode",
        "encode_v4",
        "get_token",
    },
    "authcore.nextjs": {
        "DatabaseSessionToken",
        "Generation",
        "NextAuthReader",
        "ReadReason",
        "ReadResult",
        "Session",
        "SessionReader",
        "SessionUser",
        "get_token",
        "secrets_from_env",
    },
    "authcore.oauth": {
        "CallbackContext",
        "CallbackOutcome",
        "Metadata",
        "PROTECTED_PARAMS",
        "ProviderErrorBody",
        "SigninStart",
        "async_refresh_access_token",
        "begin_signin",
        "clear_caches",
        "finish_callback",
        "parse_error_body",
        "refresh_access_token",
    },
    "authcore.pages": {
        "ERROR_PAGES",
        "email_confirm_page",
        "SIGNIN_CANCELLED",
        "SIGNIN_ERRORS",
        "Theme",
        "error_page",
        "signin_page",
        "signout_page",
        "verify_request_page",
    },
    "authcore.providers": {
        "Provider",
        "provider_factory",
        "register_provider",
        "registered_providers",
    },
    "authcore.providers.apple": {"Apple", "AppleProvider"},
    "authcore.providers.asgardeo": {"Asgardeo"},
    "authcore.providers.atlassian": {"Atlassian"},
    "authcore.providers.auth0": {"Auth0"},
    "authcore.providers.authentik": {"Authentik"},
    "authcore.providers.azure_ad": {"AzureAD"},
    "authcore.providers.azure_ad_b2c": {"AzureADB2C", "AzureADB2CProvider"},
    "authcore.providers.azure_devops": {"AzureDevOps", "AzureDevOpsProvider"},
    "authcore.providers.bankid_no": {"BankIDNorway"},
    "authcore.providers.battlenet": {"BattleNet"},
    "authcore.providers.beyondidentity": {"BeyondIdentity"},
    "authcore.providers.bitbucket": {"Bitbucket"},
    "authcore.providers.box": {"Box"},
    "authcore.providers.boxyhq_saml": {"BoxyHQSAML"},
    "authcore.providers.bungie": {"Bungie", "BungieProvider"},
    "authcore.providers.catalog": {"CatalogEntry", "DOCS_DIR", "entries", "entry", "ids"},
    "authcore.providers.click_up": {"ClickUp"},
    "authcore.providers.cognito": {"Cognito"},
    "authcore.providers.coinbase": {"Coinbase"},
    "authcore.providers.concept2": {"Concept2"},
    "authcore.providers.credentials": {"Credentials"},
    "authcore.providers.descope": {"Descope", "DescopeProvider"},
    "authcore.providers.discord": {"Discord"},
    "authcore.providers.dribbble": {"Dribbble"},
    "authcore.providers.dropbox": {"Dropbox", "DropboxProvider"},
    "authcore.providers.duende_identity_server6": {"DuendeIdentityServer6"},
    "authcore.providers.eventbrite": {"Eventbrite"},
    "authcore.providers.eveonline": {"EVEOnline"},
    "authcore.providers.facebook": {"Facebook"},
    "authcore.providers.faceit": {"FACEIT"},
    "authcore.providers.figma": {"Figma"},
    "authcore.providers.forty_two_school": {"FortyTwo"},
    "authcore.providers.foursquare": {"Foursquare", "FoursquareProvider"},
    "authcore.providers.freshbooks": {"Freshbooks"},
    "authcore.providers.frontegg": {"Frontegg"},
    "authcore.providers.fusionauth": {"FusionAuth"},
    "authcore.providers.github": {"GitHub", "GitHubProvider"},
    "authcore.providers.gitlab": {"GitLab"},
    "authcore.providers.google": {"Google"},
    "authcore.providers.hubspot": {"HubSpot", "HubSpotProvider"},
    "authcore.providers.huggingface": {"Huggingface"},
    "authcore.providers.hydra": {"OryHydra"},
    "authcore.providers.identity_server4": {"IdentityServer4"},
    "authcore.providers.instagram": {
        "DEFAULT_FIELDS",
        "DEFAULT_GRAPH_VERSION",
        "EXCHANGE_FAILED_WARNING",
        "Instagram",
        "InstagramProvider",
        "LEGACY_SCOPES",
        "LONG_LIVED_SECONDS",
        "async_refresh_long_lived_token",
        "conform_instagram_token",
        "refresh_long_lived_token",
    },
    "authcore.providers.kakao": {"Kakao"},
    "authcore.providers.keycloak": {"Keycloak"},
    "authcore.providers.kinde": {"Kinde"},
    "authcore.providers.line": {"LINE", "LINEProvider"},
    "authcore.providers.linkedin": {"LinkedIn"},
    "authcore.providers.logto": {"Logto"},
    "authcore.providers.mailchimp": {"Mailchimp"},
    "authcore.providers.mailgun": {"Mailgun", "MailgunProvider"},
    "authcore.providers.mailru": {"Mailru"},
    "authcore.providers.mastodon": {"Mastodon", "MastodonProvider"},
    "authcore.providers.mattermost": {"Mattermost"},
    "authcore.providers.medium": {"Medium"},
    "authcore.providers.microsoft_entra_id": {"MicrosoftEntraID", "MicrosoftEntraIDProvider"},
    "authcore.providers.naver": {"Naver"},
    "authcore.providers.netlify": {"Netlify"},
    "authcore.providers.netsuite": {"NetSuite", "NetSuiteProvider"},
    "authcore.providers.nextcloud": {"Nextcloud", "NextcloudProvider"},
    "authcore.providers.email": {
        "EmailContent",
        "EmailProvider",
        "SendLimit",
        "VerificationRequest",
        "render_email",
    },
    "authcore.providers.passkey": {"DEFAULT_WEBAUTHN_TIMEOUT", "Passkey", "WebAuthnProvider"},
    "authcore.providers.nodemailer": {"Email", "Nodemailer", "NodemailerProvider"},
    "authcore.providers.notion": {"Notion", "NotionProvider"},
    "authcore.providers.oauth": {
        "AccountFn",
        "ClientAuthMethod",
        "ConformFn",
        "Endpoint",
        "OAuthProvider",
        "OIDCProvider",
        "ProfileFn",
        "UserinfoRequestFn",
        "build_provider",
    },
    "authcore.providers.oidc": {"OIDC"},
    "authcore.providers.okta": {"Okta"},
    "authcore.providers.onelogin": {"OneLogin"},
    "authcore.providers.osso": {"Osso"},
    "authcore.providers.osu": {"Osu"},
    "authcore.providers.passage": {"Passage"},
    "authcore.providers.patreon": {"Patreon"},
    "authcore.providers.ping_id": {"PingId"},
    "authcore.providers.pinterest": {"Pinterest"},
    "authcore.providers.pipedrive": {"Pipedrive"},
    "authcore.providers.postmark": {"Postmark", "PostmarkProvider"},
    "authcore.providers.reddit": {"Reddit"},
    "authcore.providers.resend": {"Resend", "ResendProvider"},
    "authcore.providers.roblox": {"Roblox"},
    "authcore.providers.salesforce": {"Salesforce"},
    "authcore.providers.sendgrid": {"SendGrid", "SendGridProvider"},
    "authcore.providers.simplelogin": {"SimpleLogin"},
    "authcore.providers.slack": {"Slack"},
    "authcore.providers.spotify": {"Spotify"},
    "authcore.providers.strava": {"Strava"},
    "authcore.providers.threads": {"Threads", "ThreadsProvider"},
    "authcore.providers.tiktok": {"TikTok", "TikTokProvider"},
    "authcore.providers.todoist": {"Todoist", "TodoistProvider"},
    "authcore.providers.trakt": {"Trakt", "TraktProvider"},
    "authcore.providers.twitch": {"Twitch"},
    "authcore.providers.twitter": {"Twitter"},
    "authcore.providers.united_effects": {"UnitedEffects"},
    "authcore.providers.vipps": {"Vipps"},
    "authcore.providers.vk": {"VK", "VKProvider"},
    "authcore.providers.webex": {"Webex"},
    "authcore.providers.wechat": {"WeChat", "WeChatProvider"},
    "authcore.providers.wikimedia": {"Wikimedia"},
    "authcore.providers.wordpress": {"WordPress"},
    "authcore.providers.workos": {"WorkOS", "WorkOSProvider"},
    "authcore.providers.yandex": {"Yandex"},
    "authcore.providers.zitadel": {"ZITADEL"},
    "authcore.providers.zoho": {"Zoho"},
    "authcore.providers.zoom": {"Zoom"},
    "authcore.stores": {
        "ACCOUNT_TOKEN_FIELDS",
        "AccountType",
        "AdapterAccount",
        "AdapterAuthenticator",
        "AdapterSession",
        "AdapterUser",
        "AsyncStore",
        "EMAIL_METHODS",
        "ProviderAccountKey",
        "SESSION_METHODS",
        "SessionAndUser",
        "Store",
        "VerificationToken",
        "WEBAUTHN_METHODS",
    },
    "authcore.stores.django": {
        "AsyncDjangoStore",
        "DjangoStore",
        "DjangoStoreError",
        "UserBridgeMiddleware",
        "UserMapping",
    },
    "authcore.stores.django.apps": {"AuthcoreStoreConfig"},
    "authcore.stores.django.models": {
        "Account",
        "Authenticator",
        "Session",
        "USER_MODEL",
        "User",
        "VerificationToken",
    },
    "authcore.stores.memory": {"AsyncMemoryStore", "MemoryStore"},
    "authcore.stores.sqlalchemy": {
        "AsyncSQLAlchemyStore",
        "DEFAULT_NAMES",
        "DEFAULT_URL",
        "SQLAlchemyStore",
        "StoreSchemaError",
        "StoreURLError",
        "UTCDateTime",
        "build_tables",
    },
    "authcore.stores.redis": {
        "AsyncRedisStore",
        "DEFAULT_PREFIX",
        "DEFAULT_RETAIN",
        "Keys",
        "RedisSendLimit",
        "RedisStore",
        "RedisStoreError",
    },
    "authcore.testing": {
        "BodyFault",
        "MockEmailAPI",
        "SentMail",
        "ClientAuth",
        "Faults",
        "Flavour",
        "IdTokenAlg",
        "IdTokenFault",
        "InstagramTokenShape",
        "InstagramUser",
        "MAX_DELAY",
        "MockClient",
        "MockIdP",
        "OAuth2Email",
        "OAuth2User",
        "OIDCUser",
        "PurgeConformance",
        "RecordedRequest",
        "Scripted",
        "SignInFailed",
        "SignInResult",
        "StoreConformance",
        "TokenCall",
        "WebAuthnConformance",
        "async_sign_in",
        "sign_in",
    },
    "authcore.testing.pytest_plugin": {"mock_idp", "mock_idp_server"},
}


@cache
def _module_files() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = ["authcore", *path.relative_to(ROOT).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        if any(part.startswith("_") for part in parts) or "migrations" in parts:
            continue
        found[".".join(parts)] = path
    return found


def _bound_names(body: list[ast.stmt]) -> set[str]:
    """Names a module binds at its top level (conditional blocks included)."""
    names: set[str] = set()
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, (ast.If, ast.Try)):
            names |= _bound_names(node.body) | _bound_names(node.orelse)
            for handler in getattr(node, "handlers", []):
                names |= _bound_names(handler.body)
            names |= _bound_names(getattr(node, "finalbody", []))
    return names


def _exports(path: Path) -> tuple[list[str] | None, set[str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    exported = None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            exported = list(ast.literal_eval(node.value))
    return exported, _bound_names(tree.body)


def test_every_public_module_is_listed() -> None:
    assert sorted(_module_files()) == sorted(PUBLIC_SURFACE)


@pytest.mark.parametrize("name", sorted(PUBLIC_SURFACE))
def test_exported_members(name: str) -> None:
    exported, bound = _exports(_module_files()[name])
    assert exported is not None, f"{name} has no __all__"
    assert len(exported) == len(set(exported)), f"{name}.__all__ repeats a name"
    assert set(exported) == PUBLIC_SURFACE[name]
    missing = [member for member in exported if member not in bound]
    assert missing == [], f"{name}.__all__ names what the module does not define"


def test_the_reader_agrees_with_an_import() -> None:
    import authcore.jwt

    exported, bound = _exports(_module_files()["authcore.jwt"])
    assert exported == authcore.jwt.__all__
    assert set(exported) <= bound
