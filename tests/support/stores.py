"""Store tests: a browser that signs in through the mock IdP (real HTTP) against a config
with a store, and throwaway databases on the real servers (a uniquely named PostgreSQL schema
or MariaDB database, dropped afterwards)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import httpx
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from authcore import Response
from authcore.providers.github import GitHub
from authcore.providers.instagram import Instagram
from authcore.providers.oidc import OIDC
from authcore.testing import MockIdP
from tests.support.security import Browser as _Browser
from tests.support.security import Clock
from tests.support.services import service_url

__all__ = [
    "BASE",
    "ORIGIN",
    "SECRET",
    "SESSION",
    "Browser",
    "Clock",
    "EventLog",
    "make_config",
    "mariadb_database",
    "postgres_schema",
    "postgres_url",
]

SECRET = "stores-suite-secret-0123456789abcdef-0123"
ORIGIN = "http://localhost:3000"
BASE = f"{ORIGIN}/api/auth"
SESSION = "authjs.session-token"


class EventLog:
    """Records each event with its keyword arguments."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, dict[str, Any]]] = []

    def handlers(self) -> dict[str, Any]:
        names = ("sign_in", "sign_out", "create_user", "update_user", "link_account", "session")
        return {name: self._recorder(name) for name in names}

    def _recorder(self, name: str) -> Any:
        def record(**kwargs: Any) -> None:
            self.seen.append((name, kwargs))

        return record

    def names(self) -> list[str]:
        return [name for name, _ in self.seen]

    def of(self, name: str) -> list[dict[str, Any]]:
        return [kwargs for n, kwargs in self.seen if n == name]


def make_config(idp: MockIdP, store: Any, **extra: Any) -> dict[str, Any]:
    github = GitHub(**idp.provider_options("oauth2"))
    config: dict[str, Any] = {
        "secret": SECRET,
        "env": {},
        "adapter": store,
        "providers": [
            github,
            OIDC(**idp.provider_options("oidc")),
            Instagram(**idp.provider_options("instagram")),
        ],
    }
    config.update(extra)
    return config


class Browser(_Browser):
    def __init__(self, config: Mapping[str, Any], client: str | None = None) -> None:
        super().__init__(config, ORIGIN, client)

    def oauth(self, provider_id: str) -> Response:
        """The whole sign-in: POST signin, the IdP (real HTTP), the callback."""
        with httpx.Client() as client:
            path = self.start_oauth(client, provider_id)
        return self.call("GET", path)

    def session(self) -> Any:
        return self.call("GET", "/session").json()

    def sign_out(self) -> Response:
        return self.call("POST", "/signout", form={"csrfToken": self.csrf(), "callbackUrl": "/"})


def postgres_url(driver: str | None = None) -> str:
    """The test PostgreSQL server's URL, with `driver` (psycopg, asyncpg) if given."""
    url = make_url(service_url("POSTGRES"))
    if driver is not None:
        url = url.set(drivername=f"postgresql+{driver}")
    return url.render_as_string(hide_password=False)


def unique_name(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(6)}"


@contextmanager
def postgres_schema() -> Iterator[str]:
    name = unique_name("authcore_stores")
    engine = sa.create_engine(postgres_url("psycopg"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
        yield name
    finally:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        engine.dispose()


@contextmanager
def mariadb_database() -> Iterator[str]:
    """The URL of a fresh MariaDB database."""
    name = unique_name("authcore_stores")
    admin = make_url(service_url("MYSQL"))
    engine = sa.create_engine(admin.set(drivername="mysql+pymysql"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS `{name}`")
        engine.dispose()
