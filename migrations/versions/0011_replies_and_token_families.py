"""submission replies kept sealed for Idempotency-Key retries; refresh-token families

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 05:40:00.000000
"""

from alembic import op
import sqlalchemy as sa
import hotline.models.base


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('submission_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('work_order_id', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('sealed_reply', sa.Text(), nullable=True),
    sa.Column('keep_until', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], name=op.f('fk_submission_replies_work_order_id_work_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submission_replies')),
    sa.UniqueConstraint('work_order_id', name=op.f('uq_submission_replies_work_order_id'))
    )
    with op.batch_alter_table('submission_replies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_replies_keep_until'), ['keep_until'], unique=False)

    with op.batch_alter_table('refresh_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('family', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_refresh_tokens_family'), ['family'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('refresh_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refresh_tokens_family'))
        batch_op.drop_column('family')

    with op.batch_alter_table('submission_replies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_replies_keep_until'))

    op.drop_table('submission_replies')
