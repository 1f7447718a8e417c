"""Practice settings, personal preferences, display tokens and call-up numbers (issue 20).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06

docs/practice-settings.md and docs/call-up-display.md describe the tables. The one settings
row is created here with the values the desktop used so far (15/30 minutes on the flow
board, Monday to Friday), so an upgraded practice sees no change until an admin makes one.
Existing flows keep ``call_number`` null: numbers are drawn at check-in from now on.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_STATUSES = ("registered", "waiting", "preparing", "in_treatment", "post_treatment")
_THRESHOLDS = {status: {"amber": 15, "red": 30} for status in _STATUSES}
_DISPLAY = {"title": "Aufruf", "chime": True, "history": 5}


def upgrade() -> None:
    op.create_table(
        "practice_settings",
        sa.Column("id", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("name", sa.String(200), nullable=False, server_default=""),
        sa.Column("address", sa.Text, nullable=False, server_default=""),
        sa.Column("phone", sa.String(50), nullable=False, server_default=""),
        sa.Column("flow_thresholds", JSONB, nullable=False),
        sa.Column("calendar_days", JSONB, nullable=False),
        sa.Column("display", JSONB, nullable=False),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.PrimaryKeyConstraint("id", name="pk_practice_settings"),
        sa.CheckConstraint("id = 1", name="ck_practice_settings_single_row"),
    )
    op.execute(
        sa.text(
            "INSERT INTO practice_settings (id, flow_thresholds, calendar_days, display) "
            "VALUES (1, CAST(:thresholds AS jsonb), CAST(:days AS jsonb), CAST(:display AS jsonb))"
        ).bindparams(
            thresholds=json.dumps(_THRESHOLDS),
            days=json.dumps([1, 2, 3, 4, 5]),
            display=json.dumps(_DISPLAY),
        )
    )
    op.create_table(
        "user_preferences",
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("data", JSONB, nullable=False),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.PrimaryKeyConstraint("user_id", name="pk_user_preferences"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name="fk_user_preferences_user_id_users",
            ondelete="RESTRICT",
        ),
    )
    op.create_table(
        "display_tokens",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.BigInteger, nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_display_tokens"),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name="fk_display_tokens_created_by_users",
            ondelete="RESTRICT",
        ),
    )
    op.add_column("patient_flows", sa.Column("call_number", sa.String(16), nullable=True))
    op.add_column("patient_flows", sa.Column("call_day", sa.Date, nullable=True))
    op.create_index(
        "uq_patient_flows_call_number",
        "patient_flows",
        ["call_day", "call_number"],
        unique=True,
        postgresql_where=sa.text("call_number IS NOT NULL"),
    )
    op.create_table(
        "call_number_counters",
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("prefix", sa.String(4), nullable=False),
        sa.Column("last_number", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("day", "prefix", name="pk_call_number_counters"),
    )
    op.create_table(
        "flow_calls",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("flow_id", sa.BigInteger, nullable=False),
        sa.Column("call_number", sa.String(16), nullable=False),
        sa.Column("room", sa.String(100), nullable=False),
        sa.Column("called_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("called_by", sa.BigInteger, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_flow_calls"),
        sa.ForeignKeyConstraint(
            ["flow_id"],
            ["patient_flows.id"],
            name="fk_flow_calls_flow_id_patient_flows",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["called_by"],
            ["users.id"],
            name="fk_flow_calls_called_by_users",
            ondelete="RESTRICT",
        ),
    )
    op.create_index(
        "ix_flow_calls_called", "flow_calls", [sa.text("called_at DESC"), sa.text("id DESC")]
    )
    op.create_index("ix_flow_calls_flow", "flow_calls", ["flow_id"])


def downgrade() -> None:
    op.drop_table("flow_calls")
    op.drop_table("call_number_counters")
    op.drop_index("uq_patient_flows_call_number", table_name="patient_flows")
    op.drop_column("patient_flows", "call_day")
    op.drop_column("patient_flows", "call_number")
    op.drop_table("display_tokens")
    op.drop_table("user_preferences")
    op.drop_table("practice_settings")
