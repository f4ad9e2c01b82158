"""Alembic support for authcore's tables (Alembic stays optional: `authcore[alembic]`).

    from alembic import command
    from authcore.stores.sqlalchemy.migrations import alembic_config

    command.upgrade(alembic_config("postgresql://app@db/app"), "head")

The revisions carry the branch label `authcore` and their own version table
(`authcore_alembic_version`), so they run beside an app's own migrations. Online only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = ["SCRIPT_LOCATION", "alembic_config"]

SCRIPT_LOCATION = "authcore.stores.sqlalchemy:migrations"


def alembic_config(url: str, *, schema: str | None = None) -> Config:
    """An Alembic `Config` for authcore's migrations on the database at `url`."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if schema:
        config.set_main_option("authcore_schema", schema)
    return config
