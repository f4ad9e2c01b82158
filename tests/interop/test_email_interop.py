"""Email links shared with a live `@auth/core@0.41.3` on one database (`@auth/kysely-adapter`
on the Node side, the SQLAlchemy store on ours), PostgreSQL (`pg`) and SQLite
(`better-sqlite3`): a link Auth.js issued signs in with authcore, and a link authcore issued
signs in with Auth.js."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from authcore.providers.nodemailer import Nodemailer
from authcore.stores.sqlalchemy import SQLAlchemyStore
from tests.support.stores import Browser

from .conftest import shared_database
from .node_bridge import NodeWorker

pytestmark = pytest.mark.interop

SECRET = "interop-email-secret-0123456789abcdef"
ORIGIN = "http://localhost:3000"
ADDRESS = "erin@example.com"


@pytest.fixture
def node(own_worker: NodeWorker) -> NodeWorker:
    return own_worker


@pytest.fixture(params=["postgres", "sqlite"])
def shared(
    request: pytest.FixtureRequest, node: NodeWorker, tmp_path: Path
) -> Iterator[tuple[dict[str, Any], SQLAlchemyStore]]:
    with shared_database(request.param, node, tmp_path) as both:
        yield both


def _node(authjs: NodeWorker, db: dict[str, Any], method: str, path: str, **kw: Any) -> Any:
    return authjs.call_ok(
        "v5.auth",
        method=method,
        url=f"{ORIGIN}/api/auth{path}",
        config={
            "secret": SECRET,
            "trustHost": True,
            "basePath": "/api/auth",
            "providers": [{"type": "email"}],
            "adapter": db,
        },
        **kw,
    )


def _cookies(res: dict[str, Any]) -> str:
    return "; ".join(v.split(";")[0] for k, v in res["headers"] if k == "set-cookie")


def _authcore(store: SQLAlchemyStore) -> Browser:
    provider = Nodemailer(server="smtp://127.0.0.1:1", send_verification_request=_keep)
    return Browser({"secret": SECRET, "env": {}, "adapter": store, "providers": [provider]})


_links: list[str] = []


def _keep(params: Any) -> None:
    _links.append(params.url)


def test_a_link_from_authjs_signs_in_with_authcore(node: NodeWorker, shared: Any) -> None:
    authjs = node
    db, store = shared
    csrf = _node(authjs, db, "GET", "/csrf")
    assert isinstance(csrf.get("json"), dict), csrf
    res = _node(
        authjs,
        db,
        "POST",
        "/signin/nodemailer",
        headers={"cookie": _cookies(csrf)},
        body={"csrfToken": csrf["json"]["csrfToken"], "email": ADDRESS},
    )
    assert res["status"] == 302, res
    [link] = authjs.call_ok("v5.sentLinks")["links"]
    browser = _authcore(store)
    parts = urlsplit(link)
    out = browser.call("GET", f"{parts.path.removeprefix('/api/auth')}?{parts.query}")
    assert out.location == ORIGIN
    assert browser.call("GET", "/session").json()["user"]["email"] == ADDRESS


def test_a_link_from_authcore_signs_in_with_authjs(node: NodeWorker, shared: Any) -> None:
    authjs = node
    db, store = shared
    browser = _authcore(store)
    form = {"csrfToken": browser.csrf(), "email": ADDRESS}
    assert browser.call("POST", "/signin/nodemailer", form=form).status == 302
    link = _links.pop()
    parts = urlsplit(link)
    res = _node(authjs, db, "GET", f"{parts.path.removeprefix('/api/auth')}?{parts.query}")
    assert res["status"] == 302, res
    location = dict(res["headers"])["location"]
    assert "error" not in location, res
    assert store.get_user_by_email(ADDRESS) is not None
    assert any(
        v.startswith("authjs.session-token=") for k, v in res["headers"] if k == "set-cookie"
    )
