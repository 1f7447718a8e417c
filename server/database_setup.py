"""Engines for the command-line tools, and "bring the schema up to date" for every start.

Two roles may be configured (``server.db_roles``): the owner runs migrations, backups and
restores; everything else runs as the application role. Every engine brings the audit
chain's key (``server.audit.key``), without which no audit entry can be written.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine

from server.audit.key import audit_key_for, connection_options
from server.db import make_engine
from server.db_roles import audit_protection_gaps, grant_app_privileges, role_of
from server.migrate import upgrade
from server.settings import Settings

log = logging.getLogger(__name__)


def engine_for(settings: Settings, *, owner: bool = False, pool_size: int = 1) -> Engine:
    url = settings.owner_database_url if owner else settings.database_url
    assert url is not None, "no database URL (the embedded database is started by the CLI)"
    return make_engine(
        url.get_secret_value(),
        pool_size=pool_size,
        audit_options=connection_options(audit_key_for(settings)),
    )


def migrate_and_grant(settings: Settings) -> None:
    """Migrations as the owner, then the application role's rights (re-applied each time, so
    that tables added by a migration are covered)."""
    assert settings.database_url is not None
    owner = engine_for(settings, owner=True)
    try:
        upgrade(owner)
        grant_app_privileges(owner, role_of(settings.database_url.get_secret_value()))
    finally:
        owner.dispose()


def warn_about_audit_protection(app_engine: Engine) -> list[str]:
    gaps = audit_protection_gaps(app_engine)
    for gap in gaps:
        log.warning(
            "%s: it could rewrite the audit trail; connect with a role that owns nothing and "
            "set PRAXI_MIGRATION_DATABASE_URL for the owner (docs/audit-trail.md)",
            gap,
        )
    return gaps
