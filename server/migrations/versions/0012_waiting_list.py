"""The waiting list (issue 18, docs/waiting-list.md): entries, freed slots and the triggers
that record freed capacity in the transaction of the write that frees it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

ENTRY_STATUSES = "'waiting', 'offered', 'booked', 'removed'"
PRIORITIES = "'normal', 'urgent'"
REMOVAL_REASONS = "'expired', 'patient_declined', 'booked_elsewhere', 'other'"
SOURCES = "'appointment', 'absence', 'doctor_hours', 'practice_hours', 'break'"
REASONS = (
    "'cancelled', 'deleted', 'moved', 'no_show', 'absence_shortened', 'absence_removed', "
    "'hours_extended', 'break_removed'"
)

# One function per watched table. Each records the OLD period (what was blocked) and wakes
# the matchers with pg_notify, which PostgreSQL delivers only if the write commits. Whether
# the time is really free, and whether it still lies ahead, the matcher decides against the
# current calendar and the server clock.
_FUNCTIONS = {
    "appointments": """
        CREATE FUNCTION praxi_waitlist_appointment_freed() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE
            why text;
        BEGIN
            IF OLD.status = 'cancelled' THEN
                RETURN NULL;
            END IF;
            IF TG_OP = 'DELETE' THEN
                why := 'deleted';
            ELSIF NEW.status = 'cancelled' THEN
                why := 'cancelled';
            ELSIF NEW.start_time <> OLD.start_time OR NEW.end_time <> OLD.end_time
                  OR NEW.doctor_id <> OLD.doctor_id THEN
                why := 'moved';
            ELSIF NEW.is_no_show AND NOT OLD.is_no_show THEN
                why := 'no_show';
            ELSE
                RETURN NULL;
            END IF;
            INSERT INTO waiting_list_freed_slots
                (source, reason, source_id, doctor_id, start_time, end_time)
            VALUES ('appointment', why, OLD.id, OLD.doctor_id, OLD.start_time, OLD.end_time);
            PERFORM pg_notify('praxi_waitlist', '');
            RETURN NULL;
        END $$
    """,
    "doctor_absences": """
        CREATE FUNCTION praxi_waitlist_absence_freed() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE
            why text;
        BEGIN
            IF NOT OLD.active THEN
                RETURN NULL;
            END IF;
            IF TG_OP = 'DELETE' THEN
                why := 'absence_removed';
            ELSIF NOT NEW.active OR NEW.start_date > OLD.start_date
                  OR NEW.end_date < OLD.end_date OR NEW.doctor_id <> OLD.doctor_id THEN
                why := 'absence_shortened';
            ELSE
                RETURN NULL;
            END IF;
            INSERT INTO waiting_list_freed_slots
                (source, reason, source_id, doctor_id, first_day, last_day)
            VALUES ('absence', why, OLD.id, OLD.doctor_id, OLD.start_date, OLD.end_date);
            PERFORM pg_notify('praxi_waitlist', '');
            RETURN NULL;
        END $$
    """,
    "doctor_breaks": """
        CREATE FUNCTION praxi_waitlist_break_freed() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF NOT OLD.active THEN
                RETURN NULL;
            END IF;
            IF TG_OP = 'UPDATE' AND NEW.active AND NEW.date = OLD.date
               AND NEW.start_time <= OLD.start_time AND NEW.end_time >= OLD.end_time
               AND NEW.doctor_id IS NOT DISTINCT FROM OLD.doctor_id THEN
                RETURN NULL;
            END IF;
            INSERT INTO waiting_list_freed_slots
                (source, reason, source_id, doctor_id, first_day, last_day)
            VALUES ('break', 'break_removed', OLD.id, OLD.doctor_id, OLD.date, OLD.date);
            PERFORM pg_notify('praxi_waitlist', '');
            RETURN NULL;
        END $$
    """,
    "doctor_hours": """
        CREATE FUNCTION praxi_waitlist_doctor_hours_freed() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF NOT NEW.active THEN
                RETURN NULL;
            END IF;
            IF TG_OP = 'UPDATE' AND OLD.active AND NEW.weekday = OLD.weekday
               AND NEW.doctor_id = OLD.doctor_id
               AND NEW.start_time >= OLD.start_time AND NEW.end_time <= OLD.end_time THEN
                RETURN NULL;
            END IF;
            INSERT INTO waiting_list_freed_slots (source, reason, source_id, doctor_id)
            VALUES ('doctor_hours', 'hours_extended', NEW.id, NEW.doctor_id);
            PERFORM pg_notify('praxi_waitlist', '');
            RETURN NULL;
        END $$
    """,
    "practice_hours": """
        CREATE FUNCTION praxi_waitlist_practice_hours_freed() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF NOT NEW.active THEN
                RETURN NULL;
            END IF;
            IF TG_OP = 'UPDATE' AND OLD.active AND NEW.weekday = OLD.weekday
               AND NEW.start_time >= OLD.start_time AND NEW.end_time <= OLD.end_time THEN
                RETURN NULL;
            END IF;
            INSERT INTO waiting_list_freed_slots (source, reason, source_id)
            VALUES ('practice_hours', 'hours_extended', NEW.id);
            PERFORM pg_notify('praxi_waitlist', '');
            RETURN NULL;
        END $$
    """,
}
_TRIGGERS = {
    "appointments": ("praxi_waitlist_appointment_freed", "UPDATE OR DELETE"),
    "doctor_absences": ("praxi_waitlist_absence_freed", "UPDATE OR DELETE"),
    "doctor_breaks": ("praxi_waitlist_break_freed", "UPDATE OR DELETE"),
    "doctor_hours": ("praxi_waitlist_doctor_hours_freed", "INSERT OR UPDATE"),
    "practice_hours": ("praxi_waitlist_practice_hours_freed", "INSERT OR UPDATE"),
}


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "waiting_list_freed_slots",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("source_id", sa.BigInteger, nullable=False),
        sa.Column("doctor_id", sa.BigInteger, nullable=True),
        sa.Column("start_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_day", sa.Date, nullable=True),
        sa.Column("last_day", sa.Date, nullable=True),
        sa.Column(
            "detected_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        ),
        sa.Column("matched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("period_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("freed_minutes", sa.Integer, nullable=True),
        sa.Column("candidate_count", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_waiting_list_freed_slots"),
        sa.CheckConstraint(f"source IN ({SOURCES})", name="ck_waiting_list_freed_slots_source"),
        sa.CheckConstraint(f"reason IN ({REASONS})", name="ck_waiting_list_freed_slots_reason"),
    )
    op.create_index(
        "ix_waiting_list_freed_slots_unmatched",
        "waiting_list_freed_slots",
        ["id"],
        postgresql_where=sa.text("matched_at IS NULL"),
    )
    op.create_index(
        "ix_waiting_list_freed_slots_open",
        "waiting_list_freed_slots",
        ["period_end", "id"],
        postgresql_where=sa.text("candidate_count > 0"),
    )
    op.create_index(
        "ix_waiting_list_freed_slots_period_start",
        "waiting_list_freed_slots",
        ["period_start"],
    )
    op.create_table(
        "waiting_list_entries",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("patient_id", sa.BigInteger, nullable=False),
        sa.Column("type_id", sa.BigInteger, nullable=False),
        sa.Column(
            "doctor_ids", ARRAY(sa.BigInteger), nullable=False, server_default=sa.text("'{}'")
        ),
        sa.Column("earliest_date", sa.Date, nullable=True),
        sa.Column("latest_date", sa.Date, nullable=True),
        sa.Column("windows", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("priority", sa.String(10), nullable=False, server_default="normal"),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("status", sa.String(10), nullable=False, server_default="waiting"),
        sa.Column("removal_reason", sa.String(20), nullable=True),
        sa.Column("removal_note", sa.Text, nullable=False, server_default=""),
        sa.Column("booked_appointment_id", sa.BigInteger, nullable=True),
        sa.Column("freed_slot_id", sa.BigInteger, nullable=True),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.BigInteger, nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_waiting_list_entries"),
        sa.ForeignKeyConstraint(
            ["type_id"],
            ["appointment_types.id"],
            name="fk_waiting_list_entries_type_id_appointment_types",
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["booked_appointment_id"],
            ["appointments.id"],
            name="fk_waiting_list_entries_booked_appointment_id_appointments",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["freed_slot_id"],
            ["waiting_list_freed_slots.id"],
            name="fk_waiting_list_entries_freed_slot_id_waiting_list_freed_slots",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name="fk_waiting_list_entries_created_by_id_users",
            ondelete="SET NULL",
        ),
        sa.CheckConstraint("patient_id > 0", name="ck_waiting_list_entries_patient_id_positive"),
        sa.CheckConstraint(
            "latest_date IS NULL OR earliest_date IS NULL OR latest_date >= earliest_date",
            name="ck_waiting_list_entries_date_order",
        ),
        sa.CheckConstraint(f"status IN ({ENTRY_STATUSES})", name="ck_waiting_list_entries_status"),
        sa.CheckConstraint(f"priority IN ({PRIORITIES})", name="ck_waiting_list_entries_priority"),
        sa.CheckConstraint(
            f"removal_reason IS NULL OR removal_reason IN ({REMOVAL_REASONS})",
            name="ck_waiting_list_entries_removal_reason",
        ),
    )
    op.create_index(
        "ix_waiting_list_entries_order",
        "waiting_list_entries",
        ["status", "priority", "created_at", "id"],
    )
    op.create_index("ix_waiting_list_entries_patient_id", "waiting_list_entries", ["patient_id"])
    op.create_index("ix_waiting_list_entries_type_id", "waiting_list_entries", ["type_id"])
    op.create_index(
        "ix_waiting_list_entries_booked_appointment_id",
        "waiting_list_entries",
        ["booked_appointment_id"],
    )
    op.create_index(
        "ix_waiting_list_entries_freed_slot_id", "waiting_list_entries", ["freed_slot_id"]
    )
    for table, body in _FUNCTIONS.items():
        function, events = _TRIGGERS[table]
        op.execute(body)
        op.execute(
            f"CREATE TRIGGER {function} AFTER {events} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()"
        )


def downgrade() -> None:
    for table, (function, _) in _TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {function} ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    op.drop_table("waiting_list_entries")
    op.drop_table("waiting_list_freed_slots")
