"""Roles, users, audit log, refresh-token families, login failures.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ROLES = [
    ("admin", "Admin"),
    ("assistant", "Assistent"),
    ("doctor", "Arzt"),
    ("billing", "Abrechnung"),
    ("nurse", "Pflege"),
    ("reception", "Empfang"),
    ("lab", "Labor"),
    ("management", "Management"),
]


def upgrade() -> None:
    # Exclusion constraints over (id, tstzrange) need btree_gist (later migrations).
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")

    roles = op.create_table(
        "roles",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("label", sa.String(128), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_roles"),
        sa.UniqueConstraint("name", name="uq_roles_name"),
        sa.CheckConstraint("name ~ '^[a-z0-9_]+$'", name="ck_roles_name_format"),
    )
    op.bulk_insert(roles, [{"name": n, "label": label} for n, label in ROLES])
    # Roles are permanent (01 §1).
    op.execute(
        """
        CREATE FUNCTION praxi_forbid_role_delete() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'roles cannot be deleted';
        END $$;
        CREATE TRIGGER roles_no_delete BEFORE DELETE ON roles
            FOR EACH ROW EXECUTE FUNCTION praxi_forbid_role_delete();
        """
    )

    op.create_table(
        "users",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("username", sa.String(150), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("first_name", sa.String(150), nullable=False, server_default=""),
        sa.Column("last_name", sa.String(150), nullable=False, server_default=""),
        sa.Column("email", sa.String(254), nullable=False, server_default=""),
        sa.Column("role_id", sa.BigInteger, nullable=True),
        sa.Column("calendar_color", sa.String(7), nullable=False, server_default="#1E90FF"),
        sa.Column("vacation_days_per_year", sa.BigInteger, nullable=False, server_default="30"),
        sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column(
            "date_joined",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        ),
        sa.Column("last_login", sa.DateTime(timezone=True), nullable=True),
        sa.Column("token_version", sa.BigInteger, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.ForeignKeyConstraint(
            ["role_id"], ["roles.id"], name="fk_users_role_id_roles", ondelete="RESTRICT"
        ),
        sa.CheckConstraint("vacation_days_per_year >= 0", name="ck_users_vacation_days"),
    )
    op.create_index("ix_users_role_id", "users", ["role_id"])
    op.create_index(
        "uq_users_username_lower", "users", [sa.text("lower(username)")], unique=True
    )
    op.create_index(
        "uq_users_email_lower",
        "users",
        [sa.text("lower(email)")],
        unique=True,
        postgresql_where=sa.text("email <> ''"),
    )

    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("user_id", sa.BigInteger, nullable=True),
        sa.Column("role_name", sa.String(50), nullable=False, server_default=""),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("patient_id", sa.BigInteger, nullable=True),
        sa.Column(
            "timestamp",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.clock_timestamp(),
        ),
        sa.Column("meta", postgresql.JSONB, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_audit_log_user_id_users", ondelete="RESTRICT"
        ),
    )
    for name, cols in [
        ("ix_audit_log_user_id", ["user_id"]),
        ("ix_audit_log_role_name", ["role_name"]),
        ("ix_audit_log_action", ["action"]),
        ("ix_audit_log_patient_id", ["patient_id"]),
        ("ix_audit_log_timestamp", ["timestamp"]),
        ("ix_audit_log_action_timestamp", ["action", "timestamp"]),
        ("ix_audit_log_patient_id_timestamp", ["patient_id", "timestamp"]),
        ("ix_audit_log_timestamp_id", ["timestamp", "id"]),
    ]:
        op.create_index(name, "audit_log", cols)
    op.execute(
        """
        CREATE FUNCTION praxi_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP;
        END $$;
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
            FOR EACH ROW EXECUTE FUNCTION praxi_audit_log_append_only();
        CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
            FOR EACH STATEMENT EXECUTE FUNCTION praxi_audit_log_append_only();
        """
    )

    op.create_table(
        "refresh_token_families",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("current_jti", sa.String(64), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_refresh_token_families"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name="fk_refresh_token_families_user_id_users",
            ondelete="RESTRICT",
        ),
    )
    op.create_index("ix_refresh_token_families_user_id", "refresh_token_families", ["user_id"])

    op.create_table(
        "login_failures",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("username_key", sa.String(150), nullable=False),
        sa.Column("client_address", sa.String(64), nullable=False, server_default=""),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_failures"),
    )
    op.create_index(
        "ix_login_failures_username_failed_at", "login_failures", ["username_key", "failed_at"]
    )


def downgrade() -> None:
    op.drop_table("login_failures")
    op.drop_table("refresh_token_families")
    op.execute("DROP TABLE audit_log")
    op.execute("DROP FUNCTION praxi_audit_log_append_only()")
    op.drop_table("users")
    op.execute("DROP TABLE roles")
    op.execute("DROP FUNCTION praxi_forbid_role_delete()")
