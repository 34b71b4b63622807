"""Translation preferences kept with what they belong to: the engine of each account, and each
contact's engine override and whether their chat's incoming messages are translated.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 08:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("translation_engine", sa.String(16), nullable=True))
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("translation_engine", sa.String(16), nullable=True))
        batch.add_column(
            sa.Column("translate_incoming", sa.Boolean(), nullable=False, server_default="1")
        )


def downgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("translate_incoming")
        batch.drop_column("translation_engine")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("translation_engine")
