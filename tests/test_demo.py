"""`python -m readiness demo`: a realistic, reproducible cohort, and idempotent per seed."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from readiness.cohort import cohort_summary, cohort_table
from readiness.content import load_content
from readiness.demo import DEMO_COUNSELOR, DEMO_INSTRUCTOR, DemoRefused, fill_demo
from readiness.storage import Store
from tests.fixtures.cli import run_cli as run_readiness

PROJECT = Path(__file__).resolve().parent.parent
ROLE = "physician-liaison"


def run_cli(database_url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return run_readiness(*args, env={"READINESS_DATABASE_URL": database_url}, stdin=stdin)


def test_demo_command_fills_the_database_once_per_seed(database_url: str) -> None:
    first = run_cli(database_url, "demo", "--candidates", "20", "--seed", "5")
    assert first.returncode == 0, first.stderr
    assert "Created: demo cohort" in first.stdout
    assert "20 candidates" in first.stdout
    for email, password in (DEMO_COUNSELOR[:2], DEMO_INSTRUCTOR[:2]):
        assert email in first.stdout and password in first.stdout

    store = Store(database_url)
    try:
        counts = store.counts()
        assert counts["users"] == 2 and counts["candidates"] == 20 and counts["cohorts"] == 1
        counselor = store.authenticate(*DEMO_COUNSELOR[:2])
        assert counselor is not None and counselor.role == "counselor"
        assert store.authenticate(*DEMO_INSTRUCTOR[:2]).role == "instructor"

        [group] = store.cohorts_of(counselor.id)
        rows = store.cohort_answer_sets(counselor.id, group.id)
        members = store.cohort_members(counselor.id, group.id)
        content = load_content()
        table = cohort_table(content, ROLE, rows, members)
        summary = cohort_summary(content, ROLE, rows, members)
        assert len(table) == 20
        # Plausible: a spread of bands, some must-haves missing, some re-assessed with change.
        assert table["Band"].nunique() >= 3
        assert (table["Must-haves not met"] != "").sum() >= 3
        assert 3 <= len(summary.candidate_changes) <= 10
        assert (summary.candidate_changes["change"] > 0).any()
        assert counts["notes"] >= 1
        assert store.shares_of(members[0].candidate_id)[0].cohort_id == group.id
    finally:
        store.dispose()

    again = run_cli(database_url, "demo", "--candidates", "20", "--seed", "5")
    assert again.returncode == 0, again.stderr
    assert "Already present" in again.stdout
    store = Store(database_url)
    try:
        assert store.counts() == counts
    finally:
        store.dispose()


def test_the_same_seed_gives_the_same_cohort(tmp_path: Path) -> None:
    content = load_content()

    def cohort_answers(name: str) -> list:
        store = Store(f"sqlite:///{tmp_path / name}")
        try:
            fill_demo(store, content, candidates=8, seed=9)
            counselor = store.user_by_email(DEMO_COUNSELOR[0])
            [group] = store.cohorts_of(counselor.id)
            return [
                (row.alias, row.answer_map, row.finished_at)
                for row in store.cohort_answer_sets(counselor.id, group.id)
            ]
        finally:
            store.dispose()

    first = cohort_answers("a.sqlite3")
    assert [a[:2] for a in first] == [a[:2] for a in cohort_answers("b.sqlite3")]


def test_demo_refuses_a_database_with_real_accounts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'real.sqlite3'}"
    store = Store(url)
    try:
        store.add_user("real@example.org", "a real, private password", "counselor")
        with pytest.raises(DemoRefused):
            fill_demo(store, load_content(), candidates=3, seed=1)
    finally:
        store.dispose()
    refused = run_cli(url, "demo", "--candidates", "3")
    assert refused.returncode == 1 and "real account" in refused.stderr
    assert run_cli(url, "demo", "--candidates", "0").returncode == 2


def test_operator_commands_and_options_are_documented() -> None:
    import argparse

    from readiness.cli import build_parser

    guide = (PROJECT / "docs" / "deploy.md").read_text(encoding="utf-8")
    [commands] = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    for name in ("add-user", "demo", "migrate"):
        assert f"python -m readiness {name}" in guide, name
        for action in commands.choices[name]._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert option in guide, f"{name} {option} is not in docs/deploy.md"
    assert "READINESS_DATABASE_URL" in guide
