"""Clicks by link and visitor: a returning visitor's last account is one index lookup

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 08:10:00
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("clicks", schema=None) as batch_op:
        batch_op.create_index("ix_clicks_link_visitor", ["link_id", "visitor", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("clicks", schema=None) as batch_op:
        batch_op.drop_index("ix_clicks_link_visitor")
