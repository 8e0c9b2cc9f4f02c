"""calls agents recordings

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 13:19:09.108032
"""

from alembic import op
import sqlalchemy as sa
import hotline.models.base


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('agent_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('queue', sa.String(length=64), nullable=False),
    sa.Column('interface', sa.String(length=128), nullable=False),
    sa.Column('member_name', sa.String(length=64), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('logged_in', sa.Boolean(), nullable=False),
    sa.Column('paused', sa.Boolean(), nullable=False),
    sa.Column('pause_reason', sa.String(length=80), nullable=True),
    sa.Column('status', sa.Integer(), nullable=True),
    sa.Column('in_call', sa.Boolean(), nullable=False),
    sa.Column('calls_taken', sa.Integer(), nullable=False),
    sa.Column('updated_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_agent_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agent_sessions')),
    sa.UniqueConstraint('queue', 'interface', name=op.f('uq_agent_sessions_queue_interface'))
    )
    with op.batch_alter_table('agent_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agent_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('linkedid', sa.String(length=64), nullable=False),
    sa.Column('caller', sa.String(length=32), nullable=True),
    sa.Column('dialled', sa.String(length=32), nullable=True),
    sa.Column('started_at', hotline.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answered_at', hotline.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ended_at', hotline.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ivr_path', sa.JSON(), nullable=False),
    sa.Column('queue', sa.String(length=64), nullable=True),
    sa.Column('wait_seconds', sa.Integer(), nullable=True),
    sa.Column('agent', sa.String(length=64), nullable=True),
    sa.Column('agent_interface', sa.String(length=128), nullable=True),
    sa.Column('talk_seconds', sa.Integer(), nullable=True),
    sa.Column('hangup_cause', sa.String(length=80), nullable=True),
    sa.Column('disposition', sa.String(length=16), nullable=False),
    sa.Column('recording', sa.String(length=255), nullable=True),
    sa.Column('message_recording', sa.String(length=255), nullable=True),
    sa.Column('work_order_id', sa.Integer(), nullable=True),
    sa.Column('stored_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], name=op.f('fk_calls_work_order_id_work_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calls')),
    sa.UniqueConstraint('linkedid', name=op.f('uq_calls_linkedid'))
    )
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calls_caller'), ['caller'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_started_at'), ['started_at'], unique=False)

    op.create_table('recordings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('linkedid', sa.String(length=64), nullable=True),
    sa.Column('work_order_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], name=op.f('fk_recordings_work_order_id_work_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recordings')),
    sa.UniqueConstraint('path', name=op.f('uq_recordings_path'))
    )
    with op.batch_alter_table('recordings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recordings_linkedid'), ['linkedid'], unique=False)
        batch_op.create_index(batch_op.f('ix_recordings_work_order_id'), ['work_order_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('recordings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recordings_work_order_id'))
        batch_op.drop_index(batch_op.f('ix_recordings_linkedid'))

    op.drop_table('recordings')
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calls_started_at'))
        batch_op.drop_index(batch_op.f('ix_calls_caller'))

    op.drop_table('calls')
    with op.batch_alter_table('agent_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agent_sessions_user_id'))

    op.drop_table('agent_sessions')
