"""supervision triggers and interviews: a 督办's own deadline and the key that makes each trigger open it
once per order; the 约谈 list

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-30 08:50:00.000000
"""

from alembic import op
import sqlalchemy as sa

import hotline.models.base

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('supervisions') as batch:
        batch.add_column(sa.Column('due_at', hotline.models.base.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('trigger_key', sa.String(length=80), nullable=True))
        batch.create_unique_constraint(batch.f('uq_supervisions_trigger_key'), ['trigger_key'])
    op.create_table('interviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('supervision_id', sa.Integer(), nullable=True),
    sa.Column('ranking_month', sa.String(length=7), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_user_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', hotline.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_user_id', sa.Integer(), nullable=True),
    sa.Column('resolution_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_interviews_department_id_departments')),
    sa.ForeignKeyConstraint(['supervision_id'], ['supervisions.id'], name=op.f('fk_interviews_supervision_id_supervisions')),
    sa.ForeignKeyConstraint(['created_by_user_id'], ['users.id'], name=op.f('fk_interviews_created_by_user_id_users')),
    sa.ForeignKeyConstraint(['resolved_by_user_id'], ['users.id'], name=op.f('fk_interviews_resolved_by_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interviews'))
    )
    op.create_index('ix_interviews_open_department', 'interviews', ['department_id'], unique=True,
                    sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))


def downgrade() -> None:
    op.drop_index('ix_interviews_open_department', table_name='interviews')
    op.drop_table('interviews')
    with op.batch_alter_table('supervisions') as batch:
        batch.drop_constraint(batch.f('uq_supervisions_trigger_key'), type_='unique')
        batch.drop_column('trigger_key')
        batch.drop_column('due_at')
