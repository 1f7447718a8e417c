"""Patient flows and their status events (spec 05 §2, §10).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

STATUS_LIST = "'registered', 'waiting', 'preparing', 'in_treatment', 'post_treatment', 'done'"


def upgrade() -> None:
    op.create_table(
        "patient_flows",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("appointment_id", sa.BigInteger, nullable=True),
        sa.Column("operation_id", sa.BigInteger, nullable=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("arrival_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "status_changed_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        ),
        sa.Column("notes", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_patient_flows"),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointments.id"],
            name="fk_patient_flows_appointment_id_appointments",
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["operation_id"],
            ["operations.id"],
            name="fk_patient_flows_operation_id_operations",
            ondelete="RESTRICT",
        ),
        sa.CheckConstraint(
            "num_nonnulls(appointment_id, operation_id) = 1", name="ck_patient_flows_one_link"
        ),
        sa.CheckConstraint(f"status IN ({STATUS_LIST})", name="ck_patient_flows_status"),
    )
    op.create_index("ix_patient_flows_appointment_id", "patient_flows", ["appointment_id"])
    op.create_index("ix_patient_flows_operation_id", "patient_flows", ["operation_id"])
    op.create_index(
        "uq_patient_flows_active_appointment",
        "patient_flows",
        ["appointment_id"],
        unique=True,
        postgresql_where=sa.text("status <> 'done'"),
    )
    op.create_index(
        "uq_patient_flows_active_operation",
        "patient_flows",
        ["operation_id"],
        unique=True,
        postgresql_where=sa.text("status <> 'done'"),
    )
    op.create_index(
        "ix_patient_flows_live",
        "patient_flows",
        [sa.text("status_changed_at DESC"), sa.text("id DESC")],
        postgresql_where=sa.text("status <> 'done'"),
    )
    op.create_index("ix_patient_flows_changed", "patient_flows", ["status_changed_at", "id"])
    op.create_index(
        "ix_patient_flows_day",
        "patient_flows",
        [sa.text("coalesce(arrival_time, status_changed_at)")],
    )

    op.create_table(
        "patient_flow_status_events",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("flow_id", sa.BigInteger, nullable=False),
        sa.Column("from_status", sa.String(32), nullable=True),
        sa.Column("to_status", sa.String(32), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.BigInteger, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_patient_flow_status_events"),
        sa.ForeignKeyConstraint(
            ["flow_id"],
            ["patient_flows.id"],
            name="fk_patient_flow_status_events_flow_id_patient_flows",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name="fk_patient_flow_status_events_user_id_users",
            ondelete="RESTRICT",
        ),
        sa.CheckConstraint(
            f"to_status IN ({STATUS_LIST})", name="ck_patient_flow_status_events_to_status"
        ),
    )
    op.create_index(
        "ix_patient_flow_status_events_flow",
        "patient_flow_status_events",
        ["flow_id", "to_status", "changed_at"],
    )


def downgrade() -> None:
    op.drop_table("patient_flow_status_events")
    op.drop_table("patient_flows")
