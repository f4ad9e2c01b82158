"""Normalising a config: the user's `AuthConfig` dict checked and turned into `Options`.

A config is normalised once and cached by identity: treat the dict as immutable after its
first use. Every problem raises `ConfigError` naming the option (`details["option"]`), at
start-up when the adapters call `validate_config`, otherwise at the first request.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any, Literal

from . import _validate as check
from ._config import (
    AuthConfig,
    CallbacksConfig,
    EventsConfig,
    ExperimentalConfig,
    JWTConfig,
    LimitsConfig,
    PagesConfig,
    SessionConfig,
    ThemeConfig,
)
from ._env import parse_bool, read_env
from ._log_redaction import install as install_log_redaction
from ._logging import build_logger
from ._options import Callbacks, Clients, Events, Options, Pages, UserFn
from ._signatures import check_signature
from ._store_config import check_store, new_session_token
from .errors import ConfigError

__all__ = ["normalise", "validate_config"]

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
    "experimental": frozenset(ExperimentalConfig.__annotations__),
}


def _mapping(config: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = config.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigError(f"{key!r} must be a dict", option=key)
    check.check_keys(value, _NESTED_KEYS[key], f"{key}.")
    return value


def _build(config: Mapping[str, Any]) -> Options:
    if not isinstance(config, Mapping):
        raise ConfigError("the config must be a dict", option="config")
    check.check_keys(config, _TOP_KEYS, "")
    env = config.get("env", os.environ)
    if not isinstance(env, Mapping):
        raise ConfigError("'env' must be a mapping", option="env")
    env_defaults = read_env(env)

    secrets = check.secrets(config, env_defaults.secrets)

    url_origin: str | None = None
    url_path = ""
    if config.get("url") is not None:
        url_origin, url_path = check.parse_url(config["url"], "url")
    elif env_defaults.url is not None:
        url_origin, url_path = check.parse_url(env_defaults.url, "AUTH_URL")

    if config.get("base_path") is not None:
        base_path = check.base_path(config["base_path"])
    else:
        base_path = url_path.rstrip("/") or DEFAULT_BASE_PATH

    if config.get("trust_host") is not None:
        trust_host = check.as_bool(config["trust_host"], "trust_host", False)
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
        check.as_bool(use_secure, "use_secure_cookies", False)

    cookie_overrides = config.get("cookies") or {}
    if not isinstance(cookie_overrides, Mapping):
        raise ConfigError("'cookies' must be a dict", option="cookies")
    check.check_keys(cookie_overrides, check.COOKIE_KEYS, "cookies.")

    session = _mapping(config, "session")
    session_max_age = check.positive_int(session.get("max_age"), "session.max_age", DEFAULT_MAX_AGE)
    update_age = check.positive_int(
        session.get("update_age"), "session.update_age", DEFAULT_UPDATE_AGE, allow_zero=True
    )
    raw_reissue = session.get("jwt_reissue")
    jwt_reissue: Literal["always", "update_age"] = (
        "update_age" if raw_reissue == "update_age" else "always"
    )
    if raw_reissue not in (None, "always", "update_age"):
        raise ConfigError(
            "'session.jwt_reissue' must be 'always' or 'update_age'", option="session.jwt_reissue"
        )
    generate_token = check.as_callable(
        session.get("generate_session_token"), "session.generate_session_token"
    )

    jwt = _mapping(config, "jwt")
    jwt_max_age = check.positive_int(jwt.get("max_age"), "jwt.max_age", session_max_age)
    jwt_encode = check.as_callable(jwt.get("encode"), "jwt.encode")
    jwt_decode = check.as_callable(jwt.get("decode"), "jwt.decode")

    cb = _mapping(config, "callbacks")
    ev = _mapping(config, "events")

    def fn(section: Mapping[str, Any], prefix: str, key: str) -> UserFn | None:
        value = check.as_callable(section.get(key), f"{prefix}.{key}")
        if value is None:
            return None
        check_signature(value, f"{prefix}.{key}")
        return check.adapt_kwargs(value)

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
        create_user=fn(ev, "events", "create_user"),
        update_user=fn(ev, "events", "update_user"),
        link_account=fn(ev, "events", "link_account"),
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

    debug = check.as_bool(config.get("debug"), "debug", False)
    logger = build_logger(config.get("logger"), debug=debug)
    if debug:
        logger.warn("debug-enabled")
    for code in check.url_path_warnings(url_path, config.get("base_path")):
        logger.warn(code)

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

    proxy = check.redirect_proxy_url(
        config.get("redirect_proxy_url") or env.get("AUTH_REDIRECT_PROXY_URL") or None
    )
    providers = check.providers(config.get("providers"), env, redirect_proxy_url=proxy)
    adapter = config.get("adapter")
    experimental = _mapping(config, "experimental")
    webauthn = check.as_bool(
        experimental.get("enable_webauthn"), "experimental.enable_webauthn", False
    )
    strategy = check_store(adapter, session.get("strategy"), providers, webauthn=webauthn)
    if webauthn and any(p.type == "webauthn" for p in providers):
        logger.warn("experimental-webauthn")
    install_log_redaction()  # from the start, before any request logs a URL
    skip_csrf = check.as_bool(config.get("skip_csrf_check"), "skip_csrf_check", False)
    if skip_csrf:
        logger.warn("csrf-disabled")

    return Options(
        providers=providers,
        secrets=secrets,
        url_origin=url_origin,
        base_path=base_path,
        trust_host=trust_host,
        use_secure_cookies=use_secure,
        cookies_plain=check.cookie_defs(cookie_overrides, False),
        cookies_secure=check.cookie_defs(cookie_overrides, True),
        session_max_age=session_max_age,
        session_update_age=update_age,
        session_jwt_reissue=jwt_reissue,
        session_strategy=strategy,
        generate_session_token=generate_token or new_session_token,
        adapter=adapter,
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
        limits=check.limits(_mapping(config, "limits")),
        clock=clock,
        clients=Clients(http_client, async_client),
        provider_map={p.id: p for p in providers},
        trusted_proxy_hops=check.proxy_hops(config.get("trusted_proxy_hops")),
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
