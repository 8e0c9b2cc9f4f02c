"""knowledge index without a pending list: articles change a few times a day and are searched on every
call, so each insert updates the GIN index at once instead of leaving entries in a pending list that
every search scans until the next vacuum

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30 08:40:00.000000
"""

from alembic import op


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER INDEX ix_kb_search_vector SET (fastupdate = off)")
        op.execute("SELECT gin_clean_pending_list('ix_kb_search_vector'::regclass)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER INDEX ix_kb_search_vector RESET (fastupdate)")
