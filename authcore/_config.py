"""The config dict users write (`AuthConfig`) and its normalised, immutable form (`Options`).

A config is normalised once and cached by identity: treat the dict as immutable after its
first use. Every problem raises `ConfigError` naming the option (`details["option"]`), at
start-up when the adapters call `validate_config`, otherwise at the first request.
"""

from __future__ import annotations

import os
import re
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Literal, TypedDict, cast
from urllib.parse import urlsplit

from ._env import parse_bool, provider_env, read_env
from ._logging import ConfiguredLogger, build_logger
from ._options import CookieDef, CookieDefs, Limits, default_cookies
from .errors import ConfigError
from .providers._base import Provider

if TYPE_CHECKING:  # httpx and asyncio load on first network use (import time)
    import asyncio

    import httpx

__all__ = [
    "AuthConfig",
    "CallbacksConfig",
    "CookieConfig",
    "EventsConfig",
    "JWTConfig",
    "LimitsConfig",
    "Options",
    "PagesConfig",
    "SessionConfig",
    "ThemeConfig",
    "normalise",
    "validate_config",
]

UserFn = Callable[..., Any]


class SessionConfig(TypedDict, total=False):
    strategy: Literal["jwt", "database"]
    max_age: int
    update_age: int


class JWTConfig(TypedDict, total=False):
    max_age: int
    encode: UserFn
    decode: UserFn


class CallbacksConfig(TypedDict, total=False):
    sign_in: UserFn
    redirect: UserFn
    session: UserFn
    jwt: UserFn


class EventsConfig(TypedDict, total=False):
    sign_in: UserFn
    sign_out: UserFn
    session: UserFn


class PagesConfig(TypedDict, total=False):
    sign_in: str
    sign_out: str
    error: str
    verify_request: str
    new_user: str


class ThemeConfig(TypedDict, total=False):
    color_scheme: Literal["auto", "dark", "light"]
    logo: str
    brand_color: str
    button_text: str


class CookieConfig(TypedDict, total=False):
    name: str
    http_only: bool
    same_site: Literal["lax", "strict", "none"]
    path: str
    secure: bool
    max_age: int
    domain: str


class LimitsConfig(TypedDict, total=False):
    max_url_bytes: int
    max_header_bytes: int
    max_cookie_header_bytes: int
    max_cookies: int
    max_body_bytes: int
    max_token_chars: int
    max_session_chunks: int
    max_check_cookie_chars: int
    max_callback_url_chars: int
    idp_timeout: float
    idp_max_response_bytes: int


class AuthConfig(TypedDict, total=False):
    providers: Sequence[Any]
    secret: str | Sequence[str]
    url: str
    trust_host: bool
    base_path: str
    use_secure_cookies: bool
    cookies: Mapping[str, CookieConfig]
    session: SessionConfig
    jwt: JWTConfig
    callbacks: CallbacksConfig
    events: EventsConfig
    pages: PagesConfig
    theme: ThemeConfig
    debug: bool
    logger: Any
    skip_csrf_check: bool
    limits: LimitsConfig
    env: Mapping[str, str]
    clock: Callable[[], float]
    http_client: httpx.Client
    async_http_client: httpx.AsyncClient


DEFAULT_BASE_PATH = "/api/auth"
DEFAULT_MAX_AGE = 30 * 24 * 60 * 60
DEFAULT_UPDATE_AGE = 24 * 60 * 60

_TOP_KEYS = frozenset(AuthConfig.__annotations__)
_NESTED_KEYS: dict[str, frozenset[str]] = {
    "session": frozenset(SessionConfig.__annotations__),
    "jwt": frozenset(JWTConfig.__annotations__),
    "callbacks": frozenset(CallbacksConfig.__annotations__),
    "events": frozenset(EventsConfig.__annotations__),
    "pages": frozenset(PagesConfig.__annotations__),
    "theme": frozenset(ThemeConfig.__annotations__),
    "limits": frozenset(LimitsConfig.__annotations__),
}
_COOKIE_KEYS = frozenset(f.name for f in fields(CookieDefs))
_COOKIE_OPTION_KEYS = frozenset(CookieConfig.__annotations__) | {"options"}


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def _unknown(option: str, key: str, known: frozenset[str]) -> ConfigError:
    hint = ""
    snake = _snake(key)
    if snake in known and snake != key:
        hint = f" Did you mean {snake!r}? (options are snake_case)"
    else:
        import difflib

        close = difflib.get_close_matches(key, sorted(known), n=1)
        if close:
            hint = f" Did you mean {close[0]!r}?"
    return ConfigError(f"Unknown option {option!r}.{hint}", option=option)


