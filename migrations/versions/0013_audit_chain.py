"""audit log: hash chain and its head, TRUNCATE refused on the append-only tables

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

APPEND_ONLY = ("audit_log", "work_order_events")
GENESIS = "0" * 64


def upgrade() -> None:
    op.add_column('audit_log', sa.Column('prev_hash', sa.String(length=64), nullable=True))
    op.add_column('audit_log', sa.Column('row_hash', sa.String(length=64), nullable=True))
    head = op.create_table('audit_chain_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('last_id', sa.Integer(), nullable=True),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head'))
    )
    # Rows already written stay outside the chain (they carry no hash); the chain starts with the next one.
    op.bulk_insert(head, [{"id": 1, "last_id": None, "last_hash": GENESIS}])
    if op.get_bind().dialect.name == "postgresql":
        # UPDATE and DELETE are refused row by row already; TRUNCATE skips row triggers, so refuse it too.
        # (A role that does not own the tables cannot disable these triggers: see docs/database-roles.md.)
        for table in APPEND_ONLY:
            op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION hotline_append_only()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    op.drop_table('audit_chain_head')
    # Plain ALTER TABLE on both databases: a rebuilt SQLite table would lose its append-only triggers.
    op.drop_column('audit_log', 'row_hash')
    op.drop_column('audit_log', 'prev_hash')
