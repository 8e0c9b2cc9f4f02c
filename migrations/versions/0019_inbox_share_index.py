"""inbox share index: the department inbox asks, order by order, whether one of a few departments
holds a share of it

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 06:35:00.000000
"""

from alembic import op


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_assignments_order_department', 'assignments', ['work_order_id', 'department_id'])


def downgrade() -> None:
    op.drop_index('ix_assignments_order_department', table_name='assignments')