def _check_keys(value: Mapping[str, Any], known: frozenset[str], prefix: str) -> None:
    for key in value:
        if not isinstance(key, str) or key not in known:
            raise _unknown(f"{prefix}{key}", str(key), known)


def _mapping(config: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = config.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigError(f"{key!r} must be a dict", option=key)
    _check_keys(value, _NESTED_KEYS[key], f"{key}.")
    return value


def _bool(value: Any, option: str, default: bool) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ConfigError(f"{option!r} must be True or False", option=option)
    return value


def _positive_int(value: Any, option: str, default: int, *, allow_zero: bool = False) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < (0 if allow_zero else 1):
        raise ConfigError(f"{option!r} must be a positive integer (seconds)", option=option)
    return value


def _callable(value: Any, option: str) -> UserFn | None:
    if value is None:
        return None
    if not callable(value):
        raise ConfigError(f"{option!r} must be callable", option=option)
    return cast(UserFn, value)


def adapt_kwargs(fn: UserFn) -> UserFn:
    """Let callbacks declare only the keyword arguments they use (`def jwt(*, token)`)."""
    import inspect

    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return fn
    params = sig.parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return fn
    names = frozenset(
        p.name
        for p in params
        if p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    )

    def adapted(**kwargs: Any) -> Any:
        return fn(**{k: v for k, v in kwargs.items() if k in names})

    return adapted


@dataclass(frozen=True, slots=True)
class Callbacks:
    sign_in: UserFn | None
    redirect: UserFn | None
    session: UserFn | None
    jwt: UserFn | None


@dataclass(frozen=True, slots=True)
class Events:
    sign_in: UserFn | None
    sign_out: UserFn | None
    session: UserFn | None


@dataclass(frozen=True, slots=True)
class Pages:
    sign_in: str | None = None
    sign_out: str | None = None
    error: str | None = None
    verify_request: str | None = None
    new_user: str | None = None


class _Clients:
    """One pooled httpx client per config: a sync one and one AsyncClient per event loop
    (an AsyncClient must not be shared across loops). Created on first network use."""

    def __init__(self, sync: httpx.Client | None, async_: httpx.AsyncClient | None) -> None:
        self._sync = sync
        self._async_injected = async_
        self._by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient]
        self._by_loop = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def sync(self) -> httpx.Client:
        with self._lock:
            if self._sync is None:
                import httpx

                self._sync = httpx.Client(follow_redirects=False)
            return self._sync

    def for_loop(self) -> httpx.AsyncClient:
        if self._async_injected is not None:
            return self._async_injected
        import asyncio

        loop = asyncio.get_running_loop()
        with self._lock:
            client = self._by_loop.get(loop)
            if client is None:
                import httpx

                client = httpx.AsyncClient(follow_redirects=False)
                self._by_loop[loop] = client
            return client


@dataclass(frozen=True, slots=True)
class Options:
    """A normalised config. Built once; shared by every request using that config dict."""

    providers: tuple[Provider, ...]
    secrets: tuple[str, ...]
    url_origin: str | None  # configured origin (config `url` / AUTH_URL): wins over the request
    base_path: str
    trust_host: bool
    use_secure_cookies: bool | None
    cookies_plain: CookieDefs
    cookies_secure: CookieDefs
    session_max_age: int
    jwt_max_age: int
    jwt_encode: UserFn | None
    jwt_decode: UserFn | None
    callbacks: Callbacks
    events: Events
    pages: Pages
    theme: Mapping[str, str]
    debug: bool
    logger: ConfiguredLogger
    skip_csrf_check: bool
    limits: Limits
    clock: Callable[[], float]
    clients: _Clients = field(repr=False)
    provider_map: Mapping[str, Provider] = field(repr=False)

    def cookies(self, secure: bool) -> CookieDefs:
        return self.cookies_secure if secure else self.cookies_plain


