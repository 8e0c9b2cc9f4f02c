"""supervision outbox evidence and sweep indexes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from alembic import op
import sqlalchemy as sa
import hotline.models.base


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=120), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('recipient', sa.String(length=120), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', hotline.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sent_at', hotline.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbox_dedupe_key'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_pending', ['created_at'], unique=False, postgresql_where=sa.text("status <> 'sent'"), sqlite_where=sa.text("status <> 'sent'"))

    op.create_table('evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('work_order_id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_evidence_assignment_id_assignments')),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], name=op.f('fk_evidence_work_order_id_work_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence'))
    )
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_work_order_id'), ['work_order_id'], unique=False)

    op.create_table('supervisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('work_order_id', sa.Integer(), nullable=False),
    sa.Column('deadline_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('raised_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', hotline.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['deadline_id'], ['deadlines.id'], name=op.f('fk_supervisions_deadline_id_deadlines')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_supervisions_department_id_departments')),
    sa.ForeignKeyConstraint(['resolved_by_user_id'], ['users.id'], name=op.f('fk_supervisions_resolved_by_user_id_users')),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], name=op.f('fk_supervisions_work_order_id_work_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervisions')),
    sa.UniqueConstraint('deadline_id', 'kind', name=op.f('uq_supervisions_deadline_id_kind'))
    )
    with op.batch_alter_table('supervisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervisions_work_order_id'), ['work_order_id'], unique=False)

    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deadlines_open_due'), sqlite_where=sa.text("status = 'open'"))
        batch_op.drop_index(batch_op.f('ix_deadlines_open_warn'), sqlite_where=sa.text("status = 'open'"))
        batch_op.create_index('ix_deadlines_to_overdue', ['due_at'], unique=False, postgresql_where=sa.text("status = 'open' AND light <> 'red'"), sqlite_where=sa.text("status = 'open' AND light <> 'red'"))
        batch_op.create_index('ix_deadlines_to_warn', ['warn_at'], unique=False, postgresql_where=sa.text("status = 'open' AND light = 'green'"), sqlite_where=sa.text("status = 'open' AND light = 'green'"))



def downgrade() -> None:
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_index('ix_deadlines_to_warn', postgresql_where=sa.text("status = 'open' AND light = 'green'"), sqlite_where=sa.text("status = 'open' AND light = 'green'"))
        batch_op.drop_index('ix_deadlines_to_overdue', postgresql_where=sa.text("status = 'open' AND light <> 'red'"), sqlite_where=sa.text("status = 'open' AND light <> 'red'"))
        batch_op.create_index(batch_op.f('ix_deadlines_open_warn'), ['warn_at'], unique=False, postgresql_where=sa.text("status = 'open'"), sqlite_where=sa.text("status = 'open'"))
        batch_op.create_index(batch_op.f('ix_deadlines_open_due'), ['due_at'], unique=False, postgresql_where=sa.text("status = 'open'"), sqlite_where=sa.text("status = 'open'"))

    with op.batch_alter_table('supervisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervisions_work_order_id'))

    op.drop_table('supervisions')
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_work_order_id'))

    op.drop_table('evidence')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_pending', postgresql_where=sa.text("status <> 'sent'"), sqlite_where=sa.text("status <> 'sent'"))

    op.drop_table('outbox')
