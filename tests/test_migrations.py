"""schema.sql: numbered sections applied forward, each atomically, from every earlier version."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from notes.resources import schema_path
from notes.store import Migration, Store, latest_version, load_migrations, parse_schema


def test_schema_parses_into_ordered_sections() -> None:
    migrations = load_migrations()
    assert [m.version for m in migrations] == list(range(1, len(migrations) + 1))
    assert all(m.statements for m in migrations)
    # Triggers keep their inner semicolons: each statement is complete on its own.
    assert any("CREATE TRIGGER" in s and "END" in s for s in migrations[0].statements)


@pytest.mark.parametrize("start", range(1, latest_version() + 1))
def test_migrates_forward_from_every_version(tmp_path: Path, start: int) -> None:
    key = os.urandom(32)
    path = tmp_path / "old.db"
    with Store.create(path, key, version=start) as old:
        assert old.schema_version == start
    with Store.open(path, key) as upgraded:
        assert upgraded.schema_version == latest_version()
        fresh_tables = _tables(upgraded)
    with Store.create(tmp_path / "fresh.db", key) as fresh:
        assert _tables(fresh) == fresh_tables


def _tables(store: Store) -> list[tuple[str, str]]:
    return [
        (r["type"], r["name"])
        for r in store.query("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
    ]


def test_a_failing_migration_changes_nothing(store: Store) -> None:
    version = store.schema_version
    broken = [
        *load_migrations(),
        Migration(version + 1, "broken", ("CREATE TABLE new_table (x)", "INSERT INTO no_such_table VALUES (1)")),
    ]
    with pytest.raises(Exception, match="no_such_table"):
        store.migrate(migrations=broken)
    assert store.schema_version == version
    assert store.scalar("SELECT 1 FROM sqlite_master WHERE name = 'new_table'") is None


def test_schema_file_rejects_gaps() -> None:
    with pytest.raises(ValueError, match="in order"):
        parse_schema("-- version 1: a\nCREATE TABLE a (x);\n-- version 3: c\nCREATE TABLE c (x);\n")
    assert schema_path().name == "schema.sql"
