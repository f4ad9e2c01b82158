"""FastAPI, day two: what the docs' FastAPI page shows, run by tests/guide.

The docs include the parts between the `--8<--` markers. The app reads its settings from the
environment: AUTH_SECRET, AUTH_URL, and either AUTH_INSTAGRAM_ID / _SECRET or
AUTH_MOCK_IDP_URL (a running `authcore mock-idp`).
"""

# No `from __future__ import annotations`: FastAPI reads the `Annotated` dependencies at runtime.

import time
from collections.abc import Callable
from typing import Annotated, Any

import httpx
from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Template

from authcore.adapters.starlette import Session, StarletteAuth
from authcore.providers.instagram import Instagram, async_refresh_long_lived_token

# --8<-- [start:config]
REFRESH_BELOW = 45 * 86400  # refresh the 60-day Instagram token once less than this is left


class AppSession(Session, total=False):
    username: str  # added by the `session` callback below


def create_app(clock: Callable[[], float] = time.time) -> FastAPI:
    async def jwt(
        *,
        token: dict[str, Any],
        account: dict[str, Any] | None = None,
        profile: dict[str, Any] | None = None,
        **_: Any,
    ) -> dict[str, Any]:
        if account is not None and profile is not None:  # sign-in: keep the 60-day token
            return {
                **token,
                "username": profile["username"],
                "access_token": account["access_token"],
                "expires_at": account["expires_at"],
            }
        if token["expires_at"] - clock() < REFRESH_BELOW:
            async with httpx.AsyncClient() as client:
                fresh = await async_refresh_long_lived_token(
                    token["access_token"],
                    client=client,
                    provider=auth.provider("instagram"),
                    now=clock,
                )
            return {**token, **fresh}  # the middleware writes the new cookie
        return token

    def session(*, session: dict[str, Any], token: dict[str, Any]) -> dict[str, Any]:
        return {**session, "username": token["username"]}

    auth = StarletteAuth(
        {
            "providers": [Instagram(long_lived=True)],
            "callbacks": {"jwt": jwt, "session": session},
            "clock": clock,
        }
    )
    app = FastAPI()
    auth.install(app)  # /api/auth/* and AuthMiddleware
    # --8<-- [end:config]

    # --8<-- [start:dependencies]
    OptionalSession = Annotated[AppSession | None, Depends(auth.session)]
    RequiredSession = Annotated[AppSession, Depends(auth.require_session)]
    Token = Annotated[dict[str, Any], Depends(auth.token)]

    @app.get("/api/me")
    async def me(session: RequiredSession) -> AppSession:
        return session  # 401 {"detail": "Not signed in"} without one; `username` included

    @app.get("/api/media-count")
    async def media_count(session: RequiredSession, token: Token) -> dict[str, Any]:
        graph = auth.provider("instagram").graph_url  # the Graph API, or the mock's
        async with httpx.AsyncClient() as client:
            answer = await client.get(
                f"{graph}/v25.0/me",
                params={"fields": "media_count", "access_token": token["access_token"]},
            )
        return {"media_count": answer.json()["media_count"]}

    @app.get("/dashboard", response_model=None)
    async def dashboard(request: Request, session: OptionalSession) -> Response:
        if session is None:  # a page: send the browser to sign in
            return RedirectResponse(auth.signin_url(request), status_code=303)
        return HTMLResponse(f"Dashboard of @{session['username']}")

    # --8<-- [end:dependencies]

    # --8<-- [start:forms]
    @app.get("/login", response_class=HTMLResponse)
    async def login(request: Request) -> str:
        csrf = await auth.csrf_token(request)  # its cookie goes out with this page
        return str(LOGIN_PAGE.render(csrf=csrf, session=await auth.get_session(request)))

    @app.get("/login/instagram")
    async def login_instagram(request: Request) -> Response:
        return await auth.sign_in(request, "instagram", callback_url="/dashboard")

    @app.post("/account/close")
    async def close_account(request: Request, session: RequiredSession) -> Response:
        ...  # delete the user's data, then:
        return await auth.sign_out(request, callback_url="/")

    return app


LOGIN_PAGE = Template("""
{% if session %}
  <p>Signed in as @{{ session.username }}</p>
  <form method="post" action="/api/auth/signout">
    <input type="hidden" name="csrfToken" value="{{ csrf }}">
    <button>Sign out</button>
  </form>
{% else %}
  <form method="post" action="/api/auth/signin/instagram">
    <input type="hidden" name="csrfToken" value="{{ csrf }}">
    <input type="hidden" name="callbackUrl" value="/dashboard">
    <button>Continue with Instagram</button>
  </form>
{% endif %}
""")
# --8<-- [end:forms]
