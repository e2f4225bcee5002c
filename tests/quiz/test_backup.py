"""Backups that restore (issue 12, item 6): a database with attempts, answers and an edited
fact is backed up with ``manage.py backup``, restored with ``manage.py restore`` into a fresh
database, and every row of every table is found there. Runs on the database the suite runs
on (SQLite, or PostgreSQL with DATABASE_URL): pg_dump/pg_restore there."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from quiz.backup import Target
from quiz.models import Answer, Attempt
from tests.factories import FactFactory, UserFactory, play_drill, start_attempt

pytestmark = pytest.mark.django_db(transaction=True)  # committed rows: pg_dump is a client


def _rows(target: Target) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order, read with the driver alone."""
    if target.vendor == "sqlite":
        db = sqlite3.connect(target.name)
        try:
            tables = [
                name
                for (name,) in db.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            return {t: sorted(map(repr, db.execute(f'SELECT * FROM "{t}"'))) for t in tables}
        finally:
            db.close()
    import psycopg

    with psycopg.connect(
        dbname=target.name,
        user=target.user or None,
        password=target.password or None,
        host=target.host or None,
        port=target.port or None,
    ) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            )
        ]
        return {t: sorted(map(repr, db.execute(f'SELECT * FROM "{t}"'))) for t in tables}


@pytest.fixture
def activity(clock):
    """Two students' finished drills (answers right, wrong and timed out) and a fact an
    editor changed after loading (a history row beside it)."""
    from django.utils import timezone

    for picks in ([True, False, None], [True, True, True]):
        play_drill(start_attempt(UserFactory(), timezone.now(), n=3), picks, clock)
    fact = FactFactory()
    fact.values = {**fact.values, "full_name": "Edited after loading"}
    fact.save()
    return fact


@pytest.fixture
def fresh(tmp_path):
    """An empty database of the suite's vendor to restore into; dropped afterwards."""
    source = Target.from_settings(connection.settings_dict)
    if source.vendor == "sqlite":
        yield Target("sqlite", str(tmp_path / "fresh.sqlite3"))
        return
    name = f"{source.name}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield Target("postgresql", name, source.user, source.password, source.host, source.port)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _url(target: Target) -> str:
    if target.vendor == "sqlite":
        return f"sqlite:///{target.name}"
    auth = target.user + (f":{target.password}" if target.password else "")
    return f"postgres://{auth}@{target.host or 'localhost'}:{target.port or 5432}/{target.name}"


def test_a_backup_restores_every_row_into_a_fresh_database(activity, fresh, tmp_path, capsys):
    source = Target.from_settings(connection.settings_dict)
    call_command("backup", "--dir", str(tmp_path / "backups"))
    (backup,) = (tmp_path / "backups").iterdir()
    assert "backed up" in capsys.readouterr().out

    call_command("restore", str(backup), "--database-url", _url(fresh), "--noinput")

    before, after = _rows(source), _rows(fresh)
    assert set(after) == set(before)
    for table, rows in before.items():
        assert after[table] == rows, table
    # And what the test set out to keep is really there (not two empty databases).
    assert len(after["quiz_attempt"]) == Attempt.objects.count() == 2
    assert len(after["quiz_answer"]) == Answer.objects.count() == 6
    edited = [row for row in after["content_fact"] if "Edited after loading" in row]
    assert len(edited) == 1
    assert any(activity.slug in row for row in after["content_historicalfact"])


def test_restoring_a_missing_or_foreign_file_is_a_clear_error(fresh, tmp_path):
    with pytest.raises(CommandError, match="no backup file"):
        call_command(
            "restore", str(tmp_path / "nope.dump"), "--database-url", _url(fresh), "--noinput"
        )
    other = "quiz-x.sqlite3" if fresh.vendor == "postgresql" else "quiz-x.dump"
    (tmp_path / other).write_bytes(b"not a backup")
    with pytest.raises(CommandError, match="is not a"):
        call_command("restore", str(tmp_path / other), "--database-url", _url(fresh), "--noinput")


def test_old_backups_beyond_the_kept_number_are_removed(tmp_path, clock):
    for _ in range(3):
        call_command("backup", "--dir", str(tmp_path), "--keep", "2")
        clock.shift(60)
    assert len(list(Path(tmp_path).iterdir())) == 2
