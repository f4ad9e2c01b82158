"""FastAPI + authcore: sign in with Instagram.

Run:  .venv/bin/python examples/fastapi_app.py            (http://127.0.0.1:8000)
      .venv/bin/python examples/fastapi_app.py --port 8001

With AUTH_INSTAGRAM_ID / AUTH_INSTAGRAM_SECRET set it uses the real Instagram (which needs
https: see docs/instagram-setup.md); with AUTH_MOCK_IDP_URL the running `authcore mock-idp`;
otherwise a built-in mock Instagram.
"""

# No `from __future__ import annotations`: FastAPI reads the `Annotated` dependencies at runtime.

import argparse
import os
import secrets
from html import escape
from typing import Annotated, Any

import uvicorn
from fastapi import Depends, FastAPI
from fastapi.responses import HTMLResponse, RedirectResponse

from authcore.adapters.starlette import Session, StarletteAuth
from authcore.providers.instagram import Instagram


def make_app(origin: str) -> FastAPI:
    if not os.environ.get("AUTH_INSTAGRAM_ID") and not os.environ.get("AUTH_MOCK_IDP_URL"):
        from authcore.testing import MockIdP

        idp = MockIdP(auto_approve=False).start()  # shows a consent page, like Instagram
        os.environ["AUTH_MOCK_IDP_URL"] = idp.url  # points the providers at it
    instagram = Instagram()  # AUTH_INSTAGRAM_ID / _SECRET, or the mock of AUTH_MOCK_IDP_URL

    config: dict[str, Any] = {"providers": [instagram], "url": origin}
    if not os.environ.get("AUTH_SECRET"):
        config["secret"] = secrets.token_urlsafe(32)  # sessions end when the app stops

    auth = StarletteAuth(config)
    app = FastAPI()
    auth.install(app)  # serves /api/auth/*

    @app.get("/", response_class=HTMLResponse)
    async def home(session: Annotated[Session | None, Depends(auth.session)]) -> str:
        if session is None:
            return page("Home", f"Not signed in. <a id=signin href='{SIGNIN}'>Sign in</a>")
        return page("Home", f"{who(session)} <a href='/protected'>Protected page</a>")

    @app.get("/protected", response_class=HTMLResponse, response_model=None)
    async def protected(session: Annotated[Session | None, Depends(auth.session)]) -> Any:
        if session is None:
            return RedirectResponse(SIGNIN, status_code=303)
        return page("Protected page", f"{who(session)} <a id=signout href='{SIGNOUT}'>Sign out</a>")

    @app.get("/api/me")
    async def me(session: Annotated[Session, Depends(auth.require_session)]) -> Session:
        return session  # 401 without a session

    return app


SIGNIN = "/api/auth/signin?callbackUrl=/protected"
SIGNOUT = "/api/auth/signout?callbackUrl=/"


def page(title: str, body: str) -> str:
    return (
        f"<!doctype html><meta charset=utf-8><title>{title} · FastAPI + authcore</title>"
        f"<body style='font-family:system-ui;margin:3rem'><h1>{title}</h1><p>{body}"
    )


def who(session: Session) -> str:
    return f"Signed in as <b id=user>{escape(session['user'].get('name') or '')}</b>."


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    origin = os.environ.get("AUTH_URL") or f"http://{args.host}:{args.port}"
    uvicorn.run(make_app(origin), host=args.host, port=args.port)