def _secrets(config: Mapping[str, Any], env_secrets: tuple[str, ...]) -> tuple[str, ...]:
    raw = config.get("secret")
    if raw is None or (isinstance(raw, (str, list)) and not raw):
        if not env_secrets:
            raise ConfigError(
                "Please define a `secret` (config 'secret' or the AUTH_SECRET env variable). "
                "Generate one with `authcore secret`.",
                option="secret",
            )
        return env_secrets
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, Sequence) or isinstance(items, (bytes, bytearray)):
        raise ConfigError("'secret' must be a string or a list of strings", option="secret")
    out: list[str] = []
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise ConfigError(
                "'secret' entries must be non-empty, non-blank strings", option="secret"
            )
        out.append(item)
    return tuple(out)


def _parse_url(value: Any, option: str) -> tuple[str, str]:
    """(origin, path) of a configured URL such as AUTH_URL."""
    if not isinstance(value, str):
        raise ConfigError(f"{option!r} must be a URL string", option=option)
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError as exc:
        raise ConfigError(f"{option!r} is not a valid URL", option=option, cause=exc) from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{option!r} must be an absolute http(s) URL", option=option)
    if parts.username is not None or parts.password is not None or parts.query or parts.fragment:
        raise ConfigError(
            f"{option!r} must not carry credentials, a query or a fragment", option=option
        )
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    default_port = 443 if parts.scheme == "https" else 80
    netloc = host if port in (None, default_port) else f"{host}:{port}"
    return f"{parts.scheme}://{netloc}", parts.path.rstrip("/")


def _base_path(value: Any) -> str:
    if not isinstance(value, str) or not value.startswith("/"):
        raise ConfigError("'base_path' must be a path starting with '/'", option="base_path")
    if any(c in value for c in "?#%\\") or any(c.isspace() or ord(c) < 0x20 for c in value):
        raise ConfigError(
            "'base_path' must be a plain path (no query, fragment, escapes or spaces)",
            option="base_path",
        )
    return value.rstrip("/")


def _cookie_defs(overrides: Mapping[str, Any], secure: bool) -> CookieDefs:
    base = default_cookies(secure)
    changes: dict[str, CookieDef] = {}
    for key, override in overrides.items():
        option = f"cookies.{key}"
        if not isinstance(override, Mapping):
            raise ConfigError(f"{option!r} must be a dict", option=option)
        _check_keys(override, _COOKIE_OPTION_KEYS, f"{option}.")
        flat = {k: v for k, v in override.items() if k != "options"}
        nested = override.get("options") or {}
        if not isinstance(nested, Mapping):
            raise ConfigError(f"'{option}.options' must be a dict", option=f"{option}.options")
        _check_keys(nested, _COOKIE_OPTION_KEYS - {"options", "name"}, f"{option}.options.")
        merged = {**nested, **flat}
        current: CookieDef = getattr(base, key)
        try:
            new = CookieDef(
                name=_str_opt(merged.get("name", current.name), f"{option}.name"),
                http_only=_bool(merged.get("http_only"), f"{option}.http_only", current.http_only),
                same_site=merged.get("same_site", current.same_site),
                path=_str_opt(merged.get("path", current.path), f"{option}.path"),
                secure=_bool(merged.get("secure"), f"{option}.secure", current.secure),
                max_age=merged.get("max_age", current.max_age),
                domain=merged.get("domain", current.domain),
            )
        except TypeError as exc:  # pragma: no cover - defensive
            raise ConfigError(f"{option!r} is invalid", option=option, cause=exc) from exc
        if new.same_site not in ("lax", "strict", "none"):
            raise ConfigError(
                f"'{option}.same_site' must be 'lax', 'strict' or 'none'",
                option=f"{option}.same_site",
            )
        if not re.fullmatch(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+", new.name):
            raise ConfigError(f"'{option}.name' is not a valid cookie name", option=option)
        changes[key] = new
    return CookieDefs(**{f.name: changes.get(f.name, getattr(base, f.name)) for f in fields(base)})


def _str_opt(value: Any, option: str) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{option!r} must be a non-empty string", option=option)
    return value


def _limits(raw: Mapping[str, Any]) -> Limits:
    values: dict[str, Any] = {}
    for key, value in raw.items():
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0
        if key != "idp_timeout":
            ok = ok and isinstance(value, int)
        if not ok:
            raise ConfigError(f"'limits.{key}' must be a positive number", option=f"limits.{key}")
        values[key] = value
    return Limits(**values)


def _providers(raw: Any, env: Mapping[str, str]) -> tuple[Provider, ...]:
    if raw is None:
        raw = []
    if not isinstance(raw, Sequence) or isinstance(raw, (str, bytes)):
        raise ConfigError("'providers' must be a list of providers", option="providers")
    out: list[Provider] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw):
        option = f"providers[{i}]"
        provider = entry
        if not isinstance(provider, Provider) and callable(provider):
            provider = provider()
        if not isinstance(provider, Provider):
            raise ConfigError(
                f"{option} is not a provider (import one from authcore.providers.<name>)",
                option=option,
            )
        if not re.fullmatch(r"[A-Za-z0-9_-]+", provider.id):
            raise ConfigError(f"{option}: invalid provider id {provider.id!r}", option=option)
        if provider.id in seen:
            raise ConfigError(f"{option}: duplicate provider id {provider.id!r}", option=option)
        seen.add(provider.id)
        provider = provider.with_env_defaults(**provider_env(env, provider.id))
        try:
            provider.validate()
        except ConfigError as exc:
            exc.details.setdefault("option", option)
            raise
        out.append(provider)
    return tuple(out)


