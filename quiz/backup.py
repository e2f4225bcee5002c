"""Backups that restore (issue 12, item 6): a consistent copy of the whole database, students'
attempts and editors' content alike, and its restore into an empty (or replaced) database.

- PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot while the app runs) and
  ``pg_restore --clean --if-exists --single-transaction --no-owner`` (all or nothing).
- SQLite: the online backup API (``sqlite3.Connection.backup``), consistent while the app
  writes, and the same API to copy a backup over the database file.

``manage.py backup`` / ``manage.py restore FILE`` (``make backup`` / ``make restore FILE=…``)
call these; README "Backups" says how often and where."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import dj_database_url

SUFFIX = {"postgresql": ".dump", "sqlite": ".sqlite3"}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


@dataclass(frozen=True)
class Target:
    """A database, from a DATABASES entry or a DATABASE_URL."""

    vendor: str  # "postgresql" or "sqlite"
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_settings(cls, entry: dict) -> Target:
        engine = entry["ENGINE"]
        if engine.endswith("sqlite3"):
            return cls("sqlite", str(entry["NAME"]))
        if engine.endswith("postgresql"):
            return cls(
                "postgresql",
                entry["NAME"],
                entry.get("USER") or "",
                entry.get("PASSWORD") or "",
                entry.get("HOST") or "",
                str(entry.get("PORT") or ""),
            )
        raise BackupError(f"no backup for the {engine} engine")

    @classmethod
    def from_url(cls, url: str) -> Target:
        return cls.from_settings(dj_database_url.parse(url))

    def pg_args(self) -> list[str]:
        args = ["--dbname", self.name]
        for flag, value in (
            ("--host", self.host),
            ("--port", self.port),
            ("--username", self.user),
        ):
            if value:
                args += [flag, value]
        return args

    def pg_env(self) -> dict:
        return {**os.environ, "PGPASSWORD": self.password} if self.password else dict(os.environ)


def _tool(name: str) -> str:
    found = shutil.which(name) or next(
        (
            p
            for p in (f"/usr/bin/{name}", f"/usr/lib/postgresql/bin/{name}")
            if os.access(p, os.X_OK)
        ),
        None,
    )
    if found is None:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client)")
    return found


def backup(target: Target, directory: Path, now: datetime) -> Path:
    """Write a consistent backup of ``target`` into ``directory``; returns the file."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"quiz-{target.vendor}-{now:%Y%m%d-%H%M%S}{SUFFIX[target.vendor]}"
    partial = path.with_name(path.name + ".partial")  # never a half-written file by its name
    if target.vendor == "postgresql":
        done = subprocess.run(
            [_tool("pg_dump"), "--format=custom", "--file", str(partial), *target.pg_args()],
            env=target.pg_env(),
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            partial.unlink(missing_ok=True)
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    else:
        if not Path(target.name).exists():
            raise BackupError(f"no SQLite database at {target.name}")
        source = sqlite3.connect(target.name)
        copy = sqlite3.connect(partial)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
    partial.rename(path)
    return path


def restore(path: Path, target: Target) -> None:
    """Replace ``target``'s contents with the backup at ``path`` (all or nothing)."""
    if not path.is_file():
        raise BackupError(f"no backup file at {path}")
    vendor = next((v for v, suffix in SUFFIX.items() if path.name.endswith(suffix)), None)
    if vendor != target.vendor:
        raise BackupError(
            f"{path.name} is not a {target.vendor} backup (expected a {SUFFIX[target.vendor]} file)"
        )
    if target.vendor == "postgresql":
        done = subprocess.run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                *target.pg_args(),
                str(path),
            ],
            env=target.pg_env(),
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
        return
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as exc:
        source.close()
        raise BackupError(f"{path.name} is not a readable SQLite database: {exc}") from None
    Path(target.name).parent.mkdir(parents=True, exist_ok=True)
    copy = sqlite3.connect(target.name)
    try:
        with copy:
            source.backup(copy)
    finally:
        copy.close()
        source.close()


def prune(directory: Path, vendor: str, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups of ``vendor`` in ``directory``."""
    files = sorted(directory.glob(f"quiz-{vendor}-*{SUFFIX[vendor]}"))
    old = files[:-keep] if keep > 0 else []
    for path in old:
        path.unlink()
    return old
