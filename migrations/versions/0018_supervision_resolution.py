"""supervision resolution: the note a supervisor leaves when resolving a 督办 from the screen

Revision ID: 0018
Revises: 0010
Create Date: 2026-11-30 05:45:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('supervisions') as batch:
        batch.add_column(sa.Column('resolution_note', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('supervisions') as batch:
        batch.drop_column('resolution_note')
