"""hand-over (转接) of a call to an emergency line or a duty phone; the operator's channel on the desk;
recordings deleted when their retention runs out

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 05:30:00
"""

from alembic import op
import sqlalchemy as sa
import hotline.models.base


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('handovers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('linkedid', sa.String(length=64), nullable=False),
    sa.Column('work_order_id', sa.Integer(), nullable=True),
    sa.Column('target_kind', sa.String(length=16), nullable=False),
    sa.Column('target_code', sa.String(length=32), nullable=False),
    sa.Column('target_name', sa.String(length=60), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('action_id', sa.String(length=64), nullable=False),
    sa.Column('operator_channel', sa.String(length=128), nullable=False),
    sa.Column('requested_by', sa.Integer(), nullable=True),
    sa.Column('requested_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('settled_at', hotline.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['requested_by'], ['users.id'], name=op.f('fk_handovers_requested_by_users')),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], name=op.f('fk_handovers_work_order_id_work_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handovers')),
    sa.UniqueConstraint('action_id', name=op.f('uq_handovers_action_id'))
    )
    with op.batch_alter_table('handovers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handovers_linkedid'), ['linkedid'], unique=False)
        batch_op.create_index(batch_op.f('ix_handovers_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_handovers_work_order_id'), ['work_order_id'], unique=False)
    with op.batch_alter_table('agent_states', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=128), nullable=True))
    with op.batch_alter_table('recordings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', hotline.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_recordings_deleted_at'), ['deleted_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('recordings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recordings_deleted_at'))
        batch_op.drop_column('deleted_at')
    with op.batch_alter_table('agent_states', schema=None) as batch_op:
        batch_op.drop_column('channel')
    with op.batch_alter_table('handovers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handovers_work_order_id'))
        batch_op.drop_index(batch_op.f('ix_handovers_state'))
        batch_op.drop_index(batch_op.f('ix_handovers_linkedid'))
    op.drop_table('handovers')
