"""A store on the Django ORM, shipped as a Django app (app label `authcore`).

    INSTALLED_APPS = [..., "authcore.stores.django"]   # then: manage.py migrate
    AUTHCORE = {"adapter": DjangoStore(), ...}           # AsyncDjangoStore() for ASGI views

The tables have the Prisma/Kysely names and columns of Auth.js, so a Next.js app can share
the database. `UserMapping` puts users into your own `AUTH_USER_MODEL`, and
`UserBridgeMiddleware` makes `request.user` (and optionally `django.contrib.auth.login`)
follow the authcore session. See docs/stores/django.md.

The names are loaded on first use: this package is also the app Django imports while it
starts, before models can be imported.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._bridge import UserBridgeMiddleware
    from ._mapping import UserMapping
    from ._store import AsyncDjangoStore, DjangoStore, DjangoStoreError

__all__ = [
    "AsyncDjangoStore",
    "DjangoStore",
    "DjangoStoreError",
    "UserBridgeMiddleware",
    "UserMapping",
]

_WHERE = {
    "AsyncDjangoStore": "._store",
    "DjangoStore": "._store",
    "DjangoStoreError": "._store",
    "UserBridgeMiddleware": "._bridge",
    "UserMapping": "._mapping",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
