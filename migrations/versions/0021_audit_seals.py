"""audit seals: writers of audit rows no longer queue on the chain head; a sealer links the rows into the hash
chain, in id order, once they are final (on PostgreSQL a shared advisory lock taken by every insert into the log
tells the sealer when no row is in flight)

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30 09:00:00.000000
"""

import datetime as dt
import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

GENESIS = "0" * 64
GATE_KEY = 4_815_162_342  # hotline.audit.chain.GATE_KEY as of this revision


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table('audit_seals',
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('audit_id', sa.Integer(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('row_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['audit_id'], ['audit_log.id'], name=op.f('fk_audit_seals_audit_id_audit_log')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_seals')),
    sa.UniqueConstraint('audit_id', name=op.f('uq_audit_seals_audit_id'))
    )
    # The chain so far, link for link: it was built in id order.
    op.execute("INSERT INTO audit_seals (seq, audit_id, prev_hash, row_hash) "
               "SELECT row_number() OVER (ORDER BY id), id, prev_hash, row_hash FROM audit_log "
               "WHERE row_hash IS NOT NULL")
    if postgres:
        op.execute("SELECT setval(pg_get_serial_sequence('audit_seals', 'seq'), COALESCE(max(seq), 0) + 1, false) "
                   "FROM audit_seals")
    op.add_column('audit_chain_head', sa.Column('last_seq', sa.Integer(), nullable=True))
    op.execute("UPDATE audit_chain_head SET last_seq = (SELECT max(seq) FROM audit_seals)")
    op.drop_column('audit_log', 'row_hash')
    op.drop_column('audit_log', 'prev_hash')
    _protect_seals(postgres)
    if postgres:
        # Every statement that inserts into the log holds this lock (shared) until its transaction ends, taken
        # before the statement draws its ids; the sealer takes it exclusively for a moment to learn the highest id
        # below which no row can still appear. Writers never wait for one another.
        op.execute("CREATE FUNCTION hotline_audit_gate() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   f"BEGIN PERFORM pg_advisory_xact_lock_shared({GATE_KEY}); RETURN NULL; END $$")
        op.execute("CREATE TRIGGER audit_log_gate BEFORE INSERT ON audit_log "
                   "FOR EACH STATEMENT EXECUTE FUNCTION hotline_audit_gate()")


def downgrade() -> None:
    """Back to hashes on the rows themselves (the seals' chain, which is in id order)."""
    postgres = op.get_bind().dialect.name == "postgresql"
    op.add_column('audit_log', sa.Column('prev_hash', sa.String(length=64), nullable=True))
    op.add_column('audit_log', sa.Column('row_hash', sa.String(length=64), nullable=True))
    _rechain_rows_in_id_order(postgres)
    if postgres:
        op.execute("DROP TRIGGER IF EXISTS audit_log_gate ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS hotline_audit_gate()")
    op.drop_column('audit_chain_head', 'last_seq')
    _unprotect_seals(postgres)
    op.drop_table('audit_seals')


def _protect_seals(postgres: bool) -> None:
    if postgres:
        op.execute("CREATE TRIGGER audit_seals_append_only BEFORE UPDATE OR DELETE ON audit_seals "
                   "FOR EACH ROW EXECUTE FUNCTION hotline_append_only()")
        op.execute("CREATE TRIGGER audit_seals_no_truncate BEFORE TRUNCATE ON audit_seals "
                   "FOR EACH STATEMENT EXECUTE FUNCTION hotline_append_only()")
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(f"CREATE TRIGGER audit_seals_no_{verb.lower()} BEFORE {verb} ON audit_seals "
                   "BEGIN SELECT RAISE(ABORT, 'audit_seals is append-only'); END")


def _unprotect_seals(postgres: bool) -> None:
    if postgres:
        op.execute("DROP TRIGGER IF EXISTS audit_seals_append_only ON audit_seals")
        op.execute("DROP TRIGGER IF EXISTS audit_seals_no_truncate ON audit_seals")
        return
    for verb in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS audit_seals_no_{verb}")


def _digest(prev_hash, at, user_id, actor, role, action, object_type, object_id, ip, details) -> str:
    """hotline.audit.chain.digest as of this revision (a migration does not follow later code)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    moment = at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    canonical = json.dumps([prev_hash, moment, user_id, actor, role, action, object_type, object_id, ip, details],
                           ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _rechain_rows_in_id_order(postgres: bool) -> None:
    bind = op.get_bind()
    log = sa.table('audit_log', sa.column('id', sa.Integer), sa.column('at', sa.DateTime(timezone=True)),
                   sa.column('user_id', sa.Integer), sa.column('actor', sa.String), sa.column('role', sa.String),
                   sa.column('action', sa.String), sa.column('object_type', sa.String),
                   sa.column('object_id', sa.String), sa.column('ip', sa.String), sa.column('details', sa.JSON),
                   sa.column('prev_hash', sa.String), sa.column('row_hash', sa.String))
    sealed = sa.select(sa.table('audit_seals', sa.column('audit_id')).c.audit_id)
    rows = bind.execute(sa.select(log).where(log.c.id.in_(sealed)).order_by(log.c.id)).all()
    # The rows are append-only: this one rewrite runs with the guard lifted, as the schema's owner.
    guard = ("audit_log_append_only ON audit_log",) if postgres else ("audit_log_no_update",)
    op.execute(f"DROP TRIGGER {guard[0]}")
    last_hash, last_id = GENESIS, None
    for row in rows:
        row_hash = _digest(last_hash, row.at, row.user_id, row.actor, row.role, row.action, row.object_type,
                           row.object_id, row.ip, row.details)
        bind.execute(log.update().where(log.c.id == row.id).values(prev_hash=last_hash, row_hash=row_hash))
        last_hash, last_id = row_hash, row.id
    if postgres:
        op.execute("CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
                   "FOR EACH ROW EXECUTE FUNCTION hotline_append_only()")
    else:
        op.execute("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
                   "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")
    head = sa.table('audit_chain_head', sa.column('id', sa.Integer), sa.column('last_id', sa.Integer),
                    sa.column('last_hash', sa.String))
    bind.execute(head.update().where(head.c.id == 1).values(last_id=last_id, last_hash=last_hash))
