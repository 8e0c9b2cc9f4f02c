"""transcripts: what the recogniser heard in each recording, and transcription attempts

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 14:11:58.855947
"""

from alembic import op
import sqlalchemy as sa
import hotline.models.base


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('transcripts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recording_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('raw_text', sa.Text(), nullable=False),
    sa.Column('engine', sa.String(length=32), nullable=False),
    sa.Column('model', sa.String(length=128), nullable=False),
    sa.Column('words', sa.JSON(), nullable=False),
    sa.Column('duration_s', sa.Double(), nullable=False),
    sa.Column('elapsed_s', sa.Double(), nullable=False),
    sa.Column('truncated', sa.Boolean(), nullable=False),
    sa.Column('draft', sa.JSON(), nullable=True),
    sa.Column('created_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['recording_id'], ['recordings.id'], name=op.f('fk_transcripts_recording_id_recordings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transcripts')),
    sa.UniqueConstraint('recording_id', name=op.f('uq_transcripts_recording_id'))
    )
    with op.batch_alter_table('recordings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index(batch_op.f('ix_recordings_status'), ['status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('recordings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recordings_status'))
        batch_op.drop_column('attempts')

    op.drop_table('transcripts')
