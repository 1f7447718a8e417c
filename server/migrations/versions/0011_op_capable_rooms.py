"""Rooms say whether they are operating rooms (``resources.op_capable``, docs/op-rooms.md).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06

OP-Plan showed every room as a row, the laboratory and the ultrasound room included (issue 16).
The flag lets it show the operating rooms only. Existing data decides the start value: a room
that any operation uses (as ``op_room``, in any status, cancelled and done ones included) has
been an operating room, so it is marked; every other room and every device is not.

A device is never op-capable; the check constraint keeps it so whatever writes the row.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "resources",
        sa.Column("op_capable", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.execute(
        """
        UPDATE resources SET op_capable = true
         WHERE type = 'room'
           AND EXISTS (SELECT 1 FROM operations WHERE operations.op_room_id = resources.id)
        """
    )
    op.create_check_constraint(
        "ck_resources_op_capable_room", "resources", "type = 'room' OR NOT op_capable"
    )


def downgrade() -> None:
    op.drop_constraint("ck_resources_op_capable_room", "resources", type_="check")
    op.drop_column("resources", "op_capable")
