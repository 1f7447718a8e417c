"""Apply Alembic migrations programmatically (``praxi-server migrate`` and embedded start)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(engine: Engine, revision: str = "heads") -> None:
    config = alembic_config()
    with engine.begin() as connection:
        # Serialise concurrent starts (several workers or hosts) on one database.
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(727274001)")
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
