"""desks: operators' bound extension, agent states and stints, the call an order was taken on,
callback staff's dialled calls

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 10:00:00
"""

from alembic import op
import sqlalchemy as sa
import hotline.models.base


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extension', sa.String(length=128), nullable=True))
    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('call_linkedid', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_work_orders_call_linkedid'), ['call_linkedid'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_orders_parent_id'), ['parent_id'], unique=False)
    op.create_table('agent_states',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('queue', sa.String(length=64), nullable=True),
    sa.Column('interface', sa.String(length=128), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('since', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('pause_reason', sa.String(length=80), nullable=True),
    sa.Column('linkedid', sa.String(length=64), nullable=True),
    sa.Column('caller', sa.String(length=32), nullable=True),
    sa.Column('updated_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_agent_states_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_agent_states'))
    )
    op.create_table('agent_stints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=80), nullable=True),
    sa.Column('linkedid', sa.String(length=64), nullable=True),
    sa.Column('started_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', hotline.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('seconds', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_agent_stints_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agent_stints'))
    )
    op.create_index('ix_agent_stints_user_started', 'agent_stints', ['user_id', 'started_at'], unique=False)
    op.create_table('callback_dials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('callback_id', sa.Integer(), nullable=False),
    sa.Column('attempt_no', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('linkedid', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=128), nullable=False),
    sa.Column('started_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['callback_id'], ['callbacks.id'], name=op.f('fk_callback_dials_callback_id_callbacks')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_callback_dials_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_callback_dials')),
    sa.UniqueConstraint('linkedid', name=op.f('uq_callback_dials_linkedid'))
    )
    op.create_index(op.f('ix_callback_dials_callback_id'), 'callback_dials', ['callback_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_callback_dials_callback_id'), table_name='callback_dials')
    op.drop_table('callback_dials')
    op.drop_index('ix_agent_stints_user_started', table_name='agent_stints')
    op.drop_table('agent_stints')
    op.drop_table('agent_states')
    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_orders_parent_id'))
        batch_op.drop_index(batch_op.f('ix_work_orders_call_linkedid'))
        batch_op.drop_column('call_linkedid')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('extension')
