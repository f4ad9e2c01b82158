"""Turning an `authcore.Request` into what the actions read (Auth.js `src/index.ts`
`toInternalRequest`).

Every input is bounded before it is parsed (GHSA-xmf8-cvqr-rfgj; docs/security.md#resource-limits):
a request that is too large or malformed raises `BadRequest`, answered with 400 `"Bad request."`.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any
from urllib.parse import SplitResult, parse_qsl, urlsplit

from .._cookies import Cookie, CookieDefs, ParsedCookies, SessionStore, parse_cookie_header
from .._http import Request, parse_form
from .._options import Limits, Options
from ..errors import AuthError, UnknownAction, UntrustedHost
from ..oauth._env import CheckEnv
from ..providers._base import Provider
from ._routing import Action, parse_action

__all__ = [
    "BadRequest",
    "Context",
    "ParsedRequest",
    "client_address",
    "new_context",
    "parse_app_request",
    "parse_request",
    "resolve_origin",
]


class BadRequest(AuthError):
    """The request itself is unacceptable (size, encoding, syntax, method)."""

    type = "UnknownAction"


class CookieHeaderTooLarge(BadRequest):
    """The Cookie header is over `limits.max_cookie_header_bytes`: answered 400 with
    Set-Cookie headers that clear authcore's own cookies, so the browser recovers."""


@dataclass(frozen=True, slots=True)
class ParsedRequest:
    method: str
    action: Action
    provider_id: str | None
    scheme: str
    netloc: str
    hostname: str
    query: Mapping[str, str]
    body: Mapping[str, Any]
    cookies: ParsedCookies


_HOST_RE = re.compile(r"(?:[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?")
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def _bytes_len(value: str) -> int:
    return len(value.encode("utf-8", "surrogatepass"))


def _check_headers(request: Request, limits: Limits, headers: Iterable[tuple[str, str]]) -> str:
    """Refuse oversized headers; the Cookie header (joined once) when they fit."""
    if sum([len(k) + len(v) + 4 for k, v in headers]) > limits.max_header_bytes:
        raise BadRequest("Headers too large")
    cookie_header = request.cookie_header
    if len(cookie_header) > limits.max_cookie_header_bytes:
        raise CookieHeaderTooLarge("Cookie header too large")
    return cookie_header


def _split_url(request: Request) -> tuple[SplitResult, str, str]:
    """The request URL's parts, scheme and host name; `BadRequest` unless http(s) and a
    plausible host."""
    return _split(request.url)


@lru_cache(maxsize=256)
def _split(url: str) -> tuple[SplitResult, str, str]:
    # Cached: a server sees the same few URLs over and over. Failures raise, uncached.
    try:
        parts = urlsplit(url)
        hostname = parts.hostname or ""
        parts.port  # noqa: B018 - validates the port
    except ValueError as exc:
        raise BadRequest("Invalid request URL", cause=exc) from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not _HOST_RE.fullmatch(parts.netloc):
        raise BadRequest("Invalid request URL")
    return parts, scheme, hostname.lower()


def parse_request(request: Request, options: Options) -> ParsedRequest:
    limits = options.limits
    if request.method not in ("GET", "POST"):
        raise BadRequest("Only GET and POST requests are supported")
    url = request.url
    if (len(url) if url.isascii() else _bytes_len(url)) > limits.max_url_bytes:
        raise BadRequest("URL too long")
    cookie_header = _check_headers(request, limits, request.headers)
    parts, scheme, hostname = _split_url(request)
    action, provider_id, query = _route(parts.path, parts.query, options.base_path)
    body: Mapping[str, Any] = {}
    if request.method == "POST" and request.body:
        if len(request.body) > limits.max_body_bytes:
            raise BadRequest("Body too large")
        ctype = (request.header("content-type") or "").lower()
        try:
            if "application/json" in ctype:
                parsed = json.loads(request.body.decode("utf-8"))
                if not isinstance(parsed, dict):
                    raise BadRequest("JSON body must be an object")
                body = parsed
            elif "application/x-www-form-urlencoded" in ctype:
                body = parse_form(request.body)
        except (ValueError, RecursionError) as exc:
            raise BadRequest("Malformed body", cause=exc) from exc
    cookies = parse_cookie_header(cookie_header, max_cookies=limits.max_cookies)
    return ParsedRequest(
        method=request.method,
        action=action,
        provider_id=provider_id,
        scheme=scheme,
        netloc=parts.netloc.lower(),
        hostname=hostname,
        query=query,
        body=body,
        cookies=cookies,
    )


@lru_cache(maxsize=256)
def _route(path: str, query: str, base_path: str) -> tuple[Action, str | None, Mapping[str, str]]:
    """The action, provider id and query of a URL, cached like `_split` (the query read-only,
    as it is shared)."""
    try:
        action, provider_id = parse_action(path, base_path)
    except UnknownAction as exc:
        raise BadRequest(exc.message, cause=exc) from exc
    parsed = dict(parse_qsl(query, keep_blank_values=True, errors="replace"))
    return action, provider_id, MappingProxyType(parsed) if parsed else _NO_QUERY


_NO_QUERY: Mapping[str, str] = MappingProxyType({})
_BODY_HEADERS = ("content-type", "content-length")


