"""The application's database role: everything it needs, nothing that lets it rewrite history.

The server connects as a role that owns nothing (``PRAXI_DATABASE_URL``; ``praxi_app`` in the
embedded mode). Migrations run as the owner of the tables (``PRAXI_MIGRATION_DATABASE_URL``;
the cluster's ``praxi`` role in the embedded mode), which afterwards grants the application
role exactly this (issue 22):

- SELECT, INSERT, UPDATE, DELETE on every table, except
- ``audit_log``: INSERT and SELECT only (it cannot disable the append-only triggers either:
  only an owner can), and ``audit_log_chain``: SELECT only (the chain triggers run as their
  owner, ``SECURITY DEFINER``), and ``alembic_version``: SELECT only;
- USAGE, SELECT, UPDATE on the sequences (identity columns; ``setval`` for patient numbers).

The grants are re-applied after every migration run, so new tables are covered. Central
installations create the two roles once (docs/audit-trail.md).
"""

from __future__ import annotations

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

_READ_ONLY_TABLES = ("audit_log_chain", "alembic_version")


def role_of(url: str) -> str:
    name = make_url(url).username
    if not name:
        raise ValueError("the database URL names no user")
    return name


def grant_app_privileges(owner_engine: Engine, app_role: str) -> None:
    """As the owner: give ``app_role`` the application's rights (idempotent)."""
    with owner_engine.begin() as conn:
        if conn.execute(text("SELECT current_user")).scalar_one() == app_role:
            return  # one role for both: nothing to separate (a warning says so at start)
        role = conn.execute(text("SELECT quote_ident(:r)"), {"r": app_role}).scalar_one()
        schema = conn.execute(text("SELECT quote_ident(current_schema())")).scalar_one()
        statements = [
            f"GRANT USAGE ON SCHEMA {schema} TO {role}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
            # UPDATE: setval() — new patients skip numbers already taken (patients.service).
            f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
            f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_log FROM {role}",
        ]
        statements += [
            f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {table} FROM {role}"
            for table in _READ_ONLY_TABLES
        ]
        for statement in statements:
            conn.execute(text(statement))


_PROTECTION = text(
    """
    SELECT r.rolsuper,
           pg_has_role(current_user, c.relowner, 'USAGE'),
           has_table_privilege(c.oid, 'UPDATE') OR has_table_privilege(c.oid, 'DELETE')
             OR has_table_privilege(c.oid, 'TRUNCATE')
      FROM pg_roles r, pg_class c
     WHERE r.rolname = current_user AND c.oid = to_regclass('audit_log')
    """
)


def audit_protection_gaps(app_engine: Engine) -> list[str]:
    """Why the application's role could rewrite the audit log (empty: it cannot)."""
    with app_engine.connect() as conn:
        row = conn.execute(_PROTECTION).one_or_none()
    if row is None:
        return []
    superuser, owner, may_change = row
    gaps = []
    if superuser:
        gaps.append("the server's database role is a superuser")
    elif owner:
        gaps.append("the server's database role owns the audit log")
    elif may_change:
        gaps.append("the server's database role may update or delete audit entries")
    return gaps
