"""Tamper-evident audit log (hash chain computed in the database); login failures per address.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27

Every ``audit_log`` row carries ``prev_hash`` (the previous row's ``row_hash``; 64 zeros for the
first row) and ``row_hash`` = SHA-256 over the canonical serialisation

    jsonb_build_array(id, user_id, role_name, action, patient_id,
                      <timestamp in UTC as YYYY-MM-DDTHH:MM:SS.ffffffZ>, meta, prev_hash)::text

(PostgreSQL's jsonb text form: keys of ``meta`` ordered, whitespace normalised). A ``BEFORE
INSERT`` trigger computes it, so every insert path is covered. A statement-level trigger takes
a transaction advisory lock before any row (and so before the identity default hands out an
id), which makes ids grow along the chain; the one-row table ``audit_log_chain`` holds the
chain head, read (``FOR UPDATE``) by a transaction's first audit insert and written once at
its commit by a deferred trigger. Existing rows are chained in id order here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

CHAIN_LOCK_KEY = 727274002
GENESIS = "0" * 64


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("prev_hash", sa.String(64), nullable=True))
    op.add_column("audit_log", sa.Column("row_hash", sa.String(64), nullable=True))
    op.create_table(
        "audit_log_chain",
        sa.Column("id", sa.SmallInteger, nullable=False),
        sa.Column("head_id", sa.BigInteger, nullable=True),
        sa.Column("head_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log_chain"),
        sa.CheckConstraint("id = 1", name="ck_audit_log_chain_single_row"),
    )
    op.execute(
        f"""
        CREATE FUNCTION praxi_audit_log_hash(
            p_id bigint, p_user_id bigint, p_role_name text, p_action text, p_patient_id bigint,
            p_timestamp timestamptz, p_meta jsonb, p_prev_hash text
        ) RETURNS text LANGUAGE sql STABLE AS $$
            SELECT encode(sha256(convert_to(jsonb_build_array(
                p_id, p_user_id, p_role_name, p_action, p_patient_id,
                to_char(p_timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                p_meta, p_prev_hash
            )::text, 'UTF8')), 'hex')
        $$;

        ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update;
        DO $$
        DECLARE
            r record;
            previous text := '{GENESIS}';
            last_id bigint;
        BEGIN
            FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
                UPDATE audit_log
                   SET prev_hash = previous,
                       row_hash = praxi_audit_log_hash(r.id, r.user_id, r.role_name, r.action,
                                                       r.patient_id, r."timestamp", r.meta,
                                                       previous)
                 WHERE id = r.id
                RETURNING row_hash INTO previous;
                last_id := r.id;
            END LOOP;
            INSERT INTO audit_log_chain (id, head_id, head_hash) VALUES (1, last_id, previous);
        END $$;
        ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update;

        ALTER TABLE audit_log ALTER COLUMN prev_hash SET NOT NULL;
        ALTER TABLE audit_log ALTER COLUMN row_hash SET NOT NULL;

        CREATE FUNCTION praxi_audit_log_chain_lock() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock({CHAIN_LOCK_KEY});
            RETURN NULL;
        END $$;
        CREATE TRIGGER audit_log_chain_lock BEFORE INSERT ON audit_log
            FOR EACH STATEMENT EXECUTE FUNCTION praxi_audit_log_chain_lock();

        -- The previous link: from the head table for a transaction's first audit row (locked
        -- FOR UPDATE: under REPEATABLE READ a head moved by a concurrent commit is a
        -- serialisation error, never a fork), then from transaction-local settings.
        CREATE FUNCTION praxi_audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            prev_id bigint;
            prev_hash text;
        BEGIN
            PERFORM pg_advisory_xact_lock({CHAIN_LOCK_KEY});
            prev_hash := nullif(current_setting('praxi.audit_last_hash', true), '');
            IF prev_hash IS NULL THEN
                SELECT head_id, head_hash INTO prev_id, prev_hash
                  FROM audit_log_chain WHERE id = 1 FOR UPDATE;
                IF NOT FOUND THEN
                    RAISE EXCEPTION 'audit_log_chain has no head row';
                END IF;
            ELSE
                prev_id := current_setting('praxi.audit_last_id')::bigint;
            END IF;
            IF prev_id IS NOT NULL AND NEW.id <= prev_id THEN
                RAISE EXCEPTION 'audit_log id % does not follow the chain head %',
                    NEW.id, prev_id;
            END IF;
            NEW.prev_hash := prev_hash;
            NEW.row_hash := praxi_audit_log_hash(NEW.id, NEW.user_id, NEW.role_name, NEW.action,
                                                 NEW.patient_id, NEW."timestamp", NEW.meta,
                                                 NEW.prev_hash);
            PERFORM set_config('praxi.audit_last_id', NEW.id::text, true);
            PERFORM set_config('praxi.audit_last_hash', NEW.row_hash, true);
            RETURN NEW;
        END $$;
        CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
            FOR EACH ROW EXECUTE FUNCTION praxi_audit_log_chain();

        -- The head table is written once per transaction, at commit (still under the lock):
        -- updating it for every row would make bulk inserts quadratic.
        CREATE FUNCTION praxi_audit_log_chain_head() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.id::text = current_setting('praxi.audit_last_id', true) THEN
                UPDATE audit_log_chain SET head_id = NEW.id, head_hash = NEW.row_hash
                 WHERE id = 1;
            END IF;
            RETURN NULL;
        END $$;
        CREATE CONSTRAINT TRIGGER audit_log_chain_head AFTER INSERT ON audit_log
            DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW EXECUTE FUNCTION praxi_audit_log_chain_head();
        """
    )
    op.create_index(
        "ix_login_failures_client_address_failed_at",
        "login_failures",
        ["client_address", "failed_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_login_failures_client_address_failed_at", table_name="login_failures")
    op.execute(
        """
        DROP TRIGGER audit_log_chain_head ON audit_log;
        DROP TRIGGER audit_log_chain ON audit_log;
        DROP TRIGGER audit_log_chain_lock ON audit_log;
        DROP FUNCTION praxi_audit_log_chain_head();
        DROP FUNCTION praxi_audit_log_chain();
        DROP FUNCTION praxi_audit_log_chain_lock();
        DROP FUNCTION praxi_audit_log_hash(bigint, bigint, text, text, bigint, timestamptz,
                                           jsonb, text);
        DROP TABLE audit_log_chain;
        """
    )
    op.drop_column("audit_log", "row_hash")
    op.drop_column("audit_log", "prev_hash")