def parse_app_request(request: Request, options: Options) -> ParsedRequest:
    """An app's own request read as a `GET <base_path>/session` (for `get_session` in app
    code): the same bounds on the URL's host, the headers and the cookies as
    `parse_request`; its path, query, method and body are the app's and play no part."""
    limits = options.limits
    cookie_header = _check_headers(
        request, limits, ((k, v) for k, v in request.headers if k not in _BODY_HEADERS)
    )
    parts, scheme, hostname = _split_url(request)
    return ParsedRequest(
        method="GET",
        action="session",
        provider_id=None,
        scheme=scheme,
        netloc=parts.netloc.lower(),
        hostname=hostname,
        query={},
        body={},
        cookies=parse_cookie_header(cookie_header, max_cookies=limits.max_cookies),
    )


def client_address(request: Request, hops: int) -> str | None:
    """The client's address behind `hops` trusted proxies (config `trusted_proxy_hops`;
    docs/security.md#deploying-behind-a-proxy): each proxy appends the address it received
    from to `X-Forwarded-For`, so the entry `hops` from the right was written by the
    outermost trusted one. Fewer entries than that, or a value that is no IP address, and the
    peer's own address stands (as Werkzeug's ProxyFix)."""
    if hops <= 0:
        return request.client
    entries = [e.strip() for v in request.header_all("x-forwarded-for") for e in v.split(",")]
    if len(entries) < hops:
        return request.client
    entry = entries[-hops]
    if entry.startswith("[") and "]" in entry:  # "[2001:db8::1]:443"
        entry = entry[1 : entry.index("]")]
    elif entry.count(":") == 1:  # "198.51.100.1:443" (Azure's proxies add the port)
        entry = entry.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(entry))
    except ValueError:
        return request.client


def _first(value: str | None) -> str | None:
    if value is None:
        return None
    first = value.split(",")[0].strip()
    return first or None


def resolve_origin(request: Request, parsed: ParsedRequest, options: Options) -> str:
    """The origin every URL is built on (docs/security.md#deploying-behind-a-proxy).

    A configured `url` / AUTH_URL wins. Otherwise the request URL, which `X-Forwarded-Host`
    and `X-Forwarded-Proto` may override only under `trust_host`. Without either, only
    loopback hosts are served (development); anything else is `UntrustedHost`.
    """
    if options.url_origin is not None:
        return options.url_origin
    scheme, netloc = parsed.scheme, parsed.netloc
    if options.trust_host:
        fwd_host = _first(request.header("x-forwarded-host"))
        if fwd_host is not None and _HOST_RE.fullmatch(fwd_host):
            netloc = fwd_host.lower()
        fwd_proto = (_first(request.header("x-forwarded-proto")) or "").lower()
        if fwd_proto in ("http", "https"):
            scheme = fwd_proto
        return f"{scheme}://{netloc}"
    if parsed.hostname in _LOCAL_HOSTS or parsed.hostname.endswith(".localhost"):
        return f"{scheme}://{netloc}"
    raise UntrustedHost(
        "Host must be trusted: set `url` (or AUTH_URL), or `trust_host=True` behind a proxy "
        "that sets the Host / X-Forwarded-* headers"
    )


def new_context(request: Request, parsed: ParsedRequest, options: Options) -> Context:
    """The context of one request: its origin (`UntrustedHost` if it has none we may use),
    whether its cookies are the `__Secure-` ones, and the clock read once."""
    if options.trusted_proxy_hops:  # hooks and callbacks see the client behind the proxies
        client = client_address(request, options.trusted_proxy_hops)
        request = Request(request.method, request.url, request.headers, request.body, client)
    origin = resolve_origin(request, parsed, options)
    secure = (
        options.use_secure_cookies
        if options.use_secure_cookies is not None
        else origin.startswith("https:")
    )
    return Context(
        request=request,
        options=options,
        parsed=parsed,
        origin=origin,
        secure=secure,
        cookie_defs=options.cookies(secure),
        now=options.clock(),
    )


@dataclass(slots=True)
class Context:
    """Per-request state shared by the actions (Auth.js's `options` after `init`)."""

    request: Request
    options: Options
    parsed: ParsedRequest
    origin: str
    secure: bool
    cookie_defs: CookieDefs
    now: float
    provider: Provider | None = None
    csrf_token: str = ""
    csrf_verified: bool = False
    callback_url: str = ""
    cookies: list[Cookie] = field(default_factory=list)  # the `init` cookies

    @property
    def base_url(self) -> str:
        return self.origin + self.options.base_path

    @property
    def is_post(self) -> bool:
        return self.parsed.method == "POST"

    def check_env(self) -> CheckEnv:
        return CheckEnv(
            origin=self.origin,
            base_path=self.options.base_path,
            secrets=self.options.secrets,
            cookies=self.cookie_defs,
            now=self.options.clock,
            limits=self.options.limits,
            logger=self.options.logger,
        )

    def session_store(self) -> SessionStore:
        """The session cookies of the request (chunked or not), under this config's name."""
        options = self.options
        return SessionStore(
            self.cookie_defs.session_token, self.parsed.cookies, options.limits, options.logger
        )

    def cookie(self, name: str) -> str | None:
        """A request cookie, or None when absent or duplicated
        (docs/differences.md#other-deliberate-choices)."""
        if name in self.parsed.cookies.duplicates:
            return None
        return self.parsed.cookies.values.get(name)
