"""Calendar subscription tokens (issue 19, docs/calendar-feeds.md).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06

``calendar_feeds`` holds one row per token ever issued: the subject (a doctor or a room), the
SHA-256 of the token (the token itself is shown once and never stored) and who created and
revoked it when. At most one token per subject is live at a time (partial unique indexes).
A feed belongs to its subject: deleting the doctor or the room deletes its feed rows
(nothing references a feed). ``calendar_feed_settings`` is the practice-wide switch row
(exactly one, id 1, seeded here with the private defaults).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("doctor_id", sa.BigInteger, nullable=True),
        sa.Column("resource_id", sa.BigInteger, nullable=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("created_by", sa.BigInteger, nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.BigInteger, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_calendar_feeds"),
        sa.ForeignKeyConstraint(
            ["doctor_id"],
            ["users.id"],
            name="fk_calendar_feeds_doctor_id_users",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name="fk_calendar_feeds_resource_id_resources",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name="fk_calendar_feeds_created_by_users",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by"],
            ["users.id"],
            name="fk_calendar_feeds_revoked_by_users",
            ondelete="SET NULL",
        ),
        sa.CheckConstraint(
            "num_nonnulls(doctor_id, resource_id) = 1", name="ck_calendar_feeds_one_subject"
        ),
        sa.CheckConstraint("length(token_hash) = 64", name="ck_calendar_feeds_token_hash"),
    )
    op.create_index("uq_calendar_feeds_token_hash", "calendar_feeds", ["token_hash"], unique=True)
    op.create_index(
        "uq_calendar_feeds_live_doctor",
        "calendar_feeds",
        ["doctor_id"],
        unique=True,
        postgresql_where=sa.text("revoked_at IS NULL AND doctor_id IS NOT NULL"),
    )
    op.create_index(
        "uq_calendar_feeds_live_resource",
        "calendar_feeds",
        ["resource_id"],
        unique=True,
        postgresql_where=sa.text("revoked_at IS NULL AND resource_id IS NOT NULL"),
    )
    op.create_index("ix_calendar_feeds_doctor_id", "calendar_feeds", ["doctor_id"])
    op.create_index("ix_calendar_feeds_resource_id", "calendar_feeds", ["resource_id"])

    op.create_table(
        "calendar_feed_settings",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("show_patient_initials", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("window_days", sa.Integer, nullable=False, server_default="60"),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("updated_by", sa.BigInteger, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_calendar_feed_settings"),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["users.id"],
            name="fk_calendar_feed_settings_updated_by_users",
            ondelete="SET NULL",
        ),
        sa.CheckConstraint("id = 1", name="ck_calendar_feed_settings_single_row"),
        sa.CheckConstraint(
            "window_days BETWEEN 1 AND 366", name="ck_calendar_feed_settings_window_days"
        ),
    )
    op.execute("INSERT INTO calendar_feed_settings (id) VALUES (1)")


def downgrade() -> None:
    op.drop_table("calendar_feed_settings")
    op.drop_table("calendar_feeds")
