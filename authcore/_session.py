"""`get_session` for apps: the session of a request, fail-closed.

`get_session` answers None on ANY error (security.md §0.5): a broken config or a bad
cookie must never look like a signed-in user.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from ._config import AuthConfig
from ._http import Request, Response
from ._normalise import normalise
from ._options import Options

__all__ = ["get_session", "get_session_async"]


def _session_request(request: Request, options: Options) -> Request:
    parts = urlsplit(request.url)
    headers = [(k, v) for k, v in request.headers if k not in ("content-type", "content-length")]
    return Request("GET", f"{parts.scheme}://{parts.netloc}{options.base_path}/session", headers)


def _session_of(response: Response) -> dict[str, Any] | None:
    if response.status != 200:
        return None
    body = json.loads(response.body)
    return body if isinstance(body, dict) else None


def get_session(request: Request, config: AuthConfig | Mapping[str, Any]) -> dict[str, Any] | None:
    """The session of a request (what `GET /session` answers) or None, never an error."""
    from ._core import run_sync

    try:
        options = normalise(config)
        return _session_of(run_sync(_session_request(request, options), options))
    except Exception:
        return None


async def get_session_async(
    request: Request, config: AuthConfig | Mapping[str, Any]
) -> dict[str, Any] | None:
    from ._core import run_async

    try:
        options = normalise(config)
        return _session_of(await run_async(_session_request(request, options), options))
    except Exception:
        return None
