"""Appointment series (issue 17, docs/series-and-chains.md).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06

A series row (the rule and what it was booked with) and the membership of its appointments.
Memberships cascade with their appointment; existing appointments belong to no series.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "appointment_series",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("patient_id", sa.BigInteger, nullable=False),
        sa.Column("doctor_id", sa.BigInteger, nullable=False),
        sa.Column("type_id", sa.BigInteger, nullable=True),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("start_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duration_minutes", sa.Integer, nullable=False),
        sa.Column("occurrence_count", sa.Integer, nullable=False),
        sa.Column("skipped", postgresql.ARRAY(sa.Integer), nullable=False, server_default="{}"),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
        sa.Column("created_by", sa.BigInteger, nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.PrimaryKeyConstraint("id", name="pk_appointment_series"),
        sa.ForeignKeyConstraint(
            ["doctor_id"],
            ["users.id"],
            name="fk_appointment_series_doctor_id_users",
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["type_id"],
            ["appointment_types.id"],
            name="fk_appointment_series_type_id_appointment_types",
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name="fk_appointment_series_created_by_users",
            ondelete="SET NULL",
        ),
        sa.CheckConstraint(
            "occurrence_count BETWEEN 1 AND 104",
            name="ck_appointment_series_occurrence_count_range",
        ),
        sa.CheckConstraint(
            "duration_minutes BETWEEN 1 AND 1440", name="ck_appointment_series_duration_range"
        ),
    )
    op.create_index("ix_appointment_series_doctor_id", "appointment_series", ["doctor_id"])
    op.create_index("ix_appointment_series_patient_id", "appointment_series", ["patient_id"])
    op.create_table(
        "appointment_series_members",
        sa.Column("appointment_id", sa.BigInteger, nullable=False),
        sa.Column("series_id", sa.BigInteger, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("appointment_id", name="pk_appointment_series_members"),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointments.id"],
            name="fk_appointment_series_members_appointment_id_appointments",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["series_id"],
            ["appointment_series.id"],
            name="fk_appointment_series_members_series_id_appointment_series",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "series_id", "position", name="uq_appointment_series_members_series_id"
        ),
        sa.CheckConstraint(
            "position BETWEEN 1 AND 104", name="ck_appointment_series_members_position_range"
        ),
    )


def downgrade() -> None:
    op.drop_table("appointment_series_members")
    op.drop_index("ix_appointment_series_patient_id", table_name="appointment_series")
    op.drop_index("ix_appointment_series_doctor_id", table_name="appointment_series")
    op.drop_table("appointment_series")
