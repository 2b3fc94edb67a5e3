"""Staff accounts: Argon2 hashes, sign-in lockout, password resets, and the `add-user` and
`set-password` commands."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from readiness import accounts
from readiness.accounts import AccountError
from readiness.cli import main
from readiness.storage import Store, TooManyAttempts
from readiness.storage import tables as t
from tests.fixtures.storage import Clock

PROJECT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"


pytestmark = pytest.mark.usefixtures("cheap_passwords")


def stored_rows(store: Store) -> list[tuple]:
    with store.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.select(t.users))]


def test_add_user_stores_an_argon2_hash_never_the_password(store: Store) -> None:
    user = store.add_user(" Lee@Example.ORG ", PASSWORD, "counselor", name=" Lee ")
    assert (user.email, user.name, user.role) == ("lee@example.org", "Lee", "counselor")
    [row] = stored_rows(store)
    assert not any(PASSWORD in str(value) for value in row)
    assert row[t.users.c.keys().index("password_hash")].startswith("$argon2id$")
    assert store.get_user(user.id) == user
    assert store.get_user(user.id + 100) is None


@pytest.mark.parametrize(
    ("email", "password", "role", "message"),
    [
        ("not-an-email", PASSWORD, "counselor", "is not an e-mail address"),
        ("a@example.org", "short", "counselor", "at least 10 characters"),
        ("a@example.org", PASSWORD, "admin", "role must be one of counselor, instructor"),
    ],
)
def test_invalid_accounts_are_refused(
    store: Store, email: str, password: str, role: str, message: str
) -> None:
    with pytest.raises(AccountError, match=message):
        store.add_user(email, password, role)
    assert stored_rows(store) == []


def test_an_email_has_one_account(store: Store) -> None:
    store.add_user("lee@example.org", PASSWORD, "counselor")
    with pytest.raises(AccountError, match="already an account"):
        store.add_user("LEE@example.org", "another password", "instructor")


def test_authenticate(store: Store) -> None:
    user = store.add_user("lee@example.org", PASSWORD, "instructor")
    assert store.authenticate("  LEE@example.org", PASSWORD) == user
    assert store.authenticate("lee@example.org", PASSWORD + "x") is None
    assert store.authenticate("nobody@example.org", PASSWORD) is None
    assert store.authenticate("lee@example.org", "x" * 5000) is None


def test_five_failures_lock_the_address_for_fifteen_minutes(store: Store, clock: Clock) -> None:
    user = store.add_user("lee@example.org", PASSWORD, "counselor")
    for _ in range(5):
        assert store.authenticate("lee@example.org", "wrong password", client="a") is None
        clock.advance(minutes=2)
    # Locked from the fifth failure (at +8 min) for 15 minutes, even with the right password
    # and from another client.
    with pytest.raises(TooManyAttempts) as refused:
        store.authenticate("lee@example.org", PASSWORD, client="b")
    assert refused.value.retry_after == 13 * 60
    clock.advance(minutes=12)
    with pytest.raises(TooManyAttempts):
        store.authenticate("lee@example.org", PASSWORD, client="b")
    clock.advance(minutes=1)
    assert store.authenticate("lee@example.org", PASSWORD, client="b") == user
    # Success clears the run of failures: one more failure does not lock again.
    assert store.authenticate("lee@example.org", "wrong password") is None
    assert store.authenticate("lee@example.org", PASSWORD) == user


def test_failures_outside_the_window_do_not_lock(store: Store, clock: Clock) -> None:
    user = store.add_user("lee@example.org", PASSWORD, "counselor")
    for _ in range(8):
        assert store.authenticate("lee@example.org", "wrong password") is None
        clock.advance(minutes=4)  # at most four within any fifteen minutes
    assert store.authenticate("lee@example.org", PASSWORD) == user


def test_unknown_addresses_are_locked_too_and_cost_the_same(store: Store) -> None:
    for _ in range(5):
        assert store.authenticate("ghost@example.org", "guess") is None
    with pytest.raises(TooManyAttempts):
        store.authenticate("ghost@example.org", "guess")


def test_unknown_and_known_addresses_take_similar_time(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if "sqlite" not in database_url:
        pytest.skip("timing once is enough")
    monkeypatch.setattr(accounts, "password_hasher", lambda: real)
    real = PasswordHasher(time_cost=2, memory_cost=16 * 1024, parallelism=1)
    accounts._dummy_hash.cache_clear()
    store = Store(database_url)
    try:
        store.add_user("lee@example.org", PASSWORD, "counselor")

        def timed(email: str) -> float:
            start = time.perf_counter()
            store.authenticate(email, "wrong password", client=email)
            return time.perf_counter() - start

        timed("warm@example.org")
        known = min(timed("lee@example.org") for _ in range(3))
        unknown = min(timed("ghost@example.org") for _ in range(3))
        assert unknown > 0.5 * known
    finally:
        store.dispose()


def test_many_failures_from_one_client_are_refused(store: Store) -> None:
    limit = Store.login_client_limit.failures
    for n in range(limit):
        assert store.authenticate(f"user{n}@example.org", "guess", client="10.1.1.1") is None
    with pytest.raises(TooManyAttempts):
        store.authenticate("other@example.org", "guess", client="10.1.1.1")


def test_set_password_replaces_the_old_one_and_lifts_the_lockout(store: Store) -> None:
    user = store.add_user("lee@example.org", PASSWORD, "counselor")
    for _ in range(Store.login_limit.failures):
        store.authenticate("lee@example.org", "wrong password")
    with pytest.raises(TooManyAttempts):
        store.authenticate("lee@example.org", PASSWORD)

    assert store.set_password(" LEE@example.org ", "a brand new passphrase") == user
    assert store.authenticate("lee@example.org", PASSWORD) is None
    assert store.authenticate("lee@example.org", "a brand new passphrase") == user


def test_set_password_refuses_unknown_accounts_and_short_passwords(store: Store) -> None:
    store.add_user("lee@example.org", PASSWORD, "counselor")
    before = stored_rows(store)
    with pytest.raises(AccountError, match="no account for ghost@example.org"):
        store.set_password("ghost@example.org", "a brand new passphrase")
    with pytest.raises(AccountError, match="at least 10 characters"):
        store.set_password("lee@example.org", "short")
    for weak in (" " * 12, "a" * 12, "abababababab", "  abcdabcdab  "):
        with pytest.raises(AccountError, match="at least 5 different characters"):
            store.set_password("lee@example.org", weak)
    with pytest.raises(AccountError, match="at least 5 different characters"):
        store.add_user("kim@example.org", " " * 10, "counselor")
    assert stored_rows(store) == before
    assert store.authenticate("lee@example.org", PASSWORD) is not None


# add-user -------------------------------------------------------------------------------------


def test_add_user_command_reads_the_password_from_stdin(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env = {**os.environ, "READINESS_DATABASE_URL": url}
    command = [sys.executable, "-m", "readiness", "add-user", "Lee@Example.org",
               "--role", "counselor", "--name", "Lee Park", "--password-stdin"]  # fmt: skip
    done = subprocess.run(command, input=PASSWORD + "\n", capture_output=True, text=True,
                          env=env, cwd=PROJECT, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Created counselor account lee@example.org")
    assert PASSWORD not in done.stdout + done.stderr
    store = Store(url)
    try:
        assert store.authenticate("lee@example.org", PASSWORD).name == "Lee Park"
    finally:
        store.dispose()
    again = subprocess.run(command, input=PASSWORD + "\n", capture_output=True, text=True,
                           env=env, cwd=PROJECT, timeout=60)  # fmt: skip
    assert again.returncode == 1 and "already an account" in again.stderr


def test_add_user_asks_twice_without_echo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("READINESS_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    answers = iter([PASSWORD, PASSWORD + " typo"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["add-user", "a@example.org", "--role", "instructor"]) == 1
    assert "the two passwords differ" in capsys.readouterr().err

    answers = iter([PASSWORD, PASSWORD])
    assert main(["add-user", "a@example.org", "--role", "instructor"]) == 0
    assert "Created instructor account a@example.org" in capsys.readouterr().out

    assert main(["add-user", "b@example.org", "--role", "boss"]) == 2
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("short\n"))
    assert main(["add-user", "c@example.org", "--role", "counselor", "--password-stdin"]) == 1
    assert "at least 10 characters" in capsys.readouterr().err


def test_set_password_command(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env = {**os.environ, "READINESS_DATABASE_URL": url}
    store = Store(url)
    store.add_user("lee@example.org", PASSWORD, "counselor")

    def set_password(email: str, password: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "readiness", "set-password", email, "--password-stdin"]
        return subprocess.run(command, input=password + "\n", capture_output=True, text=True,
                              env=env, cwd=PROJECT, timeout=60)  # fmt: skip

    try:
        done = set_password("Lee@Example.org", "a brand new passphrase")
        assert done.returncode == 0, done.stderr
        assert done.stdout == "New password set for counselor account lee@example.org.\n"
        assert "passphrase" not in done.stdout + done.stderr
        assert store.authenticate("lee@example.org", "a brand new passphrase") is not None

        unknown = set_password("ghost@example.org", "a brand new passphrase")
        assert unknown.returncode == 1
        assert unknown.stderr == "error: there is no account for ghost@example.org\n"
    finally:
        store.dispose()
