"""The database's own full-text index on `search_searchdocument`, created idempotently.

* SQLite: an FTS5 external-content table (`porter unicode61 remove_diacritics 2`: Porter
  stemming, Unicode word split, accents folded) kept in step by three triggers, and an
  `fts5vocab` table that gives each term's document frequency.
* PostgreSQL: a stored generated `tsvector` column (title weight A, body weight B, the
  `english` configuration with accents folded by `unaccent` when the extension can be
  created, plain `english` otherwise) with a GIN index.

`ensure()` runs from a `post_migrate` handler (see `apps.py`), so it runs after every
`learnloop migrate` (fresh installs and upgrades) and when the test database is created
(tests run without migrations). Every statement is "if not exists", so running it again
is harmless; when SQLite's full-text table is created over documents that already exist,
it is filled from them.
"""

# SQL here is built from module constants (table names) only; every value is a bound
# parameter, and query words are quoted by the builders below.
# ruff: noqa: S608

from __future__ import annotations

from typing import Any

TABLE = "search_searchdocument"
FTS = "search_searchdocument_fts"
VOCAB = "search_searchdocument_fts_vocab"
PG_INDEX = "search_doc_tsv"
TOKENIZER = "porter unicode61 remove_diacritics 2"

SQLITE_DDL = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(
        title, body, content='{TABLE}', content_rowid='id', tokenize='{TOKENIZER}')""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_fts_ai AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {FTS}(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_fts_ad AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    # Only when the text changed: a visibility change or a reindex of unchanged text
    # leaves the full-text index alone.
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_fts_au AFTER UPDATE ON {TABLE}
    WHEN old.title IS NOT new.title OR old.body IS NOT new.body OR old.id IS NOT new.id
    BEGIN
        INSERT INTO {FTS}({FTS}, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO {FTS}(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCAB} USING fts5vocab({FTS}, 'row')",
]

PG_CONFIG = "ll_english"  # english with accents folded (unaccent), when it can be made


def _pg_ddl(config: str) -> list[str]:
    return [
        f"""ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS tsv tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('{config}'::regconfig, coalesce(title, '')), 'A') ||
            setweight(to_tsvector('{config}'::regconfig, coalesce(body, '')), 'B')) STORED""",
        f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {TABLE} USING GIN (tsv)",
    ]


def _pg_make_config(connection: Any) -> str:
    """`ll_english`: the english configuration with accents folded first, as SQLite's
    tokenizer and Tantivy fold them. Needs the `unaccent` extension (trusted: a database
    owner may create it); without it, plain `english`."""
    from django.db import DatabaseError, transaction

    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
            cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [PG_CONFIG])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {PG_CONFIG} (COPY = english)")
                cursor.execute(
                    f"ALTER TEXT SEARCH CONFIGURATION {PG_CONFIG} ALTER MAPPING FOR "
                    "hword, hword_part, word WITH unaccent, english_stem"
                )
    except DatabaseError:
        return "english"
    return PG_CONFIG


_pg_configs: dict[str, str] = {}


def pg_config(connection: Any) -> str:
    """The text search configuration the tsv column was made with (queries, headlines and
    long-text analysis must use the same one)."""
    found = _pg_configs.get(connection.alias)
    if found is None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d"
                " JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum"
                " WHERE d.adrelid = to_regclass(%s) AND a.attname = 'tsv'",
                [TABLE],
            )
            row = cursor.fetchone()
        found = PG_CONFIG if row and PG_CONFIG in (row[0] or "") else "english"
        _pg_configs[connection.alias] = found
    return found


def _exists(connection: Any, name: str) -> bool:
    with connection.cursor() as cursor:
        return name in connection.introspection.table_names(cursor)


def ensure(connection: Any) -> list[str]:
    """Create what is missing; return what was created (empty when all was there)."""
    if not _exists(connection, TABLE):
        return []
    created: list[str] = []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE name IN (%s, %s, %s, %s, %s)",
                [FTS, VOCAB, f"{TABLE}_fts_ai", f"{TABLE}_fts_ad", f"{TABLE}_fts_au"],
            )
            before = {row[0] for row in cursor.fetchall()}
            for statement in SQLITE_DDL:
                cursor.execute(statement)
            if FTS not in before:
                # Documents written before the table existed (an upgrade): index them.
                cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")
                created.append(FTS)
            created += [
                n
                for n in (VOCAB, f"{TABLE}_fts_ai", f"{TABLE}_fts_ad", f"{TABLE}_fts_au")
                if n not in before
            ]
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()"
                " AND table_name = %s AND column_name = 'tsv'",
                [TABLE],
            )
            has_column = cursor.fetchone() is not None
            cursor.execute("SELECT to_regclass(%s)", [PG_INDEX])
            row = cursor.fetchone()
            has_index = row is not None and row[0] is not None
        # The column's configuration is fixed when it is made (queries read it back).
        config = "english" if has_column else _pg_make_config(connection)
        with connection.cursor() as cursor:
            for statement in _pg_ddl(config):
                cursor.execute(statement)
        _pg_configs.pop(connection.alias, None)
        created += [name for name, had in (("tsv", has_column), (PG_INDEX, has_index)) if not had]
    return created


def is_ready(connection: Any) -> bool:
    """Whether the full-text index exists (for `learnloop search status`)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE name IN (%s, %s)", [FTS, VOCAB]
            )
            return bool(cursor.fetchone()[0] == 2)
        if connection.vendor == "postgresql":
            cursor.execute("SELECT to_regclass(%s)", [PG_INDEX])
            row = cursor.fetchone()
            return row is not None and row[0] is not None
    return False


def on_post_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    from django.db import connections

    ensure(connections[using])
