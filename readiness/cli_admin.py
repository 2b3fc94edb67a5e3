"""Commands for operators: `add-user`, `set-password`, `demo` and `migrate` (registered into
readiness.cli)."""

from __future__ import annotations

import argparse
import getpass
import sys

from readiness.accounts import ROLES, AccountError
from readiness.cli_common import EXIT_OK, EXIT_PROBLEM, UsageError


def register(commands: argparse._SubParsersAction) -> None:
    add_user = commands.add_parser(
        "add-user",
        help="create a staff account (asks for the password twice, without echoing it)",
        description="Create a counselor or instructor account in the configured database "
        "($READINESS_DATABASE_URL, or var/readiness.db).",
    )
    add_user.add_argument("email", metavar="EMAIL", help="the e-mail address to sign in with")
    add_user.add_argument("--role", required=True, choices=ROLES, help="what the account may do")
    add_user.add_argument("--name", help="the name shown to colleagues and candidates")
    _password_stdin_option(add_user)
    add_user.set_defaults(run=run_add_user)

    set_password = commands.add_parser(
        "set-password",
        help="give a staff account a new password and lift its sign-in lockout",
        description="Reset the password of an existing counselor or instructor account in the "
        "configured database (asks for it twice, without echoing it).",
    )
    set_password.add_argument("email", metavar="EMAIL", help="the account's e-mail address")
    _password_stdin_option(set_password)
    set_password.set_defaults(run=run_set_password)

    demo = commands.add_parser(
        "demo",
        help="fill the configured database with a reproducible demo cohort and demo accounts",
        description="Create a demo counselor and instructor (with passwords printed here) and a "
        "cohort of fictional candidates. Running it again with the same seed adds nothing.",
    )
    demo.add_argument("--candidates", type=int, default=40, metavar="N", help="default: 40")
    demo.add_argument("--seed", type=int, default=1, metavar="S", help="default: 1")
    demo.add_argument(
        "--force",
        action="store_true",
        help="also when the database has real accounts (the demo passwords are public)",
    )
    demo.set_defaults(run=run_demo)

    migrate = commands.add_parser(
        "migrate", help="bring the database schema up to date (the app also does this on start)"
    )
    migrate.set_defaults(run=run_migrate)


def _password_stdin_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (for automation)",
    )


def _store():
    from readiness.storage import Store

    return Store()


def _read_password(args: argparse.Namespace, nothing_done: str) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        if not line:
            raise UsageError("--password-stdin: standard input is empty")
        return line.rstrip("\r\n")
    password = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != password:
        raise AccountError(f"the two passwords differ; {nothing_done}")
    return password


def run_add_user(args: argparse.Namespace) -> int:
    try:
        password = _read_password(args, "nothing was created")
        store = _store()
        try:
            user = store.add_user(args.email, password, args.role, args.name)
        finally:
            store.dispose()
    except AccountError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_PROBLEM
    print(f"Created {user.role} account {user.email} (id {user.id}).")
    return EXIT_OK


def run_set_password(args: argparse.Namespace) -> int:
    try:
        password = _read_password(args, "nothing was changed")
        store = _store()
        try:
            user = store.set_password(args.email, password)
        finally:
            store.dispose()
    except AccountError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_PROBLEM
    print(f"New password set for {user.role} account {user.email}.")
    return EXIT_OK


def run_demo(args: argparse.Namespace) -> int:
    from readiness.content import load_content
    from readiness.demo import DemoRefused, fill_demo

    if args.candidates < 1:
        raise UsageError("--candidates must be at least 1")
    content = load_content()
    if not content.roles:
        print("error: the content has no usable role profile (run validate)", file=sys.stderr)
        return EXIT_PROBLEM
    store = _store()
    try:
        summary = fill_demo(
            store, content, candidates=args.candidates, seed=args.seed, force=args.force
        )
    except DemoRefused as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_PROBLEM
    finally:
        store.dispose()
    for line in summary.lines():
        print(line)
    return EXIT_OK


def run_migrate(args: argparse.Namespace) -> int:
    from readiness.storage.engine import current_revision

    store = _store()
    try:
        print(f"Database schema at revision {current_revision(store.engine)}.")
    finally:
        store.dispose()
    return EXIT_OK
