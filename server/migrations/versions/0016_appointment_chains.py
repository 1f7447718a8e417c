"""Chain templates and booked chains (issue 17, docs/series-and-chains.md).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06

``chain_templates`` / ``chain_template_steps`` are master data: ordered steps, each an
appointment type or an operation type, with the doctors that may take it, the rooms (one of
them) and resources (all of them) it needs, and the gap rule to the step before.
``appointment_chains`` is one booked chain for a patient with a snapshot of its template's
steps (``rules``), so a later template edit does not change the rules of booked chains;
``appointment_chain_steps`` links each step to its appointment or operation (deleting the
booking deletes the link).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_IDS = postgresql.ARRAY(sa.BigInteger)


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    ]


def upgrade() -> None:
    op.create_table(
        "chain_templates",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        *_stamps(),
    )
    op.create_table(
        "chain_template_steps",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column(
            "template_id",
            sa.BigInteger,
            sa.ForeignKey("chain_templates.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column(
            "appointment_type_id",
            sa.BigInteger,
            sa.ForeignKey("appointment_types.id", ondelete="RESTRICT"),
        ),
        sa.Column(
            "op_type_id", sa.BigInteger, sa.ForeignKey("operation_types.id", ondelete="RESTRICT")
        ),
        sa.Column("duration_minutes", sa.Integer, nullable=False),
        sa.Column("doctor_ids", _IDS, nullable=False),
        sa.Column("room_ids", _IDS, nullable=False, server_default="{}"),
        sa.Column("resource_ids", _IDS, nullable=False, server_default="{}"),
        sa.Column("gap_rule", sa.String(20), nullable=False, server_default="range"),
        sa.Column("gap_min", sa.Integer, nullable=False, server_default="0"),
        sa.Column("gap_max", sa.Integer, nullable=False, server_default="0"),
        sa.Column("gap_unit", sa.String(8), nullable=False, server_default="minutes"),
        sa.CheckConstraint(
            "kind IN ('appointment', 'operation')", name="ck_chain_template_steps_kind"
        ),
        sa.CheckConstraint(
            "(kind = 'appointment' AND op_type_id IS NULL) "
            "OR (kind = 'operation' AND op_type_id IS NOT NULL AND appointment_type_id IS NULL)",
            name="ck_chain_template_steps_type",
        ),
        sa.CheckConstraint(
            "gap_rule IN ('range', 'same_day', 'next_working_day')",
            name="ck_chain_template_steps_gap_rule",
        ),
        sa.CheckConstraint(
            "gap_unit IN ('minutes', 'hours', 'days')", name="ck_chain_template_steps_gap_unit"
        ),
        sa.CheckConstraint(
            "0 <= gap_min AND gap_min <= gap_max", name="ck_chain_template_steps_gap_order"
        ),
        sa.CheckConstraint(
            "duration_minutes BETWEEN 1 AND 1440", name="ck_chain_template_steps_duration"
        ),
        sa.UniqueConstraint("template_id", "position", name="uq_chain_template_steps_template_id"),
    )
    op.create_table(
        "appointment_chains",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column(
            "template_id",
            sa.BigInteger,
            sa.ForeignKey("chain_templates.id", ondelete="SET NULL"),
        ),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("patient_id", sa.BigInteger, nullable=False),
        sa.Column("doctor_ids", _IDS, nullable=False),
        sa.Column("status", sa.String(12), nullable=False, server_default="active"),
        sa.Column("step_count", sa.Integer, nullable=False),
        sa.Column("rules", postgresql.JSONB, nullable=False),
        sa.Column("created_by", sa.BigInteger, sa.ForeignKey("users.id", ondelete="SET NULL")),
        *_stamps(),
        sa.CheckConstraint(
            "status IN ('active', 'cancelled')", name="ck_appointment_chains_status"
        ),
    )
    op.create_index("ix_appointment_chains_patient_id", "appointment_chains", ["patient_id"])
    op.create_index(
        "ix_appointment_chains_doctor_ids",
        "appointment_chains",
        ["doctor_ids"],
        postgresql_using="gin",
    )
    op.create_table(
        "appointment_chain_steps",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column(
            "chain_id",
            sa.BigInteger,
            sa.ForeignKey("appointment_chains.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column(
            "appointment_id",
            sa.BigInteger,
            sa.ForeignKey("appointments.id", ondelete="CASCADE"),
            unique=True,
        ),
        sa.Column(
            "operation_id",
            sa.BigInteger,
            sa.ForeignKey("operations.id", ondelete="CASCADE"),
            unique=True,
        ),
        sa.CheckConstraint(
            "num_nonnulls(appointment_id, operation_id) = 1",
            name="ck_appointment_chain_steps_one_booking",
        ),
        sa.UniqueConstraint("chain_id", "position", name="uq_appointment_chain_steps_chain_id"),
    )


def downgrade() -> None:
    op.drop_table("appointment_chain_steps")
    op.drop_table("appointment_chains")
    op.drop_table("chain_template_steps")
    op.drop_table("chain_templates")
