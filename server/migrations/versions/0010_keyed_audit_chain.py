"""The audit chain is keyed (HMAC-SHA256 with a key the database does not hold).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

Until now ``row_hash`` was plain SHA-256 over the row (migration 0006): a database superuser
could edit a row and recompute every later hash, and ``audit-verify`` said OK (issue 22). Now

    row_hash = HMAC-SHA256(key, <the same canonical serialisation as 0006>)

computed as H(opad ‖ H(ipad ‖ m)) from the two pad blocks each server session brings in its
start-up options (``praxi.audit_ipad``/``praxi.audit_opad``, ``server.audit.key``): only
PostgreSQL's built-in ``sha256()`` is needed. A session without them cannot write an audit
row (the insert fails, and with it the write it audits) — an unsigned row would only break the
chain later.

The chain functions run as their owner (``SECURITY DEFINER``), so the application's role
needs no right on ``audit_log_chain`` and only INSERT and SELECT on ``audit_log``
(``server.db_roles``).

Existing rows are re-chained with the key, so this migration must run through
``praxi-server`` (``migrate``, ``serve``), which brings the key.
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
_CANONICAL = """jsonb_build_array(
                p_id, p_user_id, p_role_name, p_action, p_patient_id,
                to_char(p_timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                p_meta, p_prev_hash
            )::text"""
_DEFINER_FUNCTIONS = (
    "praxi_audit_log_chain()",
    "praxi_audit_log_chain_head()",
    "praxi_audit_log_chain_lock()",
)


def _rechain() -> None:
    op.execute(
        f"""
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
            UPDATE audit_log_chain SET head_id = last_id, head_hash = previous WHERE id = 1;
        END $$;
        ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update;
        """
    )


def upgrade() -> None:
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION praxi_audit_log_hash(
            p_id bigint, p_user_id bigint, p_role_name text, p_action text, p_patient_id bigint,
            p_timestamp timestamptz, p_meta jsonb, p_prev_hash text
        ) RETURNS text LANGUAGE plpgsql STABLE AS $$
        DECLARE
            ipad bytea := decode(coalesce(current_setting('praxi.audit_ipad', true), ''), 'hex');
            opad bytea := decode(coalesce(current_setting('praxi.audit_opad', true), ''), 'hex');
        BEGIN
            IF length(ipad) <> 64 OR length(opad) <> 64 THEN
                RAISE EXCEPTION 'the audit chain key is not set for this session'
                    USING HINT = 'connect through praxi-server, which brings the key';
            END IF;
            RETURN encode(sha256(opad || sha256(ipad || convert_to({_CANONICAL}, 'UTF8'))),
                          'hex');
        END $$;
        """
    )
    for function in _DEFINER_FUNCTIONS:
        op.execute(f"ALTER FUNCTION {function} SECURITY DEFINER SET search_path FROM CURRENT")
    _rechain()


def downgrade() -> None:
    for function in _DEFINER_FUNCTIONS:
        op.execute(f"ALTER FUNCTION {function} SECURITY INVOKER RESET search_path")
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION praxi_audit_log_hash(
            p_id bigint, p_user_id bigint, p_role_name text, p_action text, p_patient_id bigint,
            p_timestamp timestamptz, p_meta jsonb, p_prev_hash text
        ) RETURNS text LANGUAGE sql STABLE AS $$
            SELECT encode(sha256(convert_to({_CANONICAL}, 'UTF8')), 'hex')
        $$;
        """
    )
    _rechain()
