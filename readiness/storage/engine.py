"""Where the database is, how to connect to it, and bringing its schema up to date."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.pool import StaticPool

from readiness.content import PROJECT_ROOT

DATABASE_URL_VARIABLE = "READINESS_DATABASE_URL"
DEFAULT_DATABASE = PROJECT_ROOT / "var" / "readiness.db"
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
# pg_advisory_xact_lock key: app instances that start together migrate one after the other.
MIGRATION_LOCK_KEY = 0x52454144494E45  # "READINE"
WRITE = {"readiness_write": True}


def database_url() -> str:
    """`READINESS_DATABASE_URL` if set, else an SQLite file in the project's `var/` folder."""
    configured = os.environ.get(DATABASE_URL_VARIABLE, "").strip()
    if configured:
        return configured
    DEFAULT_DATABASE.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_DATABASE}"


def create_engine(url: str) -> sa.Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys, a busy timeout and full sync."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(parsed, pool_pre_ping=True)

    database = parsed.database or ""
    in_memory = database in ("", ":memory:") or database.startswith("file::memory:")
    if not in_memory:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    options: dict = {"connect_args": {"check_same_thread": False, "timeout": 30}}
    if in_memory:
        options["poolclass"] = StaticPool  # one shared connection, or each sees its own database
    engine = sa.create_engine(parsed, **options)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record) -> None:
        # The driver must not open transactions by itself: `_begin` below does it, so that a
        # write transaction takes SQLite's write lock at BEGIN and waits for it there.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        _use_wal(cursor)
        cursor.execute("PRAGMA foreign_keys=ON")
        # FULL: a committed answer survives a crash of the machine, not only of the process.
        cursor.execute("PRAGMA synchronous=FULL")
        # Deleted rows are overwritten, not left in free pages: "delete my data" means gone
        # from the file too (with the checkpoint after a deletion, see Store.delete_candidate).
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: sa.Connection) -> None:
        # A deferred transaction that reads and then writes can fail at once with
        # SQLITE_BUSY when another writer got in between; IMMEDIATE waits its turn instead.
        write = connection.get_execution_options().get("readiness_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _use_wal(cursor) -> None:
    """Switch the file to write-ahead logging (it stays so for every later connection).

    The switch needs the file to itself for a moment and SQLite does not wait for that (the
    busy timeout does not apply), so processes opening a new database together would fail;
    each retries instead, for as long as a writer waits for the write lock.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(engine: sa.Engine) -> None:
    """Bring the schema to the newest revision; safe when several processes start at once."""
    config = alembic_config()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite changes a table by rebuilding it, and dropping the old table would delete
            # every row that refers to it (ON DELETE CASCADE) unless foreign keys are off. The
            # switch only works outside a transaction, so on the driver's connection.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.execution_options(**WRITE).begin():
                if connection.dialect.name == "postgresql":
                    # Released at commit; a second instance waits, then finds the schema at head.
                    connection.execute(
                        sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
                    )
                # On SQLite, BEGIN IMMEDIATE has already made this the only writer.
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(f"a migration broke references: {broken[:5]}")
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


def current_revision(engine: sa.Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()
