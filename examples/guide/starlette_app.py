"""Starlette: what the docs' Starlette page shows, run by tests/guide.

Settings come from the environment: AUTH_SECRET, AUTH_URL, and AUTH_INSTAGRAM_ID / _SECRET
or AUTH_MOCK_IDP_URL.
"""

from __future__ import annotations

from html import escape

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from authcore.adapters.starlette import StarletteAuth, requires_auth
from authcore.providers.instagram import Instagram

# --8<-- [start:app]
auth = StarletteAuth({"providers": [Instagram()]})  # validates the config now


async def home(request: Request) -> Response:
    session = await auth.get_session(request)  # Session | None (None on any error)
    if session is None:
        csrf = await auth.csrf_token(request)  # for a sign-in form on this page
        return HTMLResponse(
            '<form method="post" action="/api/auth/signin/instagram">'
            f'<input type="hidden" name="csrfToken" value="{csrf}">'
            "<button>Sign in with Instagram</button></form>"
        )
    return HTMLResponse(f"Hello {escape(session['user'].get('name') or '')}")


@requires_auth(auth)  # page load without a session: 303 to sign-in; API call: 401
async def dashboard(request: Request) -> Response:
    session = request.state.session  # set by requires_auth
    return JSONResponse({"name": session["user"].get("name")})


app = Starlette(
    routes=[
        *auth.routes,
        Route("/", home),
        Route("/dashboard", dashboard, methods=["GET", "POST"]),
    ],
    middleware=[auth.middleware],  # writes refreshed session and CSRF cookies
)
# --8<-- [end:app]
