"""Appointment reminders: rules, templates, consent, outbox (issue 19, docs/reminders.md).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06

``reminders`` is the outbox the worker sends from; it has no foreign key to ``appointments``
so a deleted appointment's reminders stay as history. ``reminder_settings`` is one row,
created here with the German default texts.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

CANCEL_INSTRUCTION = (
    "Falls Sie den Termin nicht wahrnehmen können, sagen Sie bitte rechtzeitig telefonisch ab."
)
EMAIL_SUBJECT = "Terminerinnerung: {datum} um {uhrzeit} Uhr"
EMAIL_BODY = (
    "Guten Tag,\n\n"
    "wir möchten Sie an Ihren Termin bei {praxis} am {wochentag}, {datum} um {uhrzeit} Uhr "
    "erinnern.\n\n"
    "{absage_hinweis}\n\n"
    "Mit freundlichen Grüßen\n"
    "{praxis}\n"
    "{adresse}\n"
    "Telefon: {telefon}\n"
)
SMS_BODY = "Erinnerung: Ihr Termin bei {praxis} am {datum} um {uhrzeit} Uhr. {absage_hinweis}"
CHANNELS = "'email', 'sms'"
STATUSES = "'planned', 'sent', 'failed', 'withdrawn'"
REASONS = "'cancelled', 'rescheduled', 'deleted', 'completed', 'consent', 'rule'"


def _stamp(name: str) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())


def upgrade() -> None:
    op.create_table(
        "reminder_settings",
        sa.Column("id", sa.BigInteger, nullable=False, autoincrement=False),
        sa.Column("send_from", sa.Time, nullable=False, server_default=sa.text("'08:00'")),
        sa.Column("send_until", sa.Time, nullable=False, server_default=sa.text("'20:00'")),
        sa.Column("practice_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("practice_phone", sa.String(50), nullable=False, server_default=""),
        sa.Column("practice_address", sa.String(300), nullable=False, server_default=""),
        sa.Column(
            "cancel_instruction", sa.String(300), nullable=False, server_default=CANCEL_INSTRUCTION
        ),
        sa.Column("include_doctor_name", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("email_subject", sa.String(200), nullable=False, server_default=EMAIL_SUBJECT),
        sa.Column("email_body", sa.Text, nullable=False, server_default=EMAIL_BODY),
        sa.Column("sms_body", sa.String(640), nullable=False, server_default=SMS_BODY),
        _stamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_reminder_settings"),
        sa.CheckConstraint("id = 1", name="ck_reminder_settings_single_row"),
        sa.CheckConstraint("send_until > send_from", name="ck_reminder_settings_window_order"),
    )
    op.execute("INSERT INTO reminder_settings (id) VALUES (1)")

    op.create_table(
        "reminder_rules",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("appointment_type_id", sa.BigInteger, nullable=True),
        sa.Column("offsets_minutes", sa.ARRAY(sa.Integer), nullable=False, server_default="{}"),
        sa.Column("channels", sa.ARRAY(sa.String(10)), nullable=False, server_default="{}"),
        sa.Column("include_type_name", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        _stamp("created_at"),
        _stamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_reminder_rules"),
        sa.ForeignKeyConstraint(
            ["appointment_type_id"],
            ["appointment_types.id"],
            name="fk_reminder_rules_appointment_type_id_appointment_types",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "uq_reminder_rules_type",
        "reminder_rules",
        ["appointment_type_id"],
        unique=True,
        postgresql_where=sa.text("appointment_type_id IS NOT NULL"),
    )
    op.create_index(
        "uq_reminder_rules_default",
        "reminder_rules",
        [sa.text("(appointment_type_id IS NULL)")],
        unique=True,
        postgresql_where=sa.text("appointment_type_id IS NULL"),
    )

    op.create_table(
        "reminder_consents",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("patient_id", sa.BigInteger, nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("granted", sa.Boolean, nullable=False),
        sa.Column("recorded_by_id", sa.BigInteger, nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_reminder_consents"),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name="fk_reminder_consents_patient_id_patients",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name="fk_reminder_consents_recorded_by_id_users",
            ondelete="SET NULL",
        ),
        sa.CheckConstraint(f"channel IN ({CHANNELS})", name="ck_reminder_consents_channel"),
    )
    op.create_index(
        "ix_reminder_consents_patient", "reminder_consents", ["patient_id", "channel", "id"]
    )

    op.create_table(
        "reminders",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("appointment_id", sa.BigInteger, nullable=False),
        sa.Column("patient_id", sa.BigInteger, nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("offset_minutes", sa.Integer, nullable=False),
        sa.Column("appointment_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(12), nullable=False, server_default="planned"),
        sa.Column("reason", sa.String(20), nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(300), nullable=True),
        _stamp("created_at"),
        _stamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_reminders"),
        sa.CheckConstraint(f"status IN ({STATUSES})", name="ck_reminders_status"),
        sa.CheckConstraint(f"channel IN ({CHANNELS})", name="ck_reminders_channel"),
        sa.CheckConstraint(
            f"(status = 'withdrawn') = (reason IS NOT NULL) "
            f"AND (reason IS NULL OR reason IN ({REASONS}))",
            name="ck_reminders_reason",
        ),
    )
    op.create_index("ix_reminders_appointment", "reminders", ["appointment_id", "due_at"])
    op.create_index("ix_reminders_patient", "reminders", ["patient_id"])
    op.create_index("ix_reminders_due", "reminders", ["due_at", "id"])
    op.create_index(
        "ix_reminders_queue",
        "reminders",
        ["next_attempt_at", "id"],
        postgresql_where=sa.text("status = 'planned'"),
    )
    op.create_index(
        "uq_reminders_once",
        "reminders",
        ["appointment_id", "channel", "offset_minutes", "due_at"],
        unique=True,
        postgresql_where=sa.text("status <> 'withdrawn'"),
    )


def downgrade() -> None:
    op.drop_table("reminders")
    op.drop_table("reminder_consents")
    op.drop_table("reminder_rules")
    op.drop_table("reminder_settings")
