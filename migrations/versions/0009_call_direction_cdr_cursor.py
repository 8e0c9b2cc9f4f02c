"""calls: direction and purpose (outbound survey calls apart from citizens' calls); cdr_cursors: how far
the listener has read Asterisk's CDR file

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 12:00:00
"""

from alembic import op
import sqlalchemy as sa
import hotline.models.base


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('direction', sa.String(length=16), nullable=False, server_default='inbound'))
        batch_op.add_column(sa.Column('purpose', sa.String(length=24), nullable=False,
                                      server_default='citizen_call'))
        batch_op.create_index(batch_op.f('ix_calls_direction'), ['direction'], unique=False)
    op.create_table('cdr_cursors',
    sa.Column('source', sa.String(length=255), nullable=False),
    sa.Column('identity', sa.String(length=64), nullable=True),
    sa.Column('position', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('source', name=op.f('pk_cdr_cursors'))
    )


def downgrade() -> None:
    op.drop_table('cdr_cursors')
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calls_direction'))
        batch_op.drop_column('purpose')
        batch_op.drop_column('direction')
