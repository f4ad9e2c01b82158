"""Starlette app for `bench/run --server`: the adapter's routes plus `/bare`, a plain route
returning the same JSON as a session read (the framework's own floor)."""

from __future__ import annotations

from _spec import BARE_JSON, config
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from authcore.adapters.starlette import StarletteAuth


async def bare(request: Request) -> Response:
    return Response(BARE_JSON, media_type="application/json")


auth = StarletteAuth(config())
app = Starlette(routes=[*auth.routes, Route("/bare", bare)])
