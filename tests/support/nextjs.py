"""One small API per framework, built on the read-only Next.js adapters, and a uniform way to
call it through that framework's own test client. Shared by the adapter and interop tests."""

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Any

import django
from asgiref.sync import async_to_sync
from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.test import AsyncClient, Client, override_settings
from django.urls import path
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from flask import Flask, jsonify

from authcore.adapters.nextjs import django as dj
from authcore.adapters.nextjs import flask as fl
from authcore.adapters.nextjs.fastapi import NextAuthSession
from authcore.nextjs import Session

FRAMEWORKS = ("fastapi", "flask", "django")


@dataclass
class Reply:
    status: int
    body: Any
    headers: Mapping[str, str]


def _lower(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {k.lower(): v for k, v in items}


def _session_json(session: Session | None) -> Any:
    return None if session is None else session.to_dict()


# -- FastAPI --------------------------------------------------------------------------------


def fastapi_app(options: Mapping[str, Any]) -> FastAPI:
    app = FastAPI()
    nextauth = NextAuthSession(**options)

    @app.get("/me")
    async def me(session: Annotated[Session | None, Depends(nextauth)]) -> Any:
        return {"session": _session_json(session)}

    @app.get("/private")
    async def private(session: Annotated[Session, Depends(nextauth.require_session)]) -> Any:
        return {"email": session.user.email, "sub": session.user.id, "gen": session.generation}

    @app.get("/private-async")
    async def private_async(session: Annotated[Session, Depends(nextauth.require_session)]) -> Any:
        return {"email": session.user.email, "sub": session.user.id, "gen": session.generation}

    @app.get("/token")
    async def token(claims: Annotated[dict[str, Any] | None, Depends(nextauth.token)]) -> Any:
        return {"token": claims}

    @app.post("/items", dependencies=[Depends(nextauth.require_csrf)])
    async def create(session: Annotated[Session, Depends(nextauth.require_session)]) -> Any:
        return {"ok": True, "sub": session.user.id}

    @app.get("/items", dependencies=[Depends(nextauth.require_csrf)])
    async def list_items() -> Any:
        return {"ok": True}

    return app


# -- Flask ----------------------------------------------------------------------------------


def flask_app(options: Mapping[str, Any], *, via_config: bool = False) -> Flask:
    app = Flask(__name__)
    app.testing = True  # let exceptions (a bad config) reach the test
    if via_config:
        app.config["AUTHCORE_NEXTAUTH"] = dict(options)
    else:
        fl.NextAuth(app, **options)

    @app.get("/me")
    def me() -> Any:
        return jsonify(session=_session_json(fl.get_nextauth_session()))

    @app.get("/private")
    @fl.nextauth_required
    def private() -> Any:
        session = fl.get_nextauth_session()
        assert session is not None
        return jsonify(email=session.user.email, sub=session.user.id, gen=session.generation)

    @app.get("/private-async")
    @fl.nextauth_required
    async def private_async() -> Any:
        session = fl.get_nextauth_session()
        assert session is not None
        return jsonify(email=session.user.email, sub=session.user.id, gen=session.generation)

    @app.get("/token")
    def token() -> Any:
        return jsonify(token=fl.get_nextauth_token())

    @app.route("/items", methods=["GET", "POST"])
    @fl.nextauth_required
    @fl.nextauth_csrf_protect
    def items() -> Any:
        session = fl.get_nextauth_session()
        assert session is not None
        return jsonify(ok=True, sub=session.user.id)

    return app


# -- Django ---------------------------------------------------------------------------------


def dj_me(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"session": _session_json(dj.get_nextauth(request).session)})


@dj.nextauth_required
def dj_private(request: HttpRequest) -> JsonResponse:
    session = dj.get_nextauth(request).session
    assert session is not None
    return JsonResponse(
        {"email": session.user.email, "sub": session.user.id, "gen": session.generation}
    )


@dj.nextauth_required
async def dj_private_async(request: HttpRequest) -> JsonResponse:
    session = dj.get_nextauth(request).session
    assert session is not None
    return JsonResponse(
        {"email": session.user.email, "sub": session.user.id, "gen": session.generation}
    )


