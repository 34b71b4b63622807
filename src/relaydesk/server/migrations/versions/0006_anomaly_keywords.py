"""Volume anomalies: the first message's words on each intake (kept 35 days, so keywords can stand
out), the team and figures on warnings (the anomaly report as one indexed query), and the team-hours
already warned about (two processes checking at once warn once)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 11:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("intakes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_text", sa.String(length=200), nullable=True))
        # Only the intakes still carrying a text: the check clears the old ones through it.
        batch_op.create_index(
            "ix_intakes_texts_at",
            ["at"],
            unique=False,
            sqlite_where=sa.text("first_text IS NOT NULL"),
            postgresql_where=sa.text("first_text IS NOT NULL"),
        )
    with op.batch_alter_table("warnings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("team", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("details", sa.JSON(), nullable=True))
        batch_op.create_index("ix_warnings_team_at", ["team", "at"], unique=False)
    op.create_table(
        "anomaly_hours",
        sa.Column("team", sa.String(length=120), nullable=False),
        sa.Column("hour_start", sa.Float(), nullable=False),
        sa.Column("warned_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("team", "hour_start", name=op.f("pk_anomaly_hours")),
    )
    _fill_teams()


def _fill_teams() -> None:
    """Warnings stored before: a conversation's warning gets its account's team; a volume
    anomaly its team and figures from the push that carried it (every one went to the admins)."""
    warnings = sa.table(
        "warnings",
        sa.column("id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("conversation_id", sa.String),
        sa.column("team", sa.String),
        sa.column("details", sa.JSON),
    )
    conversations = sa.table("conversations", sa.column("id"), sa.column("account_id"))
    accounts = sa.table("accounts", sa.column("id"), sa.column("team"))
    pushes = sa.table("pushes", sa.column("kind", sa.String), sa.column("payload", sa.JSON))
    bind = op.get_bind()
    team_of = (
        sa.select(accounts.c.team)
        .join(conversations, conversations.c.account_id == accounts.c.id)
        .where(conversations.c.id == warnings.c.conversation_id)
        .scalar_subquery()
    )
    bind.execute(
        warnings.update().where(warnings.c.conversation_id.is_not(None)).values(team=team_of)
    )
    found: dict[int, dict[str, object]] = {}
    for (payload,) in bind.execute(sa.select(pushes.c.payload).where(pushes.c.kind == "warning")):
        if isinstance(payload, dict) and payload.get("kind") == "volume_anomaly":
            found.setdefault(int(payload["warning_id"]), payload)
    for warning_id, payload in found.items():
        details = {k: v for k, v in payload.items() if k not in _NOT_DETAILS}
        bind.execute(
            warnings.update()
            .where(warnings.c.id == warning_id)
            .values(team=payload.get("team"), details=details)
        )


# What the warnings row has in its own columns.
_NOT_DETAILS = {
    *("kind", "message", "conversation_id", "agent_id", "other_agent_id", "team"),
    *("warning_id", "at"),
}


def downgrade() -> None:
    op.drop_table("anomaly_hours")
    with op.batch_alter_table("warnings", schema=None) as batch_op:
        batch_op.drop_index("ix_warnings_team_at")
        batch_op.drop_column("details")
        batch_op.drop_column("team")
    with op.batch_alter_table("intakes", schema=None) as batch_op:
        batch_op.drop_index("ix_intakes_texts_at")
        batch_op.drop_column("first_text")
