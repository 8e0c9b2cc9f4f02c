"""ticket numbers on PostgreSQL from one sequence: no row stays locked until the creating request commits

Revision ID: 0026
Revises: 0025
Create Date: 2026-11-30 11:40:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ticket_days',
    sa.Column('day', sa.String(length=8), nullable=False),
    sa.Column('base', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_ticket_days'))
    )
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite keeps numbering with its per-day counter rows: one writer at a time there
    # Owned by the table, so emptying it with RESTART IDENTITY starts the numbering over as well.
    op.execute("CREATE SEQUENCE ticket_serial OWNED BY ticket_days.base")
    # Days already counted go on where they stopped: the sequence starts at 1, so the next is last_value + 1.
    op.execute("INSERT INTO ticket_days (day, base) SELECT day, -last_value FROM ticket_counters")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _counters_from_the_orders()
    op.drop_table('ticket_days')  # on PostgreSQL with the sequence it owns


def _counters_from_the_orders() -> None:
    # The counters take the highest number each day has given out.
    op.execute("INSERT INTO ticket_counters (day, last_value) "
               "SELECT split_part(ticket_no, '-', 1), max(split_part(ticket_no, '-', 2)::bigint) FROM work_orders "
               "GROUP BY split_part(ticket_no, '-', 1) "
               "ON CONFLICT (day) DO UPDATE SET last_value = GREATEST(ticket_counters.last_value, EXCLUDED.last_value)")
