"""citizen notices: outbox routing and delivery status, delivery receipts, inbound replies, opt-out,
satisfaction by message (the channel of each callback attempt)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 02:20:27.071200
"""

from alembic import op
import sqlalchemy as sa
import hotline.models.base


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('inbound_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=32), nullable=False),
    sa.Column('reply_id', sa.String(length=128), nullable=True),
    sa.Column('sender_masked', sa.String(length=40), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=True),
    sa.Column('work_order_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('received_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizens.id'], name=op.f('fk_inbound_messages_citizen_id_citizens')),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], name=op.f('fk_inbound_messages_work_order_id_work_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_messages')),
    sa.UniqueConstraint('provider', 'reply_id', name=op.f('uq_inbound_messages_provider_reply_id'))
    )
    with op.batch_alter_table('inbound_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbound_messages_citizen_id'), ['citizen_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbound_messages_work_order_id'), ['work_order_id'], unique=False)

    op.create_table('delivery_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=32), nullable=False),
    sa.Column('delivered', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=64), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=True),
    sa.Column('reported_at', sa.String(length=40), nullable=True),
    sa.Column('received_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['outbox_id'], ['outbox.id'], name=op.f('fk_delivery_receipts_outbox_id_outbox')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_receipts'))
    )
    with op.batch_alter_table('delivery_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_receipts_outbox_id'), ['outbox_id'], unique=False)

    with op.batch_alter_table('callback_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=8), server_default='staff', nullable=False))
    # Verdicts of the keypad survey were never staff's.
    op.execute("UPDATE callback_attempts SET channel = 'auto' WHERE mode = 'auto'")

    with op.batch_alter_table('callbacks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('by_message_until', hotline.models.base.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('citizens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notices_opted_out_at', hotline.models.base.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('work_order_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('audience', sa.String(length=12), server_default='staff', nullable=False))
        batch_op.add_column(sa.Column('notice', sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column('not_before', hotline.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_outcome', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('provider', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('provider_message_id', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('delivery', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('delivery_at', hotline.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_outbox_provider_message', ['provider', 'provider_message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_work_order_id'), ['work_order_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outbox_work_order_id_work_orders'), 'work_orders', ['work_order_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_work_order_id_work_orders'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_work_order_id'))
        batch_op.drop_index('ix_outbox_provider_message')
        batch_op.drop_column('delivery_at')
        batch_op.drop_column('delivery')
        batch_op.drop_column('provider_message_id')
        batch_op.drop_column('provider')
        batch_op.drop_column('last_outcome')
        batch_op.drop_column('not_before')
        batch_op.drop_column('notice')
        batch_op.drop_column('audience')
        batch_op.drop_column('work_order_id')

    with op.batch_alter_table('citizens', schema=None) as batch_op:
        batch_op.drop_column('notices_opted_out_at')

    with op.batch_alter_table('callbacks', schema=None) as batch_op:
        batch_op.drop_column('by_message_until')

    with op.batch_alter_table('callback_attempts', schema=None) as batch_op:
        batch_op.drop_column('channel')

    with op.batch_alter_table('delivery_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_receipts_outbox_id'))

    op.drop_table('delivery_receipts')
    with op.batch_alter_table('inbound_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbound_messages_work_order_id'))
        batch_op.drop_index(batch_op.f('ix_inbound_messages_citizen_id'))

    op.drop_table('inbound_messages')
