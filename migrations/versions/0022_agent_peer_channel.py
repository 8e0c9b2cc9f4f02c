"""agent peer channel: the citizen's channel of the operator's call, so a call put on hold (保持) can be
bridged back to the operator (AMI Bridge finds channels by name, not by Uniqueid)

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-30 08:40:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('agent_states') as batch:
        batch.add_column(sa.Column('peer_channel', sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('agent_states') as batch:
        batch.drop_column('peer_channel')
