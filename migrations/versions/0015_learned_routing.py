"""learned routing: orders filed under catalogue leaves, the kind of request, the suggestion made at creation

Orders keep working across the catalogue change: each retired category code (the 32 of
categories.yaml) becomes the leaf catalogue.yaml's `legacy` map names. The map is copied here
as it stood, so the migration means the same thing whatever the config says later.

Revision ID: 0015
Revises: 0013
Create Date: 2026-11-30 05:40:00
"""

from alembic import op
import sqlalchemy as sa
import hotline.models.base


revision = '0015'
down_revision = '0013'
branch_labels = None
depends_on = None

LEGACY = {
    "water.outage": "utility.water.outage", "water.quality": "utility.water.quality",
    "power.outage": "utility.power.outage", "gas.supply": "utility.gas.outage", "gas.leak": "utility.gas.leak",
    "heating": "utility.heat.cold", "safety.incident": "safety.other.incident",
    "safety.hazard": "safety.hazard.other", "city.road": "urban.road.damage",
    "city.sanitation": "urban.sanitation.dirty", "city.vendors": "urban.order.vending",
    "city.construction": "urban.order.illegal_build", "housing.property": "housing.property.service",
    "housing.delivery": "housing.trade.delivery", "labor.wages": "labor.wage.arrears",
    "labor.insurance": "labor.social.payment", "civil.assistance": "civil.aid.dibao",
    "market.consumer": "market.consumer.dispute", "market.food": "market.food.safety",
    "traffic.order": "police.traffic.congestion", "public.security": "police.security.order",
    "transport.bus": "transport.bus.service", "education": "education.school.enrollment",
    "health.medical": "health.medical.service", "health.insurance": "medsec.insurance.reimburse",
    "land.planning": "resource.land.expropriation", "environment.pollution": "eco.other.pollution",
    "agriculture": "agri.production.inputs", "approval.service": "gov.approval.procedure",
    "consult.policy": "other.general.policy", "praise": "other.general.thanks",
    "dispute.complex": "other.general.dispute",
}
# Two retired categories were kinds of request rather than matters: the kind survives as its own field.
KIND_OF = {"consult.policy": "consult", "praise": "praise"}

orders = sa.table("work_orders", sa.column("category_code", sa.String), sa.column("kind", sa.String))


def upgrade() -> None:
    op.create_table('intake_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_no', sa.String(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('category_code', sa.String(length=32), nullable=False),
    sa.Column('department_code', sa.String(length=32), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=True),
    sa.Column('received_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('imported_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_history')),
    sa.UniqueConstraint('ticket_no', name=op.f('uq_intake_history_ticket_no'))
    )
    with op.batch_alter_table('intake_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intake_history_received_at'), ['received_at'], unique=False)
    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('suggested_category_code', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('suggestion_confidence', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('suggestion_model', sa.String(length=32), nullable=True))
    for old, kind in KIND_OF.items():
        op.execute(orders.update().where(orders.c.category_code == old).values(kind=kind))
    for old, new in LEGACY.items():
        op.execute(orders.update().where(orders.c.category_code == old).values(category_code=new))


def downgrade() -> None:
    # Leaves that had no retired code keep their leaf code: the old schema stores any string.
    for old, new in LEGACY.items():
        op.execute(orders.update().where(orders.c.category_code == new).values(category_code=old))
    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.drop_column('suggestion_model')
        batch_op.drop_column('suggestion_confidence')
        batch_op.drop_column('suggested_category_code')
        batch_op.drop_column('kind')
    op.drop_table('intake_history')
