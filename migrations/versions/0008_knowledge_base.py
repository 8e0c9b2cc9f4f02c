"""knowledge base: articles, immutable versions, the search index (tsvector / FTS5), citations, feedback

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 09:00:00
"""

from alembic import op
import sqlalchemy as sa
import hotline.models.base


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

FIELDS = ("title_terms", "question_terms", "tag_terms", "category_terms", "body_terms", "pinyin_terms")


def _when() -> sa.Column:
    return sa.Column('created_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == 'sqlite'
    op.create_table('kb_articles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('category_code', sa.String(length=32), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('latest_no', sa.Integer(), nullable=False),
    sa.Column('published_version_id', sa.Integer(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('published_at', hotline.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('review_requested_at', hotline.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('helped', sa.Integer(), nullable=False),
    sa.Column('not_helped', sa.Integer(), nullable=False),
    _when(),
    sa.Column('updated_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_kb_articles_department_id_departments')),
    # SQLite may name a table it has not met yet; PostgreSQL gets this key once the versions exist.
    *([sa.ForeignKeyConstraint(['published_version_id'], ['kb_article_versions.id'],
                               name=op.f('fk_kb_articles_published_version_id_kb_article_versions'))] if sqlite else []),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_articles')),
    sa.UniqueConstraint('code', name=op.f('uq_kb_articles_code'))
    )
    op.create_index('ix_kb_articles_department_status', 'kb_articles', ['department_id', 'status'], unique=False)
    op.create_table('kb_article_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('version_no', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answer_html', sa.Text(), nullable=False),
    sa.Column('category_code', sa.String(length=32), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('origin', sa.JSON(), nullable=True),
    sa.Column('created_by_user_id', sa.Integer(), nullable=True),
    _when(),
    sa.ForeignKeyConstraint(['article_id'], ['kb_articles.id'], name=op.f('fk_kb_article_versions_article_id_kb_articles')),
    sa.ForeignKeyConstraint(['created_by_user_id'], ['users.id'], name=op.f('fk_kb_article_versions_created_by_user_id_users')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_kb_article_versions_department_id_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_article_versions')),
    sa.UniqueConstraint('article_id', 'version_no', name=op.f('uq_kb_article_versions_article_id_version_no'))
    )
    op.create_index(op.f('ix_kb_article_versions_article_id'), 'kb_article_versions', ['article_id'], unique=False)
    if not sqlite:
        op.create_foreign_key(op.f('fk_kb_articles_published_version_id_kb_article_versions'), 'kb_articles',
                              'kb_article_versions', ['published_version_id'], ['id'])
    _append_only(sqlite)
    _search(sqlite)
    _uses()


def _append_only(sqlite: bool) -> None:
    """A version, once written, is what was said: the database refuses to change or remove it."""
    if sqlite:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER kb_article_versions_no_{verb.lower()} BEFORE {verb} ON kb_article_versions "
                       "BEGIN SELECT RAISE(ABORT, 'kb_article_versions is append-only'); END")
        return
    op.execute("CREATE FUNCTION kb_article_versions_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
               "BEGIN RAISE EXCEPTION 'kb_article_versions is append-only'; END $$")
    op.execute("CREATE TRIGGER kb_article_versions_append_only BEFORE UPDATE OR DELETE ON kb_article_versions "
               "FOR EACH ROW EXECUTE FUNCTION kb_article_versions_refuse()")


def _search(sqlite: bool) -> None:
    op.create_table('kb_search',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('category_code', sa.String(length=32), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('terms', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['kb_articles.id'], name=op.f('fk_kb_search_article_id_kb_articles')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_kb_search_department_id_departments')),
    sa.ForeignKeyConstraint(['version_id'], ['kb_article_versions.id'], name=op.f('fk_kb_search_version_id_kb_article_versions')),
    sa.PrimaryKeyConstraint('article_id', name=op.f('pk_kb_search'))
    )
    op.create_index('ix_kb_search_category', 'kb_search', ['category_code'], unique=False)
    op.create_index('ix_kb_search_department', 'kb_search', ['department_id'], unique=False)
    op.create_table('kb_search_text',
    sa.Column('article_id', sa.Integer(), nullable=False),
    *[sa.Column(name, sa.Text(), nullable=False) for name in FIELDS],
    sa.ForeignKeyConstraint(['article_id'], ['kb_articles.id'], name=op.f('fk_kb_search_text_article_id_kb_articles')),
    sa.PrimaryKeyConstraint('article_id', name=op.f('pk_kb_search_text'))
    )
    op.create_table('kb_terms',
    sa.Column('term', sa.String(length=64), nullable=False),
    sa.Column('df', sa.Integer(), nullable=False),
    sa.Column('dictionary', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('term', name=op.f('pk_kb_terms'))
    )
    if not sqlite:
        op.execute("ALTER TABLE kb_search ADD COLUMN search_vector tsvector "
                   "GENERATED ALWAYS AS (to_tsvector('simple', terms)) STORED")
        op.execute("CREATE INDEX ix_kb_search_vector ON kb_search USING gin (search_vector)")
        # Long values live apart from the row, so a term's matches are read from narrow rows on few pages.
        op.execute("ALTER TABLE kb_search SET (toast_tuple_target = 128)")
        op.execute("ALTER TABLE kb_search ALTER COLUMN terms SET STORAGE EXTERNAL, "
                   "ALTER COLUMN search_vector SET STORAGE EXTERNAL")
        return
    op.execute("CREATE VIRTUAL TABLE kb_search_fts USING fts5(terms, content='kb_search', content_rowid='article_id', "
               "tokenize='unicode61 remove_diacritics 0')")
    op.execute("CREATE TRIGGER kb_search_fts_insert AFTER INSERT ON kb_search BEGIN "
               "INSERT INTO kb_search_fts(rowid, terms) VALUES (new.article_id, new.terms); END")
    op.execute("CREATE TRIGGER kb_search_fts_delete AFTER DELETE ON kb_search BEGIN "
               "INSERT INTO kb_search_fts(kb_search_fts, rowid, terms) VALUES ('delete', old.article_id, old.terms); END")
    op.execute("CREATE TRIGGER kb_search_fts_update AFTER UPDATE ON kb_search BEGIN "
               "INSERT INTO kb_search_fts(kb_search_fts, rowid, terms) VALUES ('delete', old.article_id, old.terms); "
               "INSERT INTO kb_search_fts(rowid, terms) VALUES (new.article_id, new.terms); END")


def _uses() -> None:
    op.create_table('kb_citations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('work_order_id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('cited_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['kb_articles.id'], name=op.f('fk_kb_citations_article_id_kb_articles')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_kb_citations_department_id_departments')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_kb_citations_user_id_users')),
    sa.ForeignKeyConstraint(['version_id'], ['kb_article_versions.id'], name=op.f('fk_kb_citations_version_id_kb_article_versions')),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], name=op.f('fk_kb_citations_work_order_id_work_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_citations')),
    sa.UniqueConstraint('work_order_id', 'version_id', name=op.f('uq_kb_citations_work_order_id_version_id'))
    )
    op.create_index(op.f('ix_kb_citations_article_id'), 'kb_citations', ['article_id'], unique=False)
    op.create_index('ix_kb_citations_cited_at', 'kb_citations', ['cited_at'], unique=False)
    op.create_index(op.f('ix_kb_citations_work_order_id'), 'kb_citations', ['work_order_id'], unique=False)
    op.create_table('kb_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('work_order_id', sa.Integer(), nullable=True),
    sa.Column('helped', sa.Boolean(), nullable=False),
    sa.Column('query', sa.Text(), nullable=True),
    _when(),
    sa.ForeignKeyConstraint(['article_id'], ['kb_articles.id'], name=op.f('fk_kb_feedback_article_id_kb_articles')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_kb_feedback_user_id_users')),
    sa.ForeignKeyConstraint(['version_id'], ['kb_article_versions.id'], name=op.f('fk_kb_feedback_version_id_kb_article_versions')),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], name=op.f('fk_kb_feedback_work_order_id_work_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_feedback'))
    )
    op.create_index(op.f('ix_kb_feedback_article_id'), 'kb_feedback', ['article_id'], unique=False)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == 'sqlite'
    op.drop_table('kb_feedback')
    op.drop_table('kb_citations')
    if sqlite:
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS kb_search_fts_{name}")
        op.execute("DROP TABLE IF EXISTS kb_search_fts")
    op.drop_table('kb_terms')
    op.drop_table('kb_search_text')
    op.drop_table('kb_search')
    if sqlite:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS kb_article_versions_no_{verb}")
    else:
        op.execute("DROP TRIGGER IF EXISTS kb_article_versions_append_only ON kb_article_versions")
        op.execute("DROP FUNCTION IF EXISTS kb_article_versions_refuse()")
        op.drop_constraint(op.f('fk_kb_articles_published_version_id_kb_article_versions'), 'kb_articles',
                           type_='foreignkey')
    op.drop_table('kb_article_versions')
    op.drop_table('kb_articles')
