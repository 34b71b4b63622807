"""Intake reads from indexes alone: appearances by time and first appearances by person.

The dashboard reads today's appearances (by time) and, for each person among them, whether and
when they appeared before; indexes that hold every column those reads need spare a table lookup
per row, which is most of the cost on a large store.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 08:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("intake_events") as batch:
        batch.drop_index("ix_intake_events_at")
        batch.drop_index("ix_intake_events_person_at")
        batch.create_index("ix_intake_events_at", ["at", "account_id", "contact_id", "person_key"])
        batch.create_index("ix_intake_events_person_at", ["person_key", "account_id", "at"])


def downgrade() -> None:
    with op.batch_alter_table("intake_events") as batch:
        batch.drop_index("ix_intake_events_at")
        batch.drop_index("ix_intake_events_person_at")
        batch.create_index("ix_intake_events_at", ["at"])
        batch.create_index("ix_intake_events_person_at", ["person_key", "at"])
