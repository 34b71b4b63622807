"""Each intake appearance carries the person's first appearance, on its account and anywhere.

Counting "new or returning" then needs only the period's own rows, not a second look-up per
person through all history: the dashboard reads one covering index range. Existing rows are
filled from the history already there.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 08:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

FILL = """
UPDATE intake_events SET
    first_on_account_at = (
        SELECT min(e.at) FROM intake_events AS e
        WHERE e.person_key = intake_events.person_key AND e.account_id = intake_events.account_id
    ),
    first_for_person_at = (
        SELECT min(e.at) FROM intake_events AS e WHERE e.person_key = intake_events.person_key
    )
"""


def upgrade() -> None:
    with op.batch_alter_table("intake_events") as batch:
        batch.add_column(
            sa.Column("first_on_account_at", sa.BigInteger(), nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column("first_for_person_at", sa.BigInteger(), nullable=False, server_default="0")
        )
    op.execute(FILL)
    with op.batch_alter_table("intake_events") as batch:
        batch.drop_index("ix_intake_events_at")
        batch.create_index(
            "ix_intake_events_at",
            ["at", "account_id", "contact_id", "person_key", "first_on_account_at",
             "first_for_person_at"],
        )  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table("intake_events") as batch:
        batch.drop_index("ix_intake_events_at")
        batch.create_index("ix_intake_events_at", ["at", "account_id", "contact_id", "person_key"])
        batch.drop_column("first_for_person_at")
        batch.drop_column("first_on_account_at")
