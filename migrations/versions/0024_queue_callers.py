"""queue callers: the citizens waiting in a queue now, kept by the AMI listener for the supervisor's
live agent board (calls waiting, longest wait)

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-30 08:50:00.000000
"""

from alembic import op
import sqlalchemy as sa
import hotline.models.base


revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('queue_callers',
    sa.Column('linkedid', sa.String(length=64), nullable=False),
    sa.Column('queue', sa.String(length=64), nullable=False),
    sa.Column('caller', sa.String(length=32), nullable=True),
    sa.Column('joined_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('linkedid', name=op.f('pk_queue_callers'))
    )


def downgrade() -> None:
    op.drop_table('queue_callers')
