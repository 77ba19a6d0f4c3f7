"""people search: an accent- and case-folded word index over names, email and employee number

SQLite: an FTS5 table over ``users`` (external content, ``unicode61 remove_diacritics 2``), kept
in step by triggers, so every write of a person (services, import, bulk loads) updates it.
PostgreSQL: a full-text GIN index (the ``simple`` configuration: no stemming) on the ``unaccent``-folded
text, searched with prefix queries (``zoe:* & bron:*``), which answer short words from the index too.

Revision ID: 0010
Revises: 0011
Create Date: 2026-12-02 01:05:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0011'
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
    "CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public",
    "CREATE FUNCTION waymark_fold(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
    # words only: an email splits into its parts, as SQLite's tokenizer splits it
    "AS $$ SELECT regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary, $1)), "
    "'[^[:alnum:]]+', ' ', 'g') $$",
    "CREATE INDEX ix_users_search ON users USING gin (to_tsvector('simple', "
    "waymark_fold(first_name || ' ' || last_name || ' ' || email || ' ' || employee_number)))",
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
