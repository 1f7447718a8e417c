"""Refresh-token families remember their previous token id and when the current one was issued.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28

Two parallel refreshes with the same token must not end the session (issue 22): the one that
waited for the family's row lock finds the token it presents as the family's *previous* one and,
within ``server.auth.service.ROTATION_GRACE`` of ``rotated_at``, gets the current token again.
Both columns are nullable; existing families keep working (no grace for their current token's
predecessor, which they never recorded).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("refresh_token_families", sa.Column("previous_jti", sa.String(64), nullable=True))
    op.add_column(
        "refresh_token_families",
        sa.Column("rotated_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("refresh_token_families", "rotated_at")
    op.drop_column("refresh_token_families", "previous_jti")
