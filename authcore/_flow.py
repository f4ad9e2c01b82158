"""One flow, two drivers (the pattern of httpx's auth flows).

Actions are generators. When they need the network they yield `Send(httpx.Request)`
and receive an `httpx.Response`; when a user callback returned an awaitable they yield
`Await(awaitable)` and receive its result. `drive_async` serves `Auth()`, `drive_sync`
serves sync callers (Flask, Django WSGI) without creating an event loop unless a user
callback is itself async. A session read yields nothing at all.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # httpx and asyncio load on first network use (import time)
    import httpx

__all__ = ["Await", "Flow", "Send", "Split", "call", "drive_async", "drive_sync", "send"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Send:
    """Send this request; the driver answers with the `httpx.Response` (body read)."""

    request: httpx.Request
    max_bytes: int
    timeout: float


@dataclass(frozen=True, slots=True)
class Await:
    awaitable: Awaitable[Any]


@dataclass(frozen=True, slots=True)
class Split:
    """Do this I/O the driver's way: `blocking()` under `drive_sync`, `await coroutine()`
    under `drive_async` (SMTP: `smtplib` or `aiosmtplib`)."""

    blocking: Callable[[], Any]
    coroutine: Callable[[], Awaitable[Any]]


Effect = Send | Await | Split
Flow = Generator[Effect, Any, T]


class ResponseTooLarge(Exception):
    """The identity provider's response exceeded the configured cap."""


def send(request: httpx.Request, *, max_bytes: int, timeout: float) -> Flow[httpx.Response]:
    response: httpx.Response = yield Send(request, max_bytes, timeout)
    return response


def call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Flow[Any]:
    """Call a user function that may be sync or async."""
    result = fn(*args, **kwargs)
    if isinstance(result, Awaitable):
        result = yield Await(result)
    return result


def _stream_args(effect: Send) -> dict[str, Any]:
    """The `client.stream(...)` arguments of a `Send`, the same for both drivers."""
    import httpx

    from ._log_redaction import install

    install()  # before httpx logs this request's URL
    request = effect.request
    return {
        "method": request.method,
        "url": request.url,
        "headers": request.headers,
        "content": request.content,
        "timeout": httpx.Timeout(effect.timeout),
        "follow_redirects": False,
    }


class _CappedBody:
    """Collects a response body within the size cap and the overall deadline of one request:
    httpx's timeout bounds each read, so a server trickling bytes could otherwise hold a
    sign-in open indefinitely."""

    __slots__ = ("_chunks", "_deadline", "_max", "_total")

    def __init__(self, resp: httpx.Response, max_bytes: int, deadline: float) -> None:
        declared = resp.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_bytes:
            raise ResponseTooLarge(f"response declares {declared} bytes (cap {max_bytes})")
        self._chunks: list[bytes] = []
        self._total = 0
        self._max = max_bytes
        self._deadline = deadline
        self._check_deadline()

    def _check_deadline(self) -> None:
        if time.monotonic() > self._deadline:
            import httpx

            raise httpx.ReadTimeout("the identity provider answered too slowly")

    def add(self, chunk: bytes) -> None:
        self._total += len(chunk)
        if self._total > self._max:
            raise ResponseTooLarge(f"response exceeds {self._max} bytes")
        self._check_deadline()
        self._chunks.append(chunk)

    def body(self) -> bytes:
        return b"".join(self._chunks)


def _finish(resp: httpx.Response, body: bytes) -> httpx.Response:
    # A fresh Response carrying the already-read body: callers use .json()/.text freely.
    import httpx

    return httpx.Response(
        resp.status_code, headers=resp.headers, content=body, request=resp.request
    )


def drive_sync(flow: Flow[T], client: httpx.Client | None) -> T:
    """Run a flow to completion with blocking I/O."""
    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            effect = flow.throw(error) if error is not None else flow.send(value)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        value, error = None, None
        try:
            if isinstance(effect, Send):
                if client is None:
                    raise RuntimeError("no HTTP client configured for a network step")
                deadline = time.monotonic() + effect.timeout
                with client.stream(**_stream_args(effect)) as resp:
                    body = _CappedBody(resp, effect.max_bytes, deadline)
                    for chunk in resp.iter_bytes():
                        body.add(chunk)
                    value = _finish(resp, body.body())
            elif isinstance(effect, Split):
                value = effect.blocking()
            else:
                value = _run_awaitable(effect.awaitable)
        except Exception as exc:  # handed back to the flow, which decides
            error = exc


def _run_awaitable(awaitable: Awaitable[T]) -> T:
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        raise RuntimeError(
            "an async callback was called from the sync path inside a running event loop; "
            "use `await Auth(...)` there"
        )

    async def _wrap() -> T:
        return await awaitable

    return asyncio.run(_wrap())


async def drive_async(flow: Flow[T], client: httpx.AsyncClient | None) -> T:
    """Run a flow to completion with async I/O."""
    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            effect = flow.throw(error) if error is not None else flow.send(value)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        value, error = None, None
        try:
            if isinstance(effect, Send):
                if client is None:
                    raise RuntimeError("no HTTP client configured for a network step")
                deadline = time.monotonic() + effect.timeout
                async with client.stream(**_stream_args(effect)) as resp:
                    body = _CappedBody(resp, effect.max_bytes, deadline)
                    async for chunk in resp.aiter_bytes():
                        body.add(chunk)
                    value = _finish(resp, body.body())
            elif isinstance(effect, Split):
                value = await effect.coroutine()
            else:
                value = await effect.awaitable
        except Exception as exc:
            error = exc
