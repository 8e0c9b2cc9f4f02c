"""calls to work: orders linked to the calls they were created or updated during; call dialogues

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 05:20:00.000000
"""

from alembic import op
import sqlalchemy as sa
import hotline.models.base


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('call_orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('linkedid', sa.String(length=64), nullable=False),
    sa.Column('work_order_id', sa.Integer(), nullable=False),
    sa.Column('how', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('linked_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_call_orders_user_id_users')),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], name=op.f('fk_call_orders_work_order_id_work_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_orders')),
    sa.UniqueConstraint('linkedid', 'work_order_id', name=op.f('uq_call_orders_linkedid_work_order_id'))
    )
    with op.batch_alter_table('call_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_orders_linkedid'), ['linkedid'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_orders_work_order_id'), ['work_order_id'], unique=False)

    op.create_table('call_dialogues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('linkedid', sa.String(length=64), nullable=False),
    sa.Column('recording_id', sa.Integer(), nullable=True),
    sa.Column('citizen_path', sa.String(length=255), nullable=False),
    sa.Column('operator_path', sa.String(length=255), nullable=False),
    sa.Column('answered_offset_s', sa.Double(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('turns', sa.JSON(), nullable=False),
    sa.Column('citizen_text', sa.Text(), nullable=True),
    sa.Column('operator_text', sa.Text(), nullable=True),
    sa.Column('draft', sa.JSON(), nullable=True),
    sa.Column('engine', sa.String(length=32), nullable=True),
    sa.Column('model', sa.String(length=128), nullable=True),
    sa.Column('duration_s', sa.Double(), nullable=True),
    sa.Column('elapsed_s', sa.Double(), nullable=True),
    sa.Column('created_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('transcribed_at', hotline.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['recording_id'], ['recordings.id'], name=op.f('fk_call_dialogues_recording_id_recordings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_dialogues')),
    sa.UniqueConstraint('linkedid', name=op.f('uq_call_dialogues_linkedid'))
    )
    with op.batch_alter_table('call_dialogues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_dialogues_recording_id'), ['recording_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_dialogues_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('call_dialogues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_dialogues_status'))
        batch_op.drop_index(batch_op.f('ix_call_dialogues_recording_id'))
    op.drop_table('call_dialogues')
    with op.batch_alter_table('call_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_orders_work_order_id'))
        batch_op.drop_index(batch_op.f('ix_call_orders_linkedid'))
    op.drop_table('call_orders')
