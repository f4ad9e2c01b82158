"""The checks of single options: each turns a raw value into its normalised form or raises
`ConfigError` naming the option (`details["option"]`)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import fields
from typing import Any, cast
from urllib.parse import urlsplit

from ._config import CookieConfig
from ._cookies import CookieDef, CookieDefs, default_cookies
from ._env import provider_env
from ._options import Limits, UserFn
from .errors import ConfigError, MissingSecret
from .providers._base import Provider

__all__ = [
    "COOKIE_KEYS",
    "adapt_kwargs",
    "as_bool",
    "as_callable",
    "base_path",
    "check_keys",
    "cookie_defs",
    "limits",
    "parse_url",
    "positive_int",
    "providers",
    "secrets",
]

COOKIE_KEYS = frozenset(f.name for f in fields(CookieDefs))
COOKIE_OPTION_KEYS = frozenset(CookieConfig.__annotations__) | {"options"}


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def unknown_option(option: str, key: str, known: frozenset[str]) -> ConfigError:
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


def check_keys(value: Mapping[str, Any], known: frozenset[str], prefix: str) -> None:
    for key in value:
        if not isinstance(key, str) or key not in known:
            raise unknown_option(f"{prefix}{key}", str(key), known)


def as_bool(value: Any, option: str, default: bool) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ConfigError(f"{option!r} must be True or False", option=option)
    return value


def positive_int(value: Any, option: str, default: int, *, allow_zero: bool = False) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < (0 if allow_zero else 1):
        raise ConfigError(f"{option!r} must be a positive integer (seconds)", option=option)
    return value


def proxy_hops(value: Any) -> int:
    """`trusted_proxy_hops`: how many proxies in front of the app append to X-Forwarded-For."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 32:
        raise ConfigError(
            "'trusted_proxy_hops' must be the number of proxies in front of the app (0 to 32)",
            option="trusted_proxy_hops",
        )
    return value


def as_callable(value: Any, option: str) -> UserFn | None:
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


def secrets(config: Mapping[str, Any], env_secrets: tuple[str, ...]) -> tuple[str, ...]:
    raw = config.get("secret")
    if raw is None or (isinstance(raw, (str, list)) and not raw):
        if not env_secrets:
            raise MissingSecret(
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


def parse_url(value: Any, option: str) -> tuple[str, str]:
    """(origin, path) of a configured URL such as AUTH_URL, the path as written."""
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
    return f"{parts.scheme}://{netloc}", parts.path


def base_path(value: Any) -> str:
    if not isinstance(value, str) or not value.startswith("/"):
        raise ConfigError("'base_path' must be a path starting with '/'", option="base_path")
    if any(c in value for c in "?#%\\") or any(c.isspace() or ord(c) < 0x20 for c in value):
        raise ConfigError(
            "'base_path' must be a plain path (no query, fragment, escapes or spaces)",
            option="base_path",
        )
    return value.rstrip("/")


def cookie_defs(overrides: Mapping[str, Any], secure: bool) -> CookieDefs:
    base = default_cookies(secure)
    changes: dict[str, CookieDef] = {}
    for key, override in overrides.items():
        option = f"cookies.{key}"
        if not isinstance(override, Mapping):
            raise ConfigError(f"{option!r} must be a dict", option=option)
        check_keys(override, COOKIE_OPTION_KEYS, f"{option}.")
        flat = {k: v for k, v in override.items() if k != "options"}
        nested = override.get("options") or {}
        if not isinstance(nested, Mapping):
            raise ConfigError(f"'{option}.options' must be a dict", option=f"{option}.options")
        check_keys(nested, COOKIE_OPTION_KEYS - {"options", "name"}, f"{option}.options.")
        merged = {**nested, **flat}
        current: CookieDef = getattr(base, key)
        try:
            new = CookieDef(
                name=as_str(merged.get("name", current.name), f"{option}.name"),
                http_only=as_bool(
                    merged.get("http_only"), f"{option}.http_only", current.http_only
                ),
                same_site=merged.get("same_site", current.same_site),
                path=as_str(merged.get("path", current.path), f"{option}.path"),
                secure=as_bool(merged.get("secure"), f"{option}.secure", current.secure),
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
        # RFC 6265 §4.1.1 attribute values: visible ASCII without `;` (a non-ASCII domain is
        # written in its punycode form); anything else would reach Set-Cookie differently in
        # each framework.
        for attr in ("path", "domain"):
            value = getattr(new, attr)
            if value is not None and not re.fullmatch(r"[\x21-\x3a\x3c-\x7e]+", str(value)):
                raise ConfigError(
                    f"'{option}.{attr}' must be visible ASCII without ';'",
                    option=f"{option}.{attr}",
                )
        changes[key] = new
    return CookieDefs(**{f.name: changes.get(f.name, getattr(base, f.name)) for f in fields(base)})


def as_str(value: Any, option: str) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{option!r} must be a non-empty string", option=option)
    return value


def limits(raw: Mapping[str, Any]) -> Limits:
    values: dict[str, Any] = {}
    for key, value in raw.items():
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0
        if key != "idp_timeout":
            ok = ok and isinstance(value, int)
        if not ok:
            raise ConfigError(f"'limits.{key}' must be a positive number", option=f"limits.{key}")
        values[key] = value
    return Limits(**values)


def redirect_proxy_url(value: Any) -> str | None:
    """`redirect_proxy_url` / `AUTH_REDIRECT_PROXY_URL`: the auth base URL of the deployment
    whose callback URL is registered with the providers (e.g. `https://auth.example.com/api/auth`)."""
    if value is None:
        return None
    origin, path = parse_url(value, "redirect_proxy_url")
    return origin + path.rstrip("/")


def providers(
    raw: Any, env: Mapping[str, str], *, redirect_proxy_url: str | None = None
) -> tuple[Provider, ...]:
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
        provider = provider.with_redirect_proxy(redirect_proxy_url)
        if env.get("AUTH_MOCK_IDP_URL"):
            from .providers._mock import point_at_mock

            provider = point_at_mock(provider, env["AUTH_MOCK_IDP_URL"])
        try:
            provider.validate()
        except ConfigError as exc:
            exc.details.setdefault("option", option)
            raise
        out.append(provider)
    return tuple(out)


def url_path_warnings(url_path: str, base_path: Any) -> list[str]:
    """Auth.js's warnings when `AUTH_URL` (or `url`) carries a path and `base_path` is set too:
    the path is ignored (`env-url-basepath-redundant`), and if it differs from `base_path`
    (a trailing `/` counts, as in Auth.js) also `env-url-basepath-mismatch`."""
    if url_path in ("", "/") or not isinstance(base_path, str):
        return []
    if url_path == base_path:
        return ["env-url-basepath-redundant"]
    return ["env-url-basepath-redundant", "env-url-basepath-mismatch"]
