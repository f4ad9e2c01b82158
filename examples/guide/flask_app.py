"""Flask, day two: what the docs' Flask page shows, run by tests/guide.

The docs include the parts between the `--8<--` markers. Settings come from the environment:
AUTH_SECRET, AUTH_URL, and AUTH_INSTAGRAM_ID / _SECRET or AUTH_MOCK_IDP_URL.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
from flask import Flask, jsonify, render_template_string
from flask.typing import ResponseReturnValue

from authcore.adapters.flask import (
    AuthCore,
    csrf_token,
    get_session,
    get_token,
    login_required,
    sign_in,
    sign_out,
)
from authcore.providers.instagram import Instagram, refresh_long_lived_token

# --8<-- [start:config]
REFRESH_BELOW = 45 * 86400  # refresh the 60-day Instagram token once less than this is left


def create_app(clock: Callable[[], float] = time.time) -> Flask:
    def jwt(
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
            with httpx.Client() as client:
                fresh = refresh_long_lived_token(
                    token["access_token"],
                    client=client,
                    provider=auth.provider("instagram"),
                    now=clock,
                )
            return {**token, **fresh}  # written back on this response
        return token

    def session(*, session: dict[str, Any], token: dict[str, Any]) -> dict[str, Any]:
        return {**session, "username": token["username"]}

    app = Flask(__name__)
    auth = AuthCore(
        app,
        {
            "providers": [Instagram(long_lived=True)],
            "callbacks": {"jwt": jwt, "session": session},
            "clock": clock,
        },
    )
    # --8<-- [end:config]

    # --8<-- [start:views]
    @app.get("/api/me")
    @login_required  # an API call (JSON, or not GET) without a session: 401
    def me() -> ResponseReturnValue:
        return jsonify(get_session())  # `username` included

    @app.get("/api/media-count")
    @login_required
    def media_count() -> ResponseReturnValue:
        token = get_token()  # the decoded session token: server side only
        assert token is not None
        graph = auth.provider("instagram").graph_url  # the Graph API, or the mock's
        answer = httpx.get(
            f"{graph}/v25.0/me",
            params={"fields": "media_count", "access_token": token["access_token"]},
        )
        return {"media_count": answer.json()["media_count"]}

    @app.get("/dashboard")
    @login_required  # a page load without a session: 303 to the sign-in page
    def dashboard() -> ResponseReturnValue:
        session = get_session()
        assert session is not None
        return f"Dashboard of @{session.get('username')}"

    # --8<-- [end:views]

    # --8<-- [start:forms]
    @app.get("/login")
    def login() -> ResponseReturnValue:
        # csrf_token(): its cookie goes out with this page
        return render_template_string(LOGIN_PAGE, csrf=csrf_token(), session=get_session())

    @app.get("/login/instagram")
    def login_instagram() -> ResponseReturnValue:
        return sign_in("instagram", callback_url="/dashboard")

    @app.post("/account/close")
    @login_required
    def close_account() -> ResponseReturnValue:
        ...  # delete the user's data, then:
        return sign_out(callback_url="/")

    return app


LOGIN_PAGE = """
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
"""
# --8<-- [end:forms]
