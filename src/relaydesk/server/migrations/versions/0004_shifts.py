"""Shifts: agents' weekly schedules, whether each is on shift now, conversations kept past the end

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 10:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("agents", schema=None) as batch_op:
        # Existing agents have no schedule: always on shift.
        batch_op.add_column(
            sa.Column("on_shift", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    op.create_table(
        "shift_schedules",
        sa.Column("agent_id", sa.String(length=32), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("intervals", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["agents.id"],
            name=op.f("fk_shift_schedules_agent_id_agents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("agent_id", name=op.f("pk_shift_schedules")),
    )
    op.create_table(
        "kept_conversations",
        sa.Column("conversation_id", sa.String(length=32), nullable=False),
        sa.Column("agent_id", sa.String(length=32), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["agents.id"],
            name=op.f("fk_kept_conversations_agent_id_agents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_kept_conversations_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("conversation_id", name=op.f("pk_kept_conversations")),
    )
    with op.batch_alter_table("kept_conversations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_kept_conversations_agent_id"), ["agent_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("kept_conversations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kept_conversations_agent_id"))
    op.drop_table("kept_conversations")
    op.drop_table("shift_schedules")
    with op.batch_alter_table("agents", schema=None) as batch_op:
        batch_op.drop_column("on_shift")
