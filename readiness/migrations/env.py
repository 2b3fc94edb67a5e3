"""Alembic environment: runs on the connection Store.migrate() hands over, or on the URL."""

from __future__ import annotations

from alembic import context

from readiness.storage.tables import metadata

config = context.config


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        # Store.migrate() holds the migration lock in this connection's transaction.
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return

    from readiness.storage.engine import create_engine, database_url

    engine = create_engine(config.get_main_option("sqlalchemy.url") or database_url())
    try:
        with engine.connect() as connection:
            context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run them on a database")
run_migrations_online()
