"""callbacks and statistics

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 13:07:42.497669
"""

from alembic import op
import sqlalchemy as sa
import hotline.models.base


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('stats_daily',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('metric', sa.String(length=32), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stats_daily'))
    )
    with op.batch_alter_table('stats_daily', schema=None) as batch_op:
        batch_op.create_index('ix_stats_daily_day', ['day', 'department_id'], unique=False)

    op.create_table('stats_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('built_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_stats_days'))
    )
    op.create_table('callbacks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('work_order_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('due_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('max_attempts', sa.Integer(), nullable=False),
    sa.Column('claimed_by_user_id', sa.Integer(), nullable=True),
    sa.Column('claimed_until', hotline.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', hotline.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=24), nullable=True),
    sa.ForeignKeyConstraint(['claimed_by_user_id'], ['users.id'], name=op.f('fk_callbacks_claimed_by_user_id_users')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_callbacks_department_id_departments')),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], name=op.f('fk_callbacks_work_order_id_work_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_callbacks')),
    sa.UniqueConstraint('work_order_id', 'round', name=op.f('uq_callbacks_work_order_id_round'))
    )
    with op.batch_alter_table('callbacks', schema=None) as batch_op:
        batch_op.create_index('ix_callbacks_queue', ['next_attempt_at'], unique=False, postgresql_where=sa.text("status = 'pending'"), sqlite_where=sa.text("status = 'pending'"))
        batch_op.create_index(batch_op.f('ix_callbacks_work_order_id'), ['work_order_id'], unique=False)

    op.create_table('callback_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('callback_id', sa.Integer(), nullable=False),
    sa.Column('attempt_no', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=8), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('started_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', hotline.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('verdict', sa.String(length=24), nullable=True),
    sa.Column('process_verdict', sa.String(length=24), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['callback_id'], ['callbacks.id'], name=op.f('fk_callback_attempts_callback_id_callbacks')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_callback_attempts_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_callback_attempts')),
    sa.UniqueConstraint('callback_id', 'attempt_no', name=op.f('uq_callback_attempts_callback_id_attempt_no'))
    )
    with op.batch_alter_table('callback_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_callback_attempts_finished_at', ['finished_at'], unique=False)

    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index('ix_assignments_completed_at', ['completed_at'], unique=False)
        batch_op.create_index('ix_assignments_dispatched_at', ['dispatched_at'], unique=False)

    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.create_index('ix_deadlines_kind_due_at', ['kind', 'due_at'], unique=False)

    with op.batch_alter_table('work_order_events', schema=None) as batch_op:
        batch_op.create_index('ix_work_order_events_action_at', ['action', 'occurred_at'], unique=False)

    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_orders_accepted_at'), ['accepted_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_orders_accepted_at'))

    with op.batch_alter_table('work_order_events', schema=None) as batch_op:
        batch_op.drop_index('ix_work_order_events_action_at')

    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_index('ix_deadlines_kind_due_at')

    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_assignments_dispatched_at')
        batch_op.drop_index('ix_assignments_completed_at')

    with op.batch_alter_table('callback_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_callback_attempts_finished_at')

    op.drop_table('callback_attempts')
    with op.batch_alter_table('callbacks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_callbacks_work_order_id'))
        batch_op.drop_index('ix_callbacks_queue', postgresql_where=sa.text("status = 'pending'"), sqlite_where=sa.text("status = 'pending'"))

    op.drop_table('callbacks')
    op.drop_table('stats_days')
    with op.batch_alter_table('stats_daily', schema=None) as batch_op:
        batch_op.drop_index('ix_stats_daily_day')

    op.drop_table('stats_daily')
