"""Responses of the mock and the body faults applied to them."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ._faults import BodyFault
from ._jws import dumps
from ._models import RecordedRequest

if TYPE_CHECKING:
    from ._server import MockIdP

__all__ = ["Reply", "Route", "apply_body_fault", "html", "json_reply", "redirect", "with_params"]

HUGE_BYTES = 5 * 1024 * 1024

_NO_STORE = [("Cache-Control", "no-store"), ("Pragma", "no-cache")]


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    delay: float = 0.0  # seconds to wait before answering (bounded, cut short on stop)

    @property
    def content_type(self) -> str | None:
        for name, value in self.headers:
            if name.lower() == "content-type":
                return value
        return None

    def with_header(self, name: str, value: str) -> Reply:
        kept = [(n, v) for n, v in self.headers if n.lower() != name.lower()]
        return replace(self, headers=[*kept, (name, value)])


@dataclass(frozen=True)
class Route:
    """`methods` space-separated; `pattern` must match the whole path. `group` names the
    fault switches that apply (token, exchange, userinfo, emails); `fault_error` is the body of
    a forced error status."""

    methods: str
    pattern: str
    handler: Callable[[MockIdP, RecordedRequest], Reply]
    group: str | None = None
    fault_error: dict[str, Any] | None = None


def json_reply(obj: Any, status: int = 200, headers: list[tuple[str, str]] | None = None) -> Reply:
    body = dumps(obj)
    base = [("Content-Type", "application/json; charset=utf-8"), *_NO_STORE]
    return Reply(status, body, base + (headers or []))


def html(page: str, status: int = 200) -> Reply:
    return Reply(
        status,
        page.encode("utf-8"),
        [
            ("Content-Type", "text/html; charset=utf-8"),
            (
                "Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:",
            ),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "no-referrer"),
            *_NO_STORE,
        ],
    )


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status, b"", [("Location", location), *_NO_STORE])


def with_params(uri: str, params: list[tuple[str, str]], fragment: str = "") -> str:
    """Append parameters to a redirect URI, keeping the ones it already has (RFC 6749 §3.1.2)."""
    parts = urlsplit(uri)
    query = parse_qsl(parts.query, keep_blank_values=True) + params
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), fragment))


def apply_body_fault(reply: Reply, fault: BodyFault) -> Reply:
    """Replace a JSON answer by a broken one. Status and other headers stay."""
    json_type = ("Content-Type", "application/json; charset=utf-8")
    if fault == "invalid_json":
        return replace(reply, body=reply.body[: max(1, len(reply.body) // 2)] or b"{")
    if fault == "html":
        page = (
            b"<!DOCTYPE html><html><body><h1>Sorry, this page isn't available.</h1></body></html>"
        )
        return replace(reply.with_header("Content-Type", "text/html; charset=utf-8"), body=page)
    if fault == "huge":
        padding = "x" * HUGE_BYTES
        return replace(reply.with_header(*json_type), body=dumps({"padding": padding}))
    if fault == "empty":
        return replace(reply, body=b"")
    if fault == "not_object":
        return replace(reply.with_header(*json_type), body=b"[]")
    drop = {"access_token"} if fault == "missing_access_token" else {"id", "sub", "user_id"}
    return replace(reply, body=dumps(_without(_loads(reply.body), drop)))


def _loads(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return {}


def _without(obj: Any, names: set[str]) -> Any:
    if isinstance(obj, dict):
        if isinstance(obj.get("data"), list):  # Instagram's documented {"data": [{...}]}
            return {**obj, "data": [_without(item, names) for item in obj["data"]]}
        return {k: v for k, v in obj.items() if k not in names}
    return obj
