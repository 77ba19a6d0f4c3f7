"""people search: an accent- and case-folded word index over names, email and employee number

SQLite: an FTS5 table over ``users`` (external content, ``unicode61 remove_diacritics 2``), kept
in step by triggers, so every write of a person (services, import, bulk loads) updates it.
PostgreSQL: a trigram GIN index on the folded text (``pg_trgm`` and ``unaccent``, both trusted
extensions), which a word-start regular expression per search word uses.

Revision ID: 0010
Revises: 0004
Create Date: 2026-12-02 01:05:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0004'
branch_labels = None
depends_on = None

COLUMNS = "first_name, last_name, email, employee_number"
OLD = "old.first_name, old.last_name, old.email, old.employee_number"
NEW = "new.first_name, new.last_name, new.email, new.employee_number"

SQLITE = [
    f"CREATE VIRTUAL TABLE people_search USING fts5({COLUMNS}, content='users', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "INSERT INTO people_search(people_search) VALUES ('rebuild')",
    f"CREATE TRIGGER people_search_insert AFTER INSERT ON users BEGIN "
    f"INSERT INTO people_search(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END",
    f"CREATE TRIGGER people_search_delete AFTER DELETE ON users BEGIN "
    f"INSERT INTO people_search(people_search, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD}); END",
    f"CREATE TRIGGER people_search_update AFTER UPDATE OF {COLUMNS} ON users BEGIN "
    f"INSERT INTO people_search(people_search, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD}); "
    f"INSERT INTO people_search(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END",
]
POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public",
    "CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public",
    "CREATE FUNCTION waymark_fold(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
    "AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$",
    "CREATE INDEX ix_users_search ON users USING gin "
    "(waymark_fold(first_name || ' ' || last_name || ' ' || email || ' ' || employee_number) public.gin_trgm_ops)",
]


def upgrade():
    for statement in SQLITE if op.get_context().dialect.name == "sqlite" else POSTGRESQL:
        op.execute(statement)


def downgrade():
    if op.get_context().dialect.name == "sqlite":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER people_search_{name}")
        op.execute("DROP TABLE people_search")
    else:
        op.execute("DROP INDEX ix_users_search")
        op.execute("DROP FUNCTION waymark_fold(text)")