def dj_token(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"token": dj.get_nextauth(request).token})


@dj.nextauth_required
@dj.nextauth_csrf_protect
def dj_items(request: HttpRequest) -> JsonResponse:
    session = dj.get_nextauth(request).session
    assert session is not None
    return JsonResponse({"ok": True, "sub": session.user.id})


urlpatterns = [
    path("me", dj_me),
    path("private", dj_private),
    path("private-async", dj_private_async),
    path("token", dj_token),
    path("items", dj_items),
]

DJANGO_MIDDLEWARE = [
    "django.middleware.csrf.CsrfViewMiddleware",  # on, to show the CSRF decorator replaces it
    "authcore.adapters.nextjs.django.NextAuthMiddleware",
]


def ensure_django() -> None:
    """Configure Django only when a test runs, not at import: another test module configured
    at collection time keeps its settings, and everything here goes through override_settings."""
    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="nextjs-adapter-tests",
            ALLOWED_HOSTS=["testserver"],
            ROOT_URLCONF=__name__,
            MIDDLEWARE=[],
        )
        django.setup()


@contextmanager
def django_settings(options: Mapping[str, Any]) -> Iterator[None]:
    ensure_django()
    with override_settings(
        ROOT_URLCONF=__name__,
        MIDDLEWARE=DJANGO_MIDDLEWARE,
        AUTHCORE_NEXTAUTH=dict(options),
        ALLOWED_HOSTS=["testserver"],
    ):
        yield


class _AsyncClient(AsyncClient):
    """Django's AsyncClient always sends its (empty) cookie jar as a `cookie` header, which
    Django's ASGIRequest then joins to ours with ","; drop the empty one."""

    def _base_scope(self, **request: Any) -> dict[str, Any]:
        scope: dict[str, Any] = super()._base_scope(**request)  # type: ignore[misc]
        scope["headers"] = [(k, v) for k, v in scope["headers"] if not (k == b"cookie" and not v)]
        return scope


# -- one calling convention -----------------------------------------------------------------

Caller = Callable[..., Reply]


@contextmanager
def api(framework: str, options: Mapping[str, Any]) -> Iterator[Caller]:
    """``call(method, path, cookie=None, headers=None) -> Reply`` for ``framework``."""
    if framework == "fastapi":
        client = TestClient(fastapi_app(options))

        def call_fastapi(
            method: str, url: str, cookie: str | None = None, headers: Mapping[str, str] = {}
        ) -> Reply:
            h = dict(headers)
            if cookie is not None:
                h["cookie"] = cookie
            res = client.request(method, url, headers=h)
            return Reply(res.status_code, res.json(), _lower(res.headers.items()))

        yield call_fastapi
    elif framework == "flask":
        fclient = flask_app(options).test_client(use_cookies=False)

        def call_flask(
            method: str, url: str, cookie: str | None = None, headers: Mapping[str, str] = {}
        ) -> Reply:
            h = dict(headers)
            if cookie is not None:
                h["Cookie"] = cookie
            res = fclient.open(url, method=method, headers=h)
            return Reply(res.status_code, res.get_json(), _lower(res.headers.items()))

        yield call_flask
    elif framework == "django":
        with django_settings(options):
            sync_client = Client(enforce_csrf_checks=True)
            async_client = _AsyncClient(enforce_csrf_checks=True)

            def call_django(
                method: str, url: str, cookie: str | None = None, headers: Mapping[str, str] = {}
            ) -> Reply:
                h = dict(headers)
                if cookie is not None:
                    h["Cookie"] = cookie
                if url.endswith("-async"):

                    async def go() -> Any:
                        return await async_client.generic(method, url, headers=h)

                    ares = async_to_sync(go)()
                    return Reply(
                        ares.status_code, json.loads(ares.content), _lower(ares.headers.items())
                    )
                res = sync_client.generic(method, url, headers=h)
                return Reply(res.status_code, json.loads(res.content), _lower(res.headers.items()))

            yield call_django
    else:  # pragma: no cover
        raise ValueError(framework)
