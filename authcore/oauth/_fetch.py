"""One guarded way to ask an identity provider for JSON.

Every failure mode of a misbehaving provider (timeout, connection error, a body over the
cap, a redirect, a 4xx/5xx, a wrong content type, invalid JSON, not an object) becomes an
`OAuthProviderError` with a `reason` and a log-safe message: never a hang, a 500 or a
traceback. Error bodies are read in the three shapes met in practice: RFC 6749 §5.2
(`error`, `error_description`), Instagram's `{error_type, code, error_message}` and the Graph
API's `{error: {message, type, code, fbtrace_id}}` (docs/providers/instagram.md#error-shapes).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx

from .._flow import Flow, ResponseTooLarge, send
from .._options import Limits
from .._text import printable
from ..errors import OAuthProviderError

__all__ = [
    "TRANSIENT_GRAPH_CODES",
    "ProviderErrorBody",
    "fetch_json",
    "fetch_json_value",
    "fetch_jwt",
    "is_retryable",
    "parse_error_body",
    "parse_json_body",
]

_MAX_MESSAGE = 300
_JSON_TYPES = ("application/json", "text/javascript")  # Graph API served JSON as text/javascript


@dataclass(frozen=True)
class ProviderErrorBody:
    """What a provider said went wrong, in one shape."""

    error_type: str  # `error` (RFC 6749), `error_type` or `error.type` (Meta)
    message: str
    code: str | None = None
    subcode: str | None = None
    trace_id: str | None = None
    transient: bool = False  # the Graph API's `is_transient`


# Graph API codes that mean "try again later": 2 service unavailable, 4 app rate limit,
# 17 user rate limit, 32 page rate limit, 613 calls within one hour exceeded
# (https://developers.facebook.com/docs/graph-api/guides/error-handling).
TRANSIENT_GRAPH_CODES = frozenset({"2", "4", "17", "32", "613"})


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = printable(str(value).strip(), _MAX_MESSAGE)
    return text or None


def parse_error_body(body: Any) -> ProviderErrorBody | None:
    """Recognise an error body; None when `body` is not one."""
    if not isinstance(body, dict):
        return None
    err = body.get("error")
    if isinstance(err, dict) and err.get("code") == "ok":
        return None  # TikTok's API v2 wraps every answer, successes too, in `error: {code}`
    if isinstance(err, dict):  # Graph API
        return ProviderErrorBody(
            error_type=_text(err.get("type")) or "OAuthException",
            message=_text(err.get("message")) or "no message",
            code=_text(err.get("code")),
            subcode=_text(err.get("error_subcode")),
            trace_id=_text(err.get("fbtrace_id")),
            transient=err.get("is_transient") is True,
        )
    if isinstance(err, str) and err:  # RFC 6749 §5.2
        return ProviderErrorBody(
            error_type=printable(err, _MAX_MESSAGE),
            message=_text(body.get("error_description")) or printable(err, _MAX_MESSAGE),
        )
    if "error_type" in body or "error_message" in body:  # api.instagram.com
        return ProviderErrorBody(
            error_type=_text(body.get("error_type")) or "OAuthException",
            message=_text(body.get("error_message")) or "no message",
            code=_text(body.get("code")),
        )
    return None


def is_retryable(err: ProviderErrorBody, status: int) -> bool:
    """A rate limit or a transient failure: the same request may succeed later."""
    return err.transient or err.code in TRANSIENT_GRAPH_CODES or status >= 500


def _hint(err: ProviderErrorBody, status: int) -> str:
    msg = err.message.lower()
    if err.code in ("4", "17", "32", "613"):
        return " (a rate limit: retry later, with backoff)"
    if is_retryable(err, status):
        return " (a transient failure: retry later)"
    if err.code == "190":
        return " (the access token is invalid or expired)"
    if "invalid platform app" in msg:
        return (
            " (check that client_id is the Instagram App ID, not the Meta App ID, and the scopes)"
        )
    if "redirect_uri" in msg:
        return " (the registered redirect URI must equal the callback URL exactly)"
    return ""


def parse_json_body(content: bytes) -> Any:
    """JSON without floats for integers: Python ints are exact, so a numeric Instagram
    `user_id` above 2**53 keeps every digit (the bug JS clients have)."""
    return json.loads(content.decode("utf-8"))


def _media(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _is_json_type(content_type: str) -> bool:
    media = _media(content_type)
    return media in _JSON_TYPES or (media.startswith("application/") and media.endswith("+json"))


def fetch_json(
    request: httpx.Request,
    limits: Limits,
    *,
    provider_id: str,
    endpoint: str,
) -> Flow[dict[str, Any]]:
    """Send `request` and return its JSON object, or raise `OAuthProviderError`."""
    body = yield from fetch_json_value(request, limits, provider_id=provider_id, endpoint=endpoint)
    if not isinstance(body, dict):
        raise OAuthProviderError(
            f"{provider_id} {endpoint} endpoint ({_safe_url(request.url)}): JSON is a "
            f"{type(body).__name__}, not an object",
            provider=provider_id,
            endpoint=endpoint,
            reason="not_object",
        )
    return body


def fetch_jwt(
    request: httpx.Request,
    limits: Limits,
    *,
    provider_id: str,
    endpoint: str,
) -> Flow[str]:
    """Send `request` and return the compact JWT of an `application/jwt` answer (a signed
    userinfo response); JSON error bodies fail as in `fetch_json`, a JSON success too (the
    provider was asked for a signed answer: oauth4webapi's `JWT_USERINFO_EXPECTED`)."""
    body = yield from fetch_json_value(
        request, limits, provider_id=provider_id, endpoint=endpoint, accept_jwt=True
    )
    if not isinstance(body, _Jwt):
        raise OAuthProviderError(
            f"{provider_id} {endpoint} endpoint ({_safe_url(request.url)}): a signed JWT "
            "(application/jwt) was expected",
            provider=provider_id,
            endpoint=endpoint,
            reason="jwt_expected",
        )
    return str(body)


class _Jwt(str):
    """The text of an `application/jwt` answer (told apart from a JSON string)."""


def fetch_json_value(
    request: httpx.Request,
    limits: Limits,
    *,
    provider_id: str,
    endpoint: str,
    accept_jwt: bool = False,
) -> Flow[Any]:
    """Send `request` and return its JSON value (any type), or raise `OAuthProviderError`.

    `endpoint` names the step in messages ("token", "userinfo", ...). Only the URL without
    its query is ever logged: queries may carry tokens (Graph API `access_token=`).
    `accept_jwt`: a 200 `application/jwt` answer is returned as its text."""
    where = f"{provider_id} {endpoint} endpoint ({_safe_url(request.url)})"

    def fail(reason: str, message: str, **details: Any) -> OAuthProviderError:
        return OAuthProviderError(
            f"{where}: {message}",
            provider=provider_id,
            endpoint=endpoint,
            reason=reason,
            **details,
        )

    try:
        response: httpx.Response = yield from send(
            request, max_bytes=limits.idp_max_response_bytes, timeout=limits.idp_timeout
        )
    except ResponseTooLarge:
        raise fail(
            "too_large", f"response larger than {limits.idp_max_response_bytes} bytes"
        ) from None
    except httpx.TimeoutException:
        raise fail("timeout", f"no answer within {limits.idp_timeout} s", retryable=True) from None
    except httpx.HTTPError as exc:
        raise fail("network", f"request failed ({type(exc).__name__})", retryable=True) from None

    status = response.status_code
    if 300 <= status < 400:
        raise fail(
            "redirect",
            f"answered with a redirect ({status}); redirects are not followed",
            status=status,
        )

    content_type = response.headers.get("content-type", "")
    body: Any = None
    parse_error: str | None = None
    if accept_jwt and status == 200 and _media(content_type) == "application/jwt":
        try:
            return _Jwt(response.content.decode("ascii").strip())
        except UnicodeDecodeError:
            raise fail("not_json", "the JWT is not ASCII", status=status) from None
    if not _is_json_type(content_type):
        parse_error = (
            f"content type {content_type.split(';', 1)[0][:60] or 'missing'!r} is not JSON"
        )
    else:
        try:
            body = parse_json_body(response.content)
        except (ValueError, UnicodeDecodeError):
            parse_error = "response is not valid JSON"

    provider_error = parse_error_body(body) if parse_error is None else None
    # GitHub answers token errors with HTTP 200 and an RFC 6749 error body.
    if status >= 300 or provider_error is not None:
        if provider_error is not None:
            raise fail(
                "provider_error",
                f"HTTP {status}, {provider_error.error_type}: {provider_error.message}"
                f"{_hint(provider_error, status)}",
                status=status,
                error_type=provider_error.error_type,
                code=provider_error.code,
                subcode=provider_error.subcode,
                fbtrace_id=provider_error.trace_id,
                retryable=is_retryable(provider_error, status),
            )
        raise fail("http_status", f"answered HTTP {status}", status=status, retryable=status >= 500)
    if status < 200:
        raise fail("http_status", f"answered HTTP {status}", status=status)
    if parse_error is not None:
        raise fail("not_json", parse_error, status=status)
    return body


def _safe_url(url: httpx.URL) -> str:
    return str(url.copy_with(query=None, fragment=None))
