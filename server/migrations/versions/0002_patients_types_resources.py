"""Patients, appointment types, operation types, resources.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Case folding for the patient search (02 §1.4). Plain lower()/ILIKE only fold ASCII under
# a C locale (the embedded cluster's), so "özdemir" would not find "Özdemir"; the builtin
# C.UTF-8 collation (PostgreSQL >= 17) or ICU fold every letter. The function must be
# IMMUTABLE because a generated column uses it.
CASEFOLD_FUNCTION = """
DO $$
DECLARE
    utf8 boolean := (SELECT pg_encoding_to_char(encoding) = 'UTF8'
                     FROM pg_database WHERE datname = current_database());
    body text;
BEGIN
    IF utf8 AND EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'pg_c_utf8') THEN
        body := 'SELECT lower($1 COLLATE pg_c_utf8)';
    ELSIF utf8 AND EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu') THEN
        body := 'SELECT lower($1 COLLATE "und-x-icu")';
    ELSE
        body := 'SELECT lower($1)';
    END IF;
    EXECUTE format(
        'CREATE FUNCTION praxi_casefold(text) RETURNS text '
        'LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS %L', body);
END $$;
"""

# Trigram index for the substring search when pg_trgm can be installed (the embedded
# PostgreSQL ships it; a managed server may refuse it — the search then scans the table,
# which stays correct).
TRIGRAM_INDEX = """
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')
       AND EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
        BEGIN
            CREATE EXTENSION pg_trgm;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE NOTICE 'pg_trgm not installed (%), patient search without trigram index',
                SQLERRM;
        END;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX ix_patients_search_trgm ON patients USING gin (search_text gin_trgm_ops);
    END IF;
END $$;
"""

SEARCH_EXPRESSION = (
    "praxi_casefold(first_name || ' ' || last_name || ' ' || coalesce(phone, '') || ' ' "
    "|| coalesce(email, '') || ' ' || coalesce(insurance_number, ''))"
)


def _timestamps(*, nullable: bool) -> list[sa.Column[object]]:
    return [
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=nullable,
            server_default=sa.func.now(),
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            nullable=nullable,
            server_default=sa.func.now(),
        ),
    ]


def upgrade() -> None:
    op.execute(CASEFOLD_FUNCTION)
    op.execute("CREATE SEQUENCE patients_id_seq AS bigint START WITH 1 MINVALUE 1")
    op.create_table(
        "patients",
        sa.Column("id", sa.BigInteger, nullable=False, autoincrement=False),
        sa.Column("first_name", sa.String(100), nullable=False, server_default=""),
        sa.Column("last_name", sa.String(100), nullable=False, server_default=""),
        sa.Column("birth_date", sa.Date, nullable=True),
        sa.Column("gender", sa.String(20), nullable=True),
        sa.Column("phone", sa.String(50), nullable=True),
        sa.Column("email", sa.String(255), nullable=True),
        sa.Column("insurance_number", sa.String(50), nullable=True),
        # Nullable: rows imported from the original system have no timestamps (02 §1.1).
        *_timestamps(nullable=True),
        sa.Column(
            "search_text", sa.Text, sa.Computed(SEARCH_EXPRESSION, persisted=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name="pk_patients"),
        sa.CheckConstraint("id > 0", name="ck_patients_id_positive"),
    )
    op.create_index("ix_patients_name_order", "patients", ["last_name", "first_name", "id"])
    op.create_index("ix_patients_birth_date", "patients", ["birth_date"])
    op.execute(TRIGRAM_INDEX)

    op.create_table(
        "appointment_types",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("color", sa.String(7), nullable=True, server_default="#2E8B57"),
        sa.Column("duration_minutes", sa.BigInteger, nullable=True),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        *_timestamps(nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_appointment_types"),
        sa.CheckConstraint(
            "duration_minutes IS NULL OR duration_minutes BETWEEN 1 AND 1440",
            name="ck_appointment_types_duration_range",
        ),
    )
    op.create_index("ix_appointment_types_order", "appointment_types", ["name", "id"])
    op.create_index("ix_appointment_types_active", "appointment_types", ["active"])

    op.create_table(
        "operation_types",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("prep_duration", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("op_duration", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("post_duration", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("color", sa.String(7), nullable=False, server_default="#8A2BE2"),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        *_timestamps(nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_operation_types"),
        *[
            sa.CheckConstraint(
                f"{column} BETWEEN 0 AND 1440", name=f"ck_operation_types_{column}_range"
            )
            for column in ("prep_duration", "op_duration", "post_duration")
        ],
    )
    op.create_index("ix_operation_types_order", "operation_types", ["name", "id"])

    op.create_table(
        "resources",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("type", sa.String(10), nullable=False),
        sa.Column("color", sa.String(7), nullable=False, server_default="#6A5ACD"),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        *_timestamps(nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_resources"),
        sa.CheckConstraint("type IN ('room', 'device')", name="ck_resources_type_choice"),
    )
    op.create_index("ix_resources_order", "resources", ["type", "name", "id"])
    op.create_index(
        "ix_resources_active_order",
        "resources",
        ["type", "name", "id"],
        postgresql_where=sa.text("active"),
    )


def downgrade() -> None:
    op.drop_table("resources")
    op.drop_table("operation_types")
    op.drop_table("appointment_types")
    op.drop_table("patients")
    op.execute("DROP SEQUENCE patients_id_seq")
    op.execute("DROP FUNCTION praxi_casefold(text)")
