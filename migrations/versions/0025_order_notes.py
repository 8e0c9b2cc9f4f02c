"""order notes: 内部沟通 between the departments holding an order and the hotline

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-30 08:50:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'order_notes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('work_order_id', sa.Integer(), nullable=False),
        sa.Column('author_user_id', sa.Integer(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], name=op.f('fk_order_notes_work_order_id_work_orders')),
        sa.ForeignKeyConstraint(['author_user_id'], ['users.id'], name=op.f('fk_order_notes_author_user_id_users')),
        sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_order_notes_department_id_departments')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_order_notes')),
    )
    op.create_index('ix_order_notes_order_created', 'order_notes', ['work_order_id', 'created_at'])


def downgrade() -> None:
    op.drop_index('ix_order_notes_order_created', table_name='order_notes')
    op.drop_table('order_notes')
