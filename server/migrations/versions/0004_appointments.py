"""Appointments, resource bookings and the occupancy table (double booking impossible).

Revision ID: 0004
Revises: 0002, 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = ("0002", "0003")
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "appointments",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("patient_id", sa.BigInteger, nullable=False),
        sa.Column("doctor_id", sa.BigInteger, nullable=False),
        sa.Column("type_id", sa.BigInteger, nullable=True),
        sa.Column("start_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default="scheduled"),
        sa.Column("is_no_show", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("notes", sa.Text, nullable=True, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name="pk_appointments"),
        sa.ForeignKeyConstraint(["doctor_id"], ["users.id"],
                                name="fk_appointments_doctor_id_users", ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["type_id"], ["appointment_types.id"],
                                name="fk_appointments_type_id_appointment_types",
                                ondelete="RESTRICT"),
        sa.CheckConstraint("patient_id > 0", name="ck_appointments_patient_id_positive"),
        sa.CheckConstraint("end_time > start_time", name="ck_appointments_time_order"),
        sa.CheckConstraint("status IN ('scheduled', 'confirmed', 'cancelled', 'completed')",
                           name="ck_appointments_status"),
    )
    op.create_index("ix_appointments_start_id", "appointments", ["start_time", "id"])
    op.create_index("ix_appointments_doctor_start", "appointments", ["doctor_id", "start_time"])
    op.create_index("ix_appointments_patient_start", "appointments", ["patient_id", "start_time"])
    op.create_index("ix_appointments_type_id", "appointments", ["type_id"])

    op.create_table(
        "appointment_resources",
        sa.Column("appointment_id", sa.BigInteger, nullable=False),
        sa.Column("resource_id", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("appointment_id", "resource_id",
                                name="pk_appointment_resources"),
        sa.ForeignKeyConstraint(["appointment_id"], ["appointments.id"],
                                name="fk_appointment_resources_appointment_id_appointments",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["resource_id"], ["resources.id"],
                                name="fk_appointment_resources_resource_id_resources",
                                ondelete="RESTRICT"),
    )
    op.create_index("ix_appointment_resources_resource_id", "appointment_resources",
                    ["resource_id"])

    op.create_table(
        "occupancies",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("appointment_id", sa.BigInteger, nullable=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("subject_id", sa.BigInteger, nullable=False),
        sa.Column("period", postgresql.TSTZRANGE, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_occupancies"),
        sa.ForeignKeyConstraint(["appointment_id"], ["appointments.id"],
                                name="fk_occupancies_appointment_id_appointments",
                                ondelete="CASCADE"),
        sa.CheckConstraint("kind IN ('doctor', 'patient', 'resource')",
                           name="ck_occupancies_kind"),
    )
    op.create_index("ix_occupancies_appointment_id", "occupancies", ["appointment_id"])
    # The guarantee against double booking (00 §9): no two overlapping periods for the
    # same doctor, patient or resource. Needs btree_gist (migration 0001).
    op.execute(
        "ALTER TABLE occupancies ADD CONSTRAINT ex_occupancies_no_overlap "
        "EXCLUDE USING gist (kind WITH =, subject_id WITH =, period WITH &&)"
    )


def downgrade() -> None:
    op.drop_table("occupancies")
    op.drop_table("appointment_resources")
    op.drop_table("appointments")