def _build(config: Mapping[str, Any]) -> Options:
    if not isinstance(config, Mapping):
        raise ConfigError("the config must be a dict", option="config")
    _check_keys(config, _TOP_KEYS, "")
    env = config.get("env", os.environ)
    if not isinstance(env, Mapping):
        raise ConfigError("'env' must be a mapping", option="env")
    env_defaults = read_env(env)

    secrets = _secrets(config, env_defaults.secrets)

    url_origin: str | None = None
    url_path = ""
    if config.get("url") is not None:
        url_origin, url_path = _parse_url(config["url"], "url")
    elif env_defaults.url is not None:
        url_origin, url_path = _parse_url(env_defaults.url, "AUTH_URL")

    if config.get("base_path") is not None:
        base_path = _base_path(config["base_path"])
    else:
        base_path = url_path or DEFAULT_BASE_PATH

    if config.get("trust_host") is not None:
        trust_host = _bool(config["trust_host"], "trust_host", False)
    elif env_defaults.trust_host is not None:
        env_trust = parse_bool(env_defaults.trust_host)
        if env_trust is None:
            raise ConfigError(
                "AUTH_TRUST_HOST must be true/false (1/0, yes/no, on/off)",
                option="AUTH_TRUST_HOST",
            )
        trust_host = env_trust
    else:
        trust_host = False

    use_secure = config.get("use_secure_cookies")
    if use_secure is not None:
        _bool(use_secure, "use_secure_cookies", False)

    cookie_overrides = config.get("cookies") or {}
    if not isinstance(cookie_overrides, Mapping):
        raise ConfigError("'cookies' must be a dict", option="cookies")
    _check_keys(cookie_overrides, _COOKIE_KEYS, "cookies.")

    session = _mapping(config, "session")
    strategy = session.get("strategy", "jwt")
    if strategy == "database":
        raise ConfigError(
            "session strategy 'database' needs an adapter, and authcore has no database "
            "adapters yet: use 'jwt' (the default)",
            option="session.strategy",
        )
    if strategy != "jwt":
        raise ConfigError("'session.strategy' must be 'jwt'", option="session.strategy")
    session_max_age = _positive_int(session.get("max_age"), "session.max_age", DEFAULT_MAX_AGE)
    _positive_int(session.get("update_age"), "session.update_age", DEFAULT_UPDATE_AGE)

    jwt = _mapping(config, "jwt")
    jwt_max_age = _positive_int(jwt.get("max_age"), "jwt.max_age", session_max_age)
    jwt_encode = _callable(jwt.get("encode"), "jwt.encode")
    jwt_decode = _callable(jwt.get("decode"), "jwt.decode")

    cb = _mapping(config, "callbacks")
    ev = _mapping(config, "events")

    def fn(section: Mapping[str, Any], prefix: str, key: str) -> UserFn | None:
        value = _callable(section.get(key), f"{prefix}.{key}")
        return adapt_kwargs(value) if value is not None else None

    callbacks = Callbacks(
        sign_in=fn(cb, "callbacks", "sign_in"),
        redirect=fn(cb, "callbacks", "redirect"),
        session=fn(cb, "callbacks", "session"),
        jwt=fn(cb, "callbacks", "jwt"),
    )
    events = Events(
        sign_in=fn(ev, "events", "sign_in"),
        sign_out=fn(ev, "events", "sign_out"),
        session=fn(ev, "events", "session"),
    )

    pages_raw = _mapping(config, "pages")
    for key, value in pages_raw.items():
        if not isinstance(value, str) or not value.startswith("/") or value.startswith("//"):
            raise ConfigError(
                f"'pages.{key}' must be a path on this site starting with '/'",
                option=f"pages.{key}",
            )
    pages = Pages(**pages_raw)

    theme_raw = _mapping(config, "theme")
    theme = {"color_scheme": "auto", "logo": "", "brand_color": "", "button_text": ""}
    for key, value in theme_raw.items():
        if not isinstance(value, str):
            raise ConfigError(f"'theme.{key}' must be a string", option=f"theme.{key}")
    if theme_raw.get("color_scheme", "auto") not in ("auto", "dark", "light"):
        raise ConfigError(
            "'theme.color_scheme' must be 'auto', 'dark' or 'light'", option="theme.color_scheme"
        )
    theme.update(theme_raw)

    debug = _bool(config.get("debug"), "debug", False)
    logger = build_logger(config.get("logger"), debug=debug)
    if debug:
        logger.warn("debug-enabled")

    clock = config.get("clock") or time.time
    if not callable(clock):
        raise ConfigError("'clock' must be callable", option="clock")
    http_client = config.get("http_client")
    async_client = config.get("async_http_client")
    if http_client is not None or async_client is not None:
        import httpx
    if http_client is not None and not isinstance(http_client, httpx.Client):
        raise ConfigError("'http_client' must be an httpx.Client", option="http_client")
    if async_client is not None and not isinstance(async_client, httpx.AsyncClient):
        raise ConfigError(
            "'async_http_client' must be an httpx.AsyncClient", option="async_http_client"
        )

    providers = _providers(config.get("providers"), env)
    skip_csrf = _bool(config.get("skip_csrf_check"), "skip_csrf_check", False)
    if skip_csrf:
        logger.warn("csrf-disabled")

    return Options(
        providers=providers,
        secrets=secrets,
        url_origin=url_origin,
        base_path=base_path,
        trust_host=trust_host,
        use_secure_cookies=use_secure,
        cookies_plain=_cookie_defs(cookie_overrides, False),
        cookies_secure=_cookie_defs(cookie_overrides, True),
        session_max_age=session_max_age,
        jwt_max_age=jwt_max_age,
        jwt_encode=jwt_encode,
        jwt_decode=jwt_decode,
        callbacks=callbacks,
        events=events,
        pages=pages,
        theme=theme,
        debug=debug,
        logger=logger,
        skip_csrf_check=skip_csrf,
        limits=_limits(_mapping(config, "limits")),
        clock=clock,
        clients=_Clients(http_client, async_client),
        provider_map={p.id: p for p in providers},
    )


_CACHE_SIZE = 128
_cache: OrderedDict[int, tuple[Mapping[str, Any], Options | ConfigError]] = OrderedDict()
_cache_lock = threading.Lock()


def normalise(config: Mapping[str, Any]) -> Options:
    """The cached `Options` of a config dict; raises `ConfigError` (also cached)."""
    key = id(config)
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] is config:
            _cache.move_to_end(key)
            result = hit[1]
            if isinstance(result, ConfigError):
                raise result
            return result
    try:
        built: Options | ConfigError = _build(config)
    except ConfigError as exc:
        built = exc
    with _cache_lock:
        # The strong reference to `config` keeps its id from being reused while cached.
        _cache[key] = (config, built)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    if isinstance(built, ConfigError):
        raise built
    return built


def validate_config(config: AuthConfig | Mapping[str, Any]) -> None:
    """Raise `ConfigError` now (call it at start-up) rather than at the first request."""
    normalise(config)
