"""Flask + authcore: sign in with Instagram.

Run:  .venv/bin/python examples/flask_app.py            (http://127.0.0.1:8000)
      .venv/bin/python examples/flask_app.py --port 8001

With AUTH_INSTAGRAM_ID / AUTH_INSTAGRAM_SECRET set it uses the real Instagram (which needs
https: see docs/instagram-setup.md); with AUTH_MOCK_IDP_URL the running `authcore mock-idp`;
otherwise a built-in mock Instagram.
"""

from __future__ import annotations

import argparse
import os
import secrets
from html import escape
from typing import Any

from flask import Flask

from authcore.adapters.flask import AuthCore, Session, get_session, login_required
from authcore.providers.instagram import Instagram


def make_app(origin: str) -> Flask:
    if not os.environ.get("AUTH_INSTAGRAM_ID") and not os.environ.get("AUTH_MOCK_IDP_URL"):
        from authcore.testing import MockIdP

        idp = MockIdP(auto_approve=False).start()  # shows a consent page, like Instagram
        os.environ["AUTH_MOCK_IDP_URL"] = idp.url  # points the providers at it
    instagram = Instagram()  # AUTH_INSTAGRAM_ID / _SECRET, or the mock of AUTH_MOCK_IDP_URL

    config: dict[str, Any] = {"providers": [instagram], "url": origin}
    if not os.environ.get("AUTH_SECRET"):
        config["secret"] = secrets.token_urlsafe(32)  # sessions end when the app stops

    app = Flask(__name__)
    AuthCore(app, config)  # serves /api/auth/*

    @app.get("/")
    def home() -> str:
        session = get_session()
        if session is None:
            return page("Home", f"Not signed in. <a id=signin href='{SIGNIN}'>Sign in</a>")
        return page("Home", f"{who(session)} <a href='/protected'>Protected page</a>")

    @app.get("/protected")
    @login_required  # signed out: redirect to /api/auth/signin?callbackUrl=/protected
    def protected() -> str:
        session = get_session()
        assert session is not None
        return page("Protected page", f"{who(session)} <a id=signout href='{SIGNOUT}'>Sign out</a>")

    return app


SIGNIN = "/api/auth/signin?callbackUrl=/protected"
SIGNOUT = "/api/auth/signout?callbackUrl=/"


def page(title: str, body: str) -> str:
    return (
        f"<!doctype html><meta charset=utf-8><title>{title} · Flask + authcore</title>"
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
    make_app(origin).run(host=args.host, port=args.port)
