"""The team server's answers on when the team first saw a contact, kept by the workstation.

The intake counter's "team" scope asks about each contact once (today's, and the past weeks'
that the usual profile counts); kept here, a restart asks nobody again. An answer names the
server it came from, so another team's server starts afresh.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 11:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "team_first_seen",
        sa.Column("server", sa.String(500), nullable=False),
        sa.Column("account_id", sa.String(100), nullable=False),
        sa.Column("handle", sa.String(300), nullable=False),
        sa.Column("first_seen_at", sa.BigInteger(), nullable=True),
        sa.Column("asked_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("server", "account_id", "handle", name=op.f("pk_team_first_seen")),
    )


def downgrade() -> None:
    op.drop_table("team_first_seen")
