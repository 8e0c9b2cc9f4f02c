"""Open311 submissions remember their client, coordinates and media link; rate-limit attempts in the database

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 06:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rate_limit_hits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rate_limit_hits'))
    )
    with op.batch_alter_table('rate_limit_hits', schema=None) as batch_op:
        batch_op.create_index('ix_rate_limit_hits_key_at', ['key', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_rate_limit_hits_at'), ['at'], unique=False)

    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('api_client_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('latitude', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('longitude', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('media_url', sa.String(length=500), nullable=True))
        batch_op.create_index(batch_op.f('ix_work_orders_api_client_id'), ['api_client_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_work_orders_api_client_id_api_clients'), 'api_clients',
                                    ['api_client_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_work_orders_api_client_id_api_clients'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_work_orders_api_client_id'))
        batch_op.drop_column('media_url')
        batch_op.drop_column('longitude')
        batch_op.drop_column('latitude')
        batch_op.drop_column('api_client_id')

    with op.batch_alter_table('rate_limit_hits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rate_limit_hits_at'))
        batch_op.drop_index('ix_rate_limit_hits_key_at')
    op.drop_table('rate_limit_hits')
