"""Operations, their devices, and operation-owned occupancy rows (spec 04 §2, §8).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "operations",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("patient_id", sa.BigInteger, nullable=False),
        sa.Column("primary_surgeon_id", sa.BigInteger, nullable=False),
        sa.Column("assistant_id", sa.BigInteger, nullable=True),
        sa.Column("anesthesist_id", sa.BigInteger, nullable=True),
        sa.Column("op_room_id", sa.BigInteger, nullable=False),
        sa.Column("op_type_id", sa.BigInteger, nullable=False),
        sa.Column("start_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default="planned"),
        sa.Column("notes", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name="pk_operations"),
        sa.ForeignKeyConstraint(["primary_surgeon_id"], ["users.id"],
                                name="fk_operations_primary_surgeon_id_users",
                                ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["assistant_id"], ["users.id"],
                                name="fk_operations_assistant_id_users", ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["anesthesist_id"], ["users.id"],
                                name="fk_operations_anesthesist_id_users", ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["op_room_id"], ["resources.id"],
                                name="fk_operations_op_room_id_resources", ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["op_type_id"], ["operation_types.id"],
                                name="fk_operations_op_type_id_operation_types",
                                ondelete="RESTRICT"),
        sa.CheckConstraint("patient_id > 0", name="ck_operations_patient_id_positive"),
        sa.CheckConstraint(
            "end_time > start_time AND end_time <= start_time + interval '72 hours'",
            name="ck_operations_time_order",
        ),
        sa.CheckConstraint(
            "status IN ('planned', 'confirmed', 'running', 'done', 'cancelled')",
            name="ck_operations_status",
        ),
    )
    op.create_index("ix_operations_start_end", "operations", ["start_time", "end_time"])
    for column in ("op_room_id", "primary_surgeon_id", "assistant_id", "anesthesist_id",
                   "patient_id", "op_type_id"):
        op.create_index(f"ix_operations_{column}", "operations", [column])

    op.create_table(
        "operation_devices",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("operation_id", sa.BigInteger, nullable=False),
        sa.Column("resource_id", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_operation_devices"),
        sa.ForeignKeyConstraint(["operation_id"], ["operations.id"],
                                name="fk_operation_devices_operation_id_operations",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["resource_id"], ["resources.id"],
                                name="fk_operation_devices_resource_id_resources",
                                ondelete="RESTRICT"),
        sa.UniqueConstraint("operation_id", "resource_id", name="uq_operation_devices_pair"),
    )
    op.create_index("ix_operation_devices_resource_id", "operation_devices", ["resource_id"])

    op.add_column("occupancies", sa.Column("operation_id", sa.BigInteger, nullable=True))
    op.create_foreign_key("fk_occupancies_operation_id_operations", "occupancies",
                          "operations", ["operation_id"], ["id"], ondelete="CASCADE")
    op.create_index("ix_occupancies_operation_id", "occupancies", ["operation_id"])
    op.create_check_constraint("ck_occupancies_one_owner", "occupancies",
                               "num_nonnulls(appointment_id, operation_id) = 1")


def downgrade() -> None:
    op.execute("DELETE FROM occupancies WHERE operation_id IS NOT NULL")
    op.drop_constraint("ck_occupancies_one_owner", "occupancies", type_="check")
    op.drop_index("ix_occupancies_operation_id", table_name="occupancies")
    op.drop_constraint("fk_occupancies_operation_id_operations", "occupancies",
                       type_="foreignkey")
    op.drop_column("occupancies", "operation_id")
    op.drop_table("operation_devices")
    op.drop_table("operations")
