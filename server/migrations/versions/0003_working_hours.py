"""Practice hours, doctor hours, doctor absences, doctor breaks.

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
    ]


def _doctor_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["doctor_id"], ["users.id"], name=f"fk_{table}_doctor_id_users", ondelete="RESTRICT"
    )


def upgrade() -> None:
    op.create_table(
        "practice_hours",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("weekday", sa.SmallInteger, nullable=False),
        sa.Column("start_time", sa.Time, nullable=False),
        sa.Column("end_time", sa.Time, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_practice_hours"),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="ck_practice_hours_weekday_range"),
        sa.CheckConstraint("start_time < end_time", name="ck_practice_hours_time_order"),
    )
    op.create_index("ix_practice_hours_order", "practice_hours", ["weekday", "start_time", "id"])

    op.create_table(
        "doctor_hours",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("doctor_id", sa.BigInteger, nullable=False),
        sa.Column("weekday", sa.SmallInteger, nullable=False),
        sa.Column("start_time", sa.Time, nullable=False),
        sa.Column("end_time", sa.Time, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_doctor_hours"),
        _doctor_fk("doctor_hours"),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="ck_doctor_hours_weekday_range"),
        sa.CheckConstraint("start_time < end_time", name="ck_doctor_hours_time_order"),
        sa.UniqueConstraint("doctor_id", "weekday", "start_time", "end_time", "active",
                            name="uq_doctor_hours_slot"),
    )
    op.create_index("ix_doctor_hours_order", "doctor_hours",
                    ["doctor_id", "weekday", "start_time", "id"])

    op.create_table(
        "doctor_absences",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("doctor_id", sa.BigInteger, nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date, nullable=False),
        sa.Column("reason", sa.String(255), nullable=True),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_doctor_absences"),
        _doctor_fk("doctor_absences"),
        sa.CheckConstraint("start_date <= end_date", name="ck_doctor_absences_date_order"),
    )
    op.create_index("ix_doctor_absences_order", "doctor_absences",
                    ["doctor_id", "start_date", "end_date", "id"])
    op.create_index("ix_doctor_absences_range", "doctor_absences", ["start_date", "end_date"])

    op.create_table(
        "doctor_breaks",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("doctor_id", sa.BigInteger, nullable=True),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("start_time", sa.Time, nullable=False),
        sa.Column("end_time", sa.Time, nullable=False),
        sa.Column("reason", sa.String(255), nullable=True),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_doctor_breaks"),
        _doctor_fk("doctor_breaks"),
        sa.CheckConstraint("start_time < end_time", name="ck_doctor_breaks_time_order"),
    )
    op.create_index("ix_doctor_breaks_order", "doctor_breaks",
                    ["date", "start_time", "doctor_id", "id"])
    op.create_index("ix_doctor_breaks_doctor_date", "doctor_breaks", ["doctor_id", "date"])


def downgrade() -> None:
    for table in ("doctor_breaks", "doctor_absences", "doctor_hours", "practice_hours"):
        op.drop_table(table)
