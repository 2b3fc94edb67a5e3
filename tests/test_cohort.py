"""Cohorts: staff see only their own cohorts and candidates; the table, the summary and the
CSV export agree with the one scoring definition."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pandas as pd
import pytest

from readiness import cohort, resume_codes
from readiness.cohort import (
    cohort_csv,
    cohort_summary,
    cohort_table,
    gap_column,
    neutralise_cell,
)
from readiness.content import load_content
from readiness.demo import generate_answers
from readiness.scoring import score_one
from readiness.storage import NotAllowed, Store

ROLE = "physician-liaison"
PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def content():
    loaded = load_content()
    assert loaded.ok, loaded.issues
    return loaded


pytestmark = pytest.mark.usefixtures("cheap_passwords")


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    store = Store(database_url)
    yield store
    store.dispose()


def answer_maps(content, count: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    return [generate_answers(content, ROLE, rng.uniform(0, 0.9), rng) for _ in range(count)]


def versions(content, answer_map: dict) -> dict:
    return {
        q: {"version": content.questionnaires[q].version, "answers": given}
        for q, given in answer_map.items()
    }


# Ownership ------------------------------------------------------------------------------------


def test_a_counselor_sees_nothing_of_another_counselors_cohort(store: Store, content) -> None:
    alice = store.add_user("alice@example.org", PASSWORD, "counselor")
    bob = store.add_user("bob@example.org", PASSWORD, "counselor")
    alices = store.create_cohort(alice.id, "Alice's group")
    bobs = store.create_cohort(bob.id, "Bob's group")
    shared = store.start_candidate(ROLE)
    store.save_answers(shared.attempt_id, versions(content, answer_maps(content, 1)[0]))
    store.share(shared.candidate_id, alices.code, "Sam")
    note = store.add_note(alice.id, shared.candidate_id, "Private to Alice")

    # Alice sees her cohort, its member, their answers and her note.
    assert store.cohort(alice.id, alices.id) == alices
    assert [m.candidate_id for m in store.cohort_members(alice.id, alices.id)] == [
        shared.candidate_id
    ]
    assert len(store.cohort_answer_sets(alice.id, alices.id)) == 1
    assert store.candidate_for_staff(alice.id, shared.candidate_id) is not None
    assert store.notes(alice.id, shared.candidate_id) == [note]

    # Bob, guessing ids, gets nothing, and cannot write about the candidate.
    assert store.cohorts_of(bob.id) == [bobs]
    assert store.cohort(bob.id, alices.id) is None
    assert store.cohort_members(bob.id, alices.id) == []
    assert store.cohort_answer_sets(bob.id, alices.id) == []
    assert store.candidate_for_staff(bob.id, shared.candidate_id) is None
    assert store.notes(bob.id, shared.candidate_id) == []
    with pytest.raises(NotAllowed):
        store.add_note(bob.id, shared.candidate_id, "Sneaky")

    # Sharing with Bob too shows Bob the candidate, but still not Alice's note.
    store.share(shared.candidate_id, bobs.code, "Sam R.")
    view = store.candidate_for_staff(bob.id, shared.candidate_id)
    assert view is not None and [c.cohort_id for c in view.cohorts] == [bobs.id]
    assert view.alias == "Sam R."
    assert store.notes(bob.id, shared.candidate_id) == []
    assert store.cohort_members(bob.id, alices.id) == []


def test_unsharing_hides_the_candidate_and_the_notes(store: Store) -> None:
    alice = store.add_user("alice@example.org", PASSWORD, "counselor")
    group = store.create_cohort(alice.id, "Group")
    session = store.start_candidate(ROLE)
    store.share(session.candidate_id, group.code, "Sam")
    store.add_note(alice.id, session.candidate_id, "Seen once")
    store.unshare(session.candidate_id, group.id)
    assert store.candidate_for_staff(alice.id, session.candidate_id) is None
    assert store.notes(alice.id, session.candidate_id) == []
    with pytest.raises(NotAllowed):
        store.add_note(alice.id, session.candidate_id, "Not any more")


def test_a_withdrawn_share_takes_its_notes_with_it_unless_another_cohort_keeps_it(
    store: Store,
) -> None:
    alice = store.add_user("alice@example.org", PASSWORD, "counselor")
    bob = store.add_user("bob@example.org", PASSWORD, "counselor")
    morning, evening = (store.create_cohort(alice.id, name) for name in ("Morning", "Evening"))
    bobs = store.create_cohort(bob.id, "Bob's")
    session = store.start_candidate(ROLE)
    for cohort_code in (morning.code, evening.code, bobs.code):
        store.share(session.candidate_id, cohort_code, "Sam")
    store.add_note(alice.id, session.candidate_id, "Alice's note")
    store.add_note(bob.id, session.candidate_id, "Bob's note")

    store.unshare(session.candidate_id, morning.id)  # Evening still has the candidate
    assert [n.text for n in store.notes(alice.id, session.candidate_id)] == ["Alice's note"]
    store.unshare(session.candidate_id, evening.id)
    store.share(session.candidate_id, morning.code, "New alias")  # shared afresh later
    assert store.notes(alice.id, session.candidate_id) == []
    assert [n.text for n in store.notes(bob.id, session.candidate_id)] == ["Bob's note"]
    assert store.counts()["notes"] == 1


def test_notes_are_newest_first_and_never_empty(store: Store) -> None:
    alice = store.add_user("alice@example.org", PASSWORD, "counselor", "Alice")
    group = store.create_cohort(alice.id, "Group")
    session = store.start_candidate(ROLE)
    store.share(session.candidate_id, group.code, "Sam")
    start = datetime(2026, 3, 1, tzinfo=UTC)
    for day, text in enumerate(["first", "second", "third"]):
        store.clock = lambda day=day: start + timedelta(days=day)
        store.add_note(alice.id, session.candidate_id, f"  {text}  ")
    notes = store.notes(alice.id, session.candidate_id)
    assert [n.text for n in notes] == ["third", "second", "first"]
    assert notes[0].author_email == "alice@example.org"
    with pytest.raises(ValueError):
        store.add_note(alice.id, session.candidate_id, "   ")


def test_cohort_answer_sets_hold_every_attempt_in_two_queries(store: Store, content) -> None:
    alice = store.add_user("alice@example.org", PASSWORD, "counselor")
    group = store.create_cohort(alice.id, "Group")
    maps = answer_maps(content, 6)
    expected = []
    for index, answer_map in enumerate(maps[:4]):
        session = store.start_candidate(ROLE)
        store.save_answers(session.attempt_id, versions(content, answer_map))
        store.finish_attempt(session.attempt_id)
        store.share(session.candidate_id, group.code, f"Candidate {index}")
        expected.append((session.candidate_id, session.attempt_id, answer_map))
        if index % 2:
            again = store.new_attempt(session, ROLE)
            store.save_answers(again.attempt_id, versions(content, maps[4 + index // 2]))
            merged = {q: dict(a) for q, a in answer_map.items()}
            for q, given in maps[4 + index // 2].items():
                merged.setdefault(q, {}).update(given)
            expected.append((session.candidate_id, again.attempt_id, merged))
    store.start_candidate(ROLE)  # not shared: not in the cohort

    statements: list[str] = []
    from sqlalchemy import event

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        rows = store.cohort_answer_sets(alice.id, group.id)
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 2  # attempts, then answers gathered per questionnaire: no N+1
    assert [(r.candidate_id, r.attempt_id, r.answer_map) for r in rows] == sorted(
        expected, key=lambda e: (e[0], e[1])
    )
    candidate_id, attempt_id, finished_at, answer_map = rows[0]  # unpacks as a 4-tuple
    assert finished_at is not None and rows[0].alias == "Candidate 0"


def test_cohort_codes_are_typeable_and_hard_to_guess(store: Store) -> None:
    alice = store.add_user("alice@example.org", PASSWORD, "counselor")
    codes = {store.create_cohort(alice.id, f"Group {n}").code for n in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert resume_codes.normalise_cohort_code(code.lower().replace("-", " ")) == code
    assert len(resume_codes.COHORT_ALPHABET) ** resume_codes.COHORT_CODE_LENGTH >= 2**50


# The table and the summary --------------------------------------------------------------------


def rows_of(content, maps: list[dict], attempts_per_candidate: list[int]) -> list[tuple]:
    rows, attempt_id, position = [], 0, 0
    for candidate_id, attempts in enumerate(attempts_per_candidate, start=1):
        for _ in range(attempts):
            attempt_id += 1
            finished = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=attempt_id)
            rows.append((candidate_id, attempt_id, finished, maps[position]))
            position += 1
    return rows


def test_cohort_table_matches_score_one_for_every_candidate(content) -> None:
    counts = [1, 2, 1, 3, 1, 1, 2, 1]
    maps = answer_maps(content, sum(counts))
    rows = rows_of(content, maps, counts)
    table = cohort_table(content, ROLE, rows)
    role = content.roles[ROLE]
    assert len(table) == len(counts)
    assert list(table.columns[:9]) == [
        "candidate_id", "Alias", "Date", "Status", "Attempts", "Readiness", "Band", "Top gaps",
        "Must-haves not met",
    ]  # fmt: skip
    assert list(table.columns[9:]) == [gap_column(c.title) for c in role.competencies]
    assert list(table["Readiness"]) == sorted(table["Readiness"], reverse=True)
    latest = {}
    for candidate_id, attempt_id, _, answer_map in rows:
        latest[candidate_id] = (attempt_id, answer_map)
    for attempt_id, row in table.iterrows():
        expected_attempt, answer_map = latest[row["candidate_id"]]
        assert attempt_id == expected_attempt
        result = score_one(content, ROLE, answer_map)
        assert row["Readiness"] == result.readiness
        assert row["Band"] == result.band.label
        assert row["Attempts"] == counts[row["candidate_id"] - 1]
        gaps = [step.title for step in result.plan if step.kind == "competency"][:3]
        assert row["Top gaps"] == "; ".join(gaps)
        unmet = [r.title for r in result.requirements if r.status == "unmet"]
        assert row["Must-haves not met"] == "; ".join(unmet)
        for competency in result.competencies:
            assert row[gap_column(competency.title)] == competency.gap_rounded


def test_the_latest_finished_attempt_counts_over_one_in_progress(content) -> None:
    maps = answer_maps(content, 2)
    rows = [
        (1, 10, datetime(2026, 1, 1, tzinfo=UTC), maps[0]),
        (1, 11, None, maps[1]),  # a re-assessment just started
    ]
    table = cohort_table(content, ROLE, rows)
    assert list(table.index) == [10] and table.iloc[0]["Status"] == "Finished"
    only_started = cohort_table(content, ROLE, [(2, 12, None, maps[1])])
    assert only_started.iloc[0]["Status"] == "In progress"
    # One finished result and one begun is not a re-assessment yet: no change to show.
    assert cohort_summary(content, ROLE, rows).candidate_changes.empty


def test_a_change_is_between_the_first_and_latest_finished_attempts(content) -> None:
    maps = answer_maps(content, 4, seed=3)
    finished = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [
        (1, 9, None, maps[0]),  # begun, then left
        (1, 10, finished, maps[1]),
        (1, 11, finished, maps[2]),
        (1, 12, None, maps[3]),  # a third attempt just begun
    ]
    (change,) = cohort_summary(content, ROLE, rows).candidate_changes.itertuples()
    first, latest = (score_one(content, ROLE, m).readiness for m in (maps[1], maps[2]))
    assert (change.first_readiness, change.latest_readiness) == (first, latest)


def test_the_candidate_page_shows_the_attempt_the_table_shows(content) -> None:
    """`shown_attempt` (one candidate's page) and `score_cohort` (the vectorised table) each
    pick the attempt a counselor sees: they must agree on every history of attempts."""
    rng = random.Random(11)
    maps = answer_maps(content, 6, seed=5)
    for _ in range(200):
        histories = [[rng.random() < 0.5 for _ in range(rng.randint(1, 5))] for _ in range(4)]
        rows, attempt_id = [], 0
        for candidate_id, history in enumerate(histories, start=1):
            for finished in history:
                attempt_id += rng.randint(1, 3)  # ids grow, with gaps from other candidates
                when = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=attempt_id)
                rows.append((candidate_id, attempt_id, when if finished else None, rng.choice(maps)))  # fmt: skip
        scores = cohort.score_cohort(content, ROLE, rows)
        shown_by_table = {
            scores.candidate_ids[i]: scores.rows[latest].attempt_id
            for i, latest in enumerate(scores.latest)
        }
        for candidate_id in range(1, len(histories) + 1):
            attempts = [
                SimpleNamespace(attempt_id=a, role_id=ROLE, finished_at=f)
                for c, a, f, _ in rows
                if c == candidate_id
            ]
            by_id = {a: m for _, a, _, m in rows}
            scored = cohort.score_attempts(content, attempts, by_id.__getitem__)
            shown = cohort.shown_attempt(scored).attempt.attempt_id
            assert shown == shown_by_table[candidate_id], histories[candidate_id - 1]


def test_members_supply_current_aliases_and_drop_unshared_rows(content) -> None:
    from readiness.storage import Member

    maps = answer_maps(content, 2)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [(1, 1, now, maps[0]), (2, 2, now, maps[1])]
    members = [Member(1, "Renamed", now, 1, [])]
    table = cohort_table(content, ROLE, rows, members)
    assert list(table["Alias"]) == ["Renamed"]


def test_cohort_summary(content) -> None:
    counts = [1, 2, 1, 3, 2]
    maps = answer_maps(content, sum(counts), seed=11)
    rows = rows_of(content, maps, counts)
    summary = cohort_summary(content, ROLE, rows)
    role = content.roles[ROLE]
    table = cohort_table(content, ROLE, rows)

    assert summary.size == 5
    assert sorted(summary.readiness) == sorted(table["Readiness"])
    assert summary.bands["candidates"].sum() == 5
    assert list(summary.bands["band"]) == [b.label for b in role.bands]
    for band, n in zip(summary.bands["band"], summary.bands["candidates"], strict=True):
        assert n == (table["Band"] == band).sum()

    latest_results = {
        cid: score_one(content, ROLE, m) for cid, _, _, m in rows
    }  # the last row of each candidate wins
    mean_gap = summary.mean_gaps.set_index("competency_id")["mean_gap"]
    for index, competency in enumerate(role.competencies):
        expected = sum(r.competencies[index].gap for r in latest_results.values()) / 5
        assert mean_gap[competency.id] == pytest.approx(expected)
    missing = summary.missing.set_index("requirement_id")
    for index, requirement in enumerate(role.requirements):
        statuses = [r.requirements[index].status for r in latest_results.values()]
        assert missing.loc[requirement.id, "unmet"] == statuses.count("unmet")
        assert missing.loc[requirement.id, "unknown"] == statuses.count("unknown")

    firsts = {}
    for cid, _, _, m in rows:
        firsts.setdefault(cid, score_one(content, ROLE, m))
    changes = summary.candidate_changes.set_index("candidate_id")
    assert sorted(changes.index) == [2, 4, 5]
    for cid in changes.index:
        assert changes.loc[cid, "first_readiness"] == firsts[cid].readiness
        assert changes.loc[cid, "latest_readiness"] == latest_results[cid].readiness
        assert changes.loc[cid, "change"] == latest_results[cid].readiness - firsts[cid].readiness
    before = summary.changes.set_index("competency_id")["before"]
    expected_before = sum(firsts[c].competencies[0].level for c in (2, 4, 5)) / 3
    assert before[role.competencies[0].id] == pytest.approx(expected_before)


def test_an_empty_cohort_gives_empty_results(content) -> None:
    table = cohort_table(content, ROLE, [])
    summary = cohort_summary(content, ROLE, [])
    assert table.empty and summary.size == 0 and summary.changes.empty
    assert summary.readiness.empty and summary.bands["candidates"].sum() == 0


def test_table_and_summary_score_every_row_in_one_vectorised_call(
    content, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = cohort.score_answer_maps

    def counting(content_, role_id, maps):
        calls.append(len(maps))
        return real(content_, role_id, maps)

    monkeypatch.setattr(cohort, "score_answer_maps", counting)
    counts = [2, 1, 3]
    rows = rows_of(content, answer_maps(content, 6), counts)
    cohort_table(content, ROLE, rows)
    assert calls == [6]
    scores = cohort.score_cohort(content, ROLE, rows)
    cohort_table(content, ROLE, rows, scores=scores)
    cohort_summary(content, ROLE, rows, scores=scores)
    assert calls == [6, 6]


# CSV ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]
)
def test_formula_cells_are_neutralised(cell: str) -> None:
    assert neutralise_cell(cell) == "'" + cell


def test_cohort_csv_is_excel_friendly_and_safe(content) -> None:
    maps = answer_maps(content, 3)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [(1, 1, now, maps[0]), (2, 2, now, maps[1]), (3, 3, now, maps[2])]
    from readiness.storage import Member

    members = [
        Member(1, '=cmd|"/c calc"!A1', now, 1, []),
        Member(2, "@alice; Ünïcödé", now, 2, []),
        Member(3, "-5 plain", now, 3, []),
    ]
    table = cohort_table(content, ROLE, rows, members)
    data = cohort_csv(table.drop(columns=["candidate_id"]))
    assert data.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, body = parsed[0], parsed[1:]
    assert header[:3] == ["Alias", "Date", "Status"]
    aliases = sorted(row[0] for row in body)
    assert aliases == sorted(['\'=cmd|"/c calc"!A1', "'@alice; Ünïcödé", "'-5 plain"])
    for row in body:
        assert not row[0].startswith(("=", "+", "-", "@"))
        assert pd.Timestamp(row[1]).tzinfo is not None  # ISO 8601 with the zone
        float(row[-1])  # gaps stay numbers


# Titles two items share ---------------------------------------------------------------------

TWIN_TITLES_ROLE = """\
format: role/1
id: analyst
title: Analyst
competencies:
  - {id: communication, title: Skill, target: 3, importance: 4, source: Test source}
  - {id: writing, title: Skill, target: 2, importance: 1, source: Test source}
requirements:
  - {id: licence, title: Licence, met_if: {question: skills.presenting, at_least: 4}, source: s}
  - {id: renewal, title: Licence renewal, met_if: {question: skills.presenting, at_most: 3}, source: s}
bands:
  - {at_least: 0, label: Any}
"""


def test_items_that_share_a_title_stay_apart_and_filters_match_whole_titles(tmp_path) -> None:
    from tests.fixtures.content import write_root

    twins = load_content(write_root(tmp_path, roles={"analyst.yaml": TWIN_TITLES_ROLE}))
    assert twins.ok, twins.issues
    low = {"skills": {"presenting": 2}}  # level 1, gap 2; lacks "Licence"
    high = {"skills": {"presenting": 5}}  # level 4, no gap; lacks "Licence renewal"
    result = score_one(twins, "analyst", low)
    assert [c.title for c in result.competencies] == ["Skill (communication)", "Skill (writing)"]
    when = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [(1, 1, when, low), (2, 2, when, high)]
    table = cohort_table(twins, "analyst", rows)
    gaps = table.set_index("candidate_id")
    assert gaps.loc[1, gap_column("Skill (communication)")] == 2.0
    assert gaps.loc[2, gap_column("Skill (communication)")] == 0.0
    assert gaps.loc[1, gap_column("Skill (writing)")] == 2.0  # no question measures it
    summary = cohort_summary(twins, "analyst", rows)
    assert sorted(summary.mean_gaps["competency"]) == ["Skill (communication)", "Skill (writing)"]

    lacking = cohort.filter_table(table, missing="Licence")
    assert list(lacking["candidate_id"]) == [1]
    assert list(cohort.filter_table(table, missing="Licence renewal")["candidate_id"]) == [2]
    assert list(cohort.filter_table(table, below="Skill (communication)")["candidate_id"]) == [1]
    assert len(cohort.filter_table(table, bands=["Any"])) == 2
