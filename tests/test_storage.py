"""The store on SQLite and on a real PostgreSQL: schema, answers, attempts, sharing, deletion,
rate limits and content history."""

from __future__ import annotations

import dataclasses
import threading
import time
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from readiness import resume_codes
from readiness.storage import CandidateGone, Store, TooManyAttempts, database_url
from readiness.storage import tables as t
from readiness.storage.engine import DEFAULT_DATABASE, current_revision, head_revision
from readiness.storage.tables import metadata
from tests.fixtures.storage import Clock

ROLE = "physician-liaison"
SKILLS, BACKGROUND = "liaison-skills", "liaison-background"


pytestmark = pytest.mark.usefixtures("cheap_passwords")


def answers_of(store: Store, attempt_id: int) -> dict:
    return {q: e["answers"] for q, e in store.load_answer_set(attempt_id)["questionnaires"].items()}


# Schema ---------------------------------------------------------------------------------------


def test_store_migrates_a_fresh_database_to_head(store: Store) -> None:
    assert current_revision(store.engine) == head_revision() is not None
    tables = set(sa.inspect(store.engine).get_table_names())
    assert set(metadata.tables) | {"alembic_version"} <= tables


def test_migrations_match_the_table_definitions(store: Store) -> None:
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


def test_ids_and_versions_of_any_length_are_stored(store: Store) -> None:
    # The content format sets no length on them; PostgreSQL enforces a column's length.
    role, questionnaire, question = ("r" + "-x" * 150, "q" + "-y" * 150, "a" + "-z" * 150)
    version = "2026." + "1" * 300
    session = store.start_candidate(role)
    store.save_answer(session.attempt_id, questionnaire, version, question, 3)
    saved = store.load_answer_set(session.attempt_id)
    assert saved["role"] == role
    assert saved["questionnaires"] == {
        questionnaire: {"version": version, "answers": {question: 3}}
    }
    store.save_content_version("questionnaire", questionnaire, version, "text")
    assert store.content_version("questionnaire", questionnaire, version) == "text"
    path = "/" + "deep/" * 120 + "q.yaml"
    store.record_content_change(None, path, "questionnaire", questionnaire, version, "saved", "t")


def test_the_database_keeps_no_resume_code_only_its_digest(store: Store) -> None:
    session = store.start_candidate(ROLE, alias="Ana")
    store.save_answer(session.attempt_id, SKILLS, "1", "explain-service", 2)
    again = store.new_attempt(session, ROLE)
    with store.engine.connect() as connection:
        stored = [
            str(value)
            for table in metadata.sorted_tables
            for row in connection.execute(sa.select(table)).all()
            for value in row
        ]
    words = session.resume_code.split("-")
    # The code in any spelling (single words can be in ids: "explain", "service").
    spellings = {sep.join(words) for sep in ("-", " ", "", "_")}
    assert not any(spelling in value.lower() for value in stored for spelling in spellings)
    assert resume_codes.digest(session.resume_code) in stored
    # The code still brings the candidate back, to their latest attempt.
    assert store.resume(session.resume_code.upper().replace("-", " ")) == again


def test_migrating_replaces_stored_resume_codes_by_digests_and_keeps_every_row(
    database_url: str,
) -> None:
    """A database of revision 0002 (codes kept in clear), with a candidate, attempts, answers,
    a share and a note: the upgrade keeps every row and the code still resumes."""
    from alembic import command

    from readiness.storage.engine import alembic_config, create_engine

    code = resume_codes.new_code()
    when = datetime(2026, 11, 1, tzinfo=UTC)
    engine = create_engine(database_url)
    try:
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0002")
            old = sa.MetaData()
            old.reflect(connection)
            rows = {
                "users": [{"id": 1, "email": "lee@example.org", "role": "counselor",
                           "password_hash": "x", "created_at": when}],
                "candidates": [{"id": 7, "resume_code": code, "alias": "Ana", "created_at": when}],
                "attempts": [{"id": 3, "candidate_id": 7, "role_id": ROLE, "step": 2,
                              "started_at": when, "finished_at": when},
                             {"id": 4, "candidate_id": 7, "role_id": ROLE, "step": 1,
                              "started_at": when, "finished_at": None}],
                "attempt_questionnaires": [{"attempt_id": a, "questionnaire_id": SKILLS,
                                            "version": "2026.11"} for a in (3, 4)],
                "answers": [{"attempt_id": a, "questionnaire_id": SKILLS,
                             "question_id": "explain-service", "value": "2", "created_at": when,
                             "updated_at": when, "carried_over": False} for a in (3, 4)],
                "cohorts": [{"id": 5, "owner_id": 1, "name": "Group", "code": "K7QM2-XD9RT",
                             "created_at": when}],
                "shares": [{"candidate_id": 7, "cohort_id": 5, "alias": "Ana", "shared_at": when}],
                "notes": [{"id": 1, "author_id": 1, "candidate_id": 7, "text": "Call back",
                           "created_at": when}],
            }  # fmt: skip
            for name, values in rows.items():
                connection.execute(old.tables[name].insert(), values)
                if connection.dialect.name == "postgresql" and "id" in old.tables[name].c:
                    # Rows written with their ids, as the app never does: move the sequence on.
                    connection.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"(SELECT max(id) FROM {name}))"
                    )
    finally:
        engine.dispose()

    store = Store(database_url)
    try:
        assert current_revision(store.engine) == head_revision()
        with store.engine.connect() as connection:
            for name, values in rows.items():
                count = connection.execute(sa.select(sa.func.count()).select_from(metadata.tables[name]))  # fmt: skip
                assert count.scalar() == len(values), name
            digests = connection.execute(sa.select(t.candidates.c.resume_code_digest)).scalars()
            assert list(digests) == [resume_codes.digest(code)]
            assert compare_metadata(MigrationContext.configure(connection), metadata) == []
        session = store.resume(code)
        assert (session.candidate_id, session.attempt_id, session.step) == (7, 4, 1)
        assert store.load_answer_set(3)["questionnaires"][SKILLS]["answers"] == {
            "explain-service": 2
        }
        # References are still enforced after the rebuild.
        with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as connection:
            connection.execute(
                t.attempts.insert().values(candidate_id=99, role_id=ROLE, step=0, started_at=when)
            )
        store.delete_candidate(7)  # and still cascade
        with store.engine.connect() as connection:
            assert connection.execute(sa.select(sa.func.count()).select_from(t.answers)).scalar() == 0  # fmt: skip
        # Nor is a deleted row's id given out again (revision 0004, on SQLite).
        assert store.start_candidate(ROLE).candidate_id > 7
    finally:
        store.dispose()


def test_a_second_store_on_a_migrated_database_changes_nothing(
    store: Store, database_url: str
) -> None:
    session = store.start_candidate(ROLE)
    again = Store(database_url)
    try:
        assert current_revision(again.engine) == head_revision()
        assert again.resume(session.resume_code) == session
    finally:
        again.dispose()


def assert_started_together_at_head(url: str, count: int) -> None:
    """`count` Stores of `url` created at the same moment, as app processes starting together,
    all start without error and find the schema at the newest revision."""
    errors: list[BaseException] = []
    stores: list[Store] = []
    barrier = threading.Barrier(count)

    def start() -> None:
        barrier.wait()
        try:
            stores.append(Store(url))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=start) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        assert {current_revision(s.engine) for s in stores} == {head_revision()}
    finally:
        for s in stores:
            s.dispose()


def test_stores_started_together_migrate_once(database_url: str) -> None:
    assert_started_together_at_head(database_url, 4)


def test_a_new_sqlite_file_opened_by_many_stores_at_once(tmp_path) -> None:
    # Switching a new file to WAL needs it alone for a moment, and SQLite does not wait for
    # that by itself: without a retry about one start in a dozen failed with "locked".
    for round_number in range(12):
        assert_started_together_at_head(
            f"sqlite:///{tmp_path / f'round-{round_number}.sqlite3'}", 6
        )


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    try:
        with store.engine.connect() as connection:
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA foreign_keys").scalar() == 1
            assert pragma("PRAGMA busy_timeout").scalar() >= 5000
    finally:
        store.dispose()


def test_database_url_prefers_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READINESS_DATABASE_URL", "postgresql+psycopg://app@db/readiness")
    assert database_url() == "postgresql+psycopg://app@db/readiness"
    monkeypatch.delenv("READINESS_DATABASE_URL")
    assert database_url() == f"sqlite:///{DEFAULT_DATABASE}"
    assert DEFAULT_DATABASE.parent.is_dir()


# Candidates, attempts and answers -------------------------------------------------------------


def test_start_candidate_gives_a_code_and_a_first_attempt(store: Store) -> None:
    session = store.start_candidate(ROLE, alias="  Sam   R ")
    assert resume_codes.normalise(session.resume_code) == session.resume_code
    assert (session.role_id, session.step, session.alias) == (ROLE, 0, "Sam R")
    assert [a.attempt_id for a in store.attempts(session.candidate_id)] == [session.attempt_id]
    other = store.start_candidate(ROLE)
    assert other.resume_code != session.resume_code


def test_answers_keep_their_json_types_and_none_deletes(store: Store) -> None:
    session = store.start_candidate(ROLE)
    attempt = session.attempt_id
    store.save_answer(attempt, SKILLS, "2026.11", "explain-service", 3)
    store.save_answer(attempt, SKILLS, "2026.11", "explain-service", 4)  # replaces
    store.save_answers(
        attempt,
        {
            BACKGROUND: {
                "version": "2026.11",
                "answers": {
                    "drivers-license": True,
                    "years-sales": 1.5,
                    "crm-tools": ["salesforce", "veeva"],
                    "goals": "Lead a team – «soon» 🚀",
                    "education": "bachelor",
                },
            }
        },
    )
    store.save_answer(attempt, BACKGROUND, "2026.11", "education", None)
    answer_set = store.load_answer_set(attempt)
    assert answer_set == {
        "format": "answers/1",
        "role": ROLE,
        "questionnaires": {
            BACKGROUND: {
                "version": "2026.11",
                "answers": {
                    "crm-tools": ["salesforce", "veeva"],
                    "drivers-license": True,
                    "goals": "Lead a team – «soon» 🚀",
                    "years-sales": 1.5,
                },
            },
            SKILLS: {"version": "2026.11", "answers": {"explain-service": 4}},
        },
    }
    assert answer_set["questionnaires"][BACKGROUND]["answers"]["drivers-license"] is True


def test_save_answers_takes_a_whole_answers_document(store: Store) -> None:
    session = store.start_candidate(ROLE)
    document = {
        "format": "answers/1",
        "role": ROLE,
        "questionnaires": {SKILLS: {"version": "2026.11", "answers": {"crm-logging": 2}}},
    }
    store.save_answers(session.attempt_id, document)
    assert store.load_answer_set(session.attempt_id) == document


def test_values_that_are_not_answers_are_refused(store: Store) -> None:
    session = store.start_candidate(ROLE)
    with pytest.raises(TypeError):
        store.save_answer(session.attempt_id, SKILLS, "1", "explain-service", {"a": 1})
    with pytest.raises(ValueError):
        store.save_answer(session.attempt_id, SKILLS, "1", "explain-service", float("nan"))


def test_resume_normalises_the_code_and_returns_the_exact_step(store: Store) -> None:
    session = store.start_candidate(ROLE, alias="Kim")
    store.save_step(session.attempt_id, 7)
    words = session.resume_code.split("-")
    typed = "  " + " ".join(w.upper() if i % 2 else w[:4] for i, w in enumerate(words)) + " "
    resumed = store.resume(typed, client="browser-1")
    assert resumed is not None
    assert (resumed.candidate_id, resumed.attempt_id, resumed.step, resumed.alias) == (
        session.candidate_id,
        session.attempt_id,
        7,
        "Kim",
    )
    assert resumed.resume_code == session.resume_code
    assert store.resume("not a code at all", client="browser-1") is None


def test_new_attempt_starts_from_a_copy_of_the_previous_answers(store: Store, clock: Clock) -> None:
    first = store.start_candidate(ROLE)
    store.save_answers(
        first.attempt_id,
        {SKILLS: {"version": "2026.11", "answers": {"explain-service": 1, "crm-logging": 2}}},
    )
    store.finish_attempt(first.attempt_id)
    clock.advance(days=30)
    second = store.new_attempt(first, ROLE)
    assert second.resume_code == first.resume_code
    assert second.attempt_id != first.attempt_id
    assert store.load_answer_set(second.attempt_id) == store.load_answer_set(first.attempt_id)
    # Copied answers are not answering activity; a change is.
    assert store.answer_timestamps(second.attempt_id) == (None, None, 0)
    clock.advance(minutes=5)
    store.save_answer(second.attempt_id, SKILLS, "2026.11", "explain-service", 3)
    assert store.answer_timestamps(second.attempt_id) == (clock.now, clock.now, 1)
    assert answers_of(store, first.attempt_id)[SKILLS]["explain-service"] == 1
    assert answers_of(store, second.attempt_id)[SKILLS]["explain-service"] == 3
    # Resuming goes to the latest attempt.
    assert store.resume(first.resume_code).attempt_id == second.attempt_id
    history = store.attempts(first.candidate_id)
    assert [a.attempt_id for a in history] == [first.attempt_id, second.attempt_id]
    assert history[0].finished and not history[1].finished


def test_attempt_times_role_and_finish(store: Store, clock: Clock) -> None:
    session = store.start_candidate(ROLE)
    assert store.attempts(session.candidate_id)[0].started_at == clock.now
    assert store.answer_timestamps(session.attempt_id) == (None, None, 0)
    start = clock.now
    store.save_answer(session.attempt_id, SKILLS, "2026.11", "explain-service", 2)
    clock.advance(minutes=3)
    store.save_answer(session.attempt_id, SKILLS, "2026.11", "crm-logging", 2)
    clock.advance(minutes=1)
    store.save_answer(session.attempt_id, SKILLS, "2026.11", "explain-service", 3)
    assert store.answer_timestamps(session.attempt_id) == (start, clock.now, 2)
    store.set_role(session.attempt_id, "another-role")
    store.finish_attempt(session.attempt_id)
    [info] = store.attempts(session.candidate_id)
    assert (info.role_id, info.finished_at) == ("another-role", clock.now)
    with pytest.raises(LookupError):
        store.save_step(999_999, 1)
    with pytest.raises(LookupError):
        store.load_answer_set(999_999)


def test_import_answer_set_as_a_new_candidate_or_a_new_attempt(store: Store) -> None:
    document = {
        "format": "answers/1",
        "role": ROLE,
        "questionnaires": {
            BACKGROUND: {"version": "2026.10", "answers": {"travel": False, "years-sales": 3}}
        },
    }
    imported = store.import_answer_set(None, document)
    assert store.load_answer_set(imported.attempt_id) == document
    assert store.resume(imported.resume_code) == imported
    again = store.import_answer_set(imported, document)
    assert again.candidate_id == imported.candidate_id
    assert again.resume_code == imported.resume_code
    assert len(store.attempts(imported.candidate_id)) == 2


def test_restored_answers_are_not_answering_activity(store: Store, clock: Clock) -> None:
    # Restored from a file, every answer shares one moment; one changed 20 s later must not
    # read as the whole set answered in 20 s (the results page would call that a hurry).
    answers = {f"q{i}": 2 for i in range(10)}
    document = {
        "format": "answers/1",
        "role": ROLE,
        "questionnaires": {SKILLS: {"version": "2026.11", "answers": answers}},
    }
    restored = store.import_answer_set(None, document)
    assert store.answer_timestamps(restored.attempt_id) == (None, None, 0)
    clock.advance(seconds=20)
    store.save_answer(restored.attempt_id, SKILLS, "2026.11", "q0", 3)
    assert store.answer_timestamps(restored.attempt_id) == (clock.now, clock.now, 1)


def test_an_answer_set_that_cannot_be_written_leaves_nothing_behind(store: Store) -> None:
    before = store.counts()
    document = {
        "format": "answers/1",
        "role": ROLE,
        "questionnaires": {BACKGROUND: {"version": "2026.11", "answers": {"goals": "\ud800"}}},
    }
    with pytest.raises(Exception):  # noqa: B017 - whatever the driver raises
        store.import_answer_set(None, document)
    assert store.counts() == before


# Sharing and deletion -------------------------------------------------------------------------


def test_share_with_a_cohort_code_and_withdraw(store: Store) -> None:
    counselor = store.add_user("lee@example.org", "a long enough password", "counselor", "Lee")
    cohort = store.create_cohort(counselor.id, "Evening group")
    session = store.start_candidate(ROLE)
    assert store.share(session.candidate_id, "AAAAA-AAAAA", "Sam") is None
    typed = cohort.code.lower().replace("-", " ")
    assert store.share(session.candidate_id, typed, "Sam") == cohort
    assert store.share(session.candidate_id, cohort.code, "Sam R.") == cohort  # new alias
    [share] = store.shares_of(session.candidate_id)
    assert (share.cohort_id, share.cohort_name, share.alias, share.owner_name) == (
        cohort.id,
        "Evening group",
        "Sam R.",
        "Lee",
    )
    assert [m.alias for m in store.cohort_members(counselor.id, cohort.id)] == ["Sam R."]
    store.unshare(session.candidate_id, cohort.id)
    assert store.shares_of(session.candidate_id) == []
    assert store.cohort_members(counselor.id, cohort.id) == []
    assert store.candidate_for_staff(counselor.id, session.candidate_id) is None


def test_delete_candidate_removes_everything_about_them(store: Store) -> None:
    counselor = store.add_user("lee@example.org", "a long enough password", "counselor")
    cohort = store.create_cohort(counselor.id, "Group")
    kept = store.start_candidate(ROLE)
    store.save_answer(kept.attempt_id, SKILLS, "1", "explain-service", 2)
    gone = store.start_candidate(ROLE, alias="Gone")
    store.save_answer(gone.attempt_id, SKILLS, "1", "explain-service", 2)
    second = store.new_attempt(gone, ROLE)
    store.save_answer(second.attempt_id, SKILLS, "1", "crm-logging", 1)
    store.share(gone.candidate_id, cohort.code, "Gone")
    store.share(kept.candidate_id, cohort.code, "Kept")
    store.add_note(counselor.id, gone.candidate_id, "Follow up in May")

    store.delete_candidate(gone.candidate_id)

    from readiness.storage import tables as t

    with store.engine.connect() as connection:

        def count(table: sa.Table, *where) -> int:
            query = sa.select(sa.func.count()).select_from(table)
            return connection.execute(query.where(*where)).scalar_one()

        attempt_ids = [gone.attempt_id, second.attempt_id]
        assert count(t.candidates, t.candidates.c.id == gone.candidate_id) == 0
        assert count(t.attempts, t.attempts.c.candidate_id == gone.candidate_id) == 0
        assert count(t.answers, t.answers.c.attempt_id.in_(attempt_ids)) == 0
        assert count(t.attempt_questionnaires, t.attempt_questionnaires.c.attempt_id.in_(attempt_ids)) == 0  # fmt: skip
        assert count(t.shares, t.shares.c.candidate_id == gone.candidate_id) == 0
        assert count(t.notes, t.notes.c.candidate_id == gone.candidate_id) == 0
        # The other candidate, the counselor and the cohort are untouched.
        assert count(t.answers) == 1 and count(t.shares) == 1
    assert store.resume(gone.resume_code) is None
    assert store.resume(kept.resume_code) == kept
    assert store.cohort(counselor.id, cohort.id) == cohort


# Rate limits ----------------------------------------------------------------------------------


def test_resume_is_refused_after_five_failures_from_one_client(
    store: Store, database_url: str, clock: Clock
) -> None:
    session = store.start_candidate(ROLE)
    for _ in range(5):
        assert store.resume("wrong " * 6, client="10.0.0.1") is None
        clock.advance(seconds=30)
    with pytest.raises(TooManyAttempts) as refused:
        store.resume(session.resume_code, client="10.0.0.1")  # even the right code
    assert 0 < refused.value.retry_after <= 600
    # Another client is not affected, and failures are in the database, not in one process.
    assert store.resume(session.resume_code, client="10.0.0.2") == session
    other_process = Store(database_url, clock=clock)
    try:
        with pytest.raises(TooManyAttempts):
            other_process.resume(session.resume_code, client="10.0.0.1")
    finally:
        other_process.dispose()
    clock.advance(seconds=refused.value.retry_after)
    assert store.resume(session.resume_code, client="10.0.0.1") == session


def test_resume_failures_spread_over_time_are_not_a_lockout(store: Store, clock: Clock) -> None:
    session = store.start_candidate(ROLE)
    for _ in range(12):
        assert store.resume("nope", client="slow") is None
        clock.advance(minutes=3)  # never five within ten minutes
    assert store.resume(session.resume_code, client="slow") == session


def test_resume_has_a_global_limit_across_clients(
    store: Store, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from readiness.storage import Limit

    monkeypatch.setattr(Store, "resume_global_limit", Limit(failures=8, window=600, lockout=600))
    session = store.start_candidate(ROLE)
    for client in range(8):
        assert store.resume("nope", client=f"10.0.1.{client}") is None
    with pytest.raises(TooManyAttempts):
        store.resume(session.resume_code, client="10.0.9.9")


@pytest.mark.parametrize("kind", ["sign-in", "resume"])
def test_attempts_sent_at_once_are_counted_before_any_is_checked(
    store: Store, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """Twelve tries at the same moment: at most five (the limit) are weighed, the rest are
    refused, whatever the order the threads run in."""
    from readiness import accounts

    store.add_user("lee@example.org", "the right password", "counselor")
    session = store.start_candidate(ROLE)
    real_verify = accounts.verify_password

    def slow_verify(*args):
        time.sleep(0.05)  # widen the gap between the check and the verdict
        return real_verify(*args)

    monkeypatch.setattr(accounts, "verify_password", slow_verify)
    barrier = threading.Barrier(12)
    outcomes: list[str] = []

    def attempt(number: int) -> None:
        barrier.wait()
        try:
            if kind == "sign-in":
                store.authenticate("lee@example.org", f"wrong {number}", client=f"c{number}")
            else:
                store.resume(resume_codes.new_code(), client="one client")
            outcomes.append("weighed")
        except TooManyAttempts:
            outcomes.append("refused")

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("weighed") <= 5 and len(outcomes) == 12
    with pytest.raises(TooManyAttempts):  # the right answer too, now
        if kind == "sign-in":
            store.authenticate("lee@example.org", "the right password", client="c0")
        else:
            store.resume(session.resume_code, client="one client")


# Content history ------------------------------------------------------------------------------


def test_content_history_and_kept_versions(store: Store, clock: Clock) -> None:
    author = store.add_user("ines@example.org", "a long enough password", "instructor")
    for n in range(3):
        store.record_content_change(
            author.id, "assessments/x.yaml", "questionnaire", "x", f"v{n}", "changed", f"text {n}"
        )
        clock.advance(minutes=1)
    store.record_content_change(None, "data/roles/r.yaml", "role", "r", None, "added", "role")
    history = store.content_history(limit=3)
    assert [c.version for c in history] == [None, "v2", "v1"]
    assert history[0].user_email is None
    assert history[1].user_email == "ines@example.org" and history[1].text == "text 2"
    assert len(store.content_history()) == 4

    store.save_content_version("questionnaire", "x", "2026.10", "old text")
    store.save_content_version("questionnaire", "x", "2026.11", "new text")
    assert store.content_version("questionnaire", "x", "2026.10") == "old text"
    assert store.content_version("questionnaire", "x", "2027.01") is None
    store.save_content_version("questionnaire", "x", "2026.10", "old text, corrected")
    assert store.content_version("questionnaire", "x", "2026.10") == "old text, corrected"
    assert sorted(v for v, _ in store.content_versions("questionnaire", "x")) == [
        "2026.10",
        "2026.11",
    ]


# Resume codes ---------------------------------------------------------------------------------


def test_resume_codes_have_at_least_64_bits() -> None:
    bits = resume_codes.entropy_bits()
    print(f"resume code entropy: {bits:.1f} bits ({resume_codes.WORDS_PER_CODE} words "
          f"from {len(resume_codes.word_list())})")  # fmt: skip
    assert bits == pytest.approx(66.0) and bits >= 64
    codes = {resume_codes.new_code() for _ in range(1000)}
    assert len(codes) == 1000
    for code in list(codes)[:50]:
        words = code.split("-")
        assert len(words) == 6 and all(w in resume_codes.word_list() for w in words)


@pytest.mark.parametrize(
    "typed",
    [
        "ladder orbit pencil violin snack canyon",
        "  LADDER-Orbit-PENCIL  violin\tsnack, canyon ",
        "ladd orbi penc viol snac cany",
        "ladder.orbit.pencil.violin.snack.canyon",
    ],
)
def test_normalise_forgives_case_separators_and_short_words(typed: str) -> None:
    assert resume_codes.normalise(typed) == "ladder-orbit-pencil-violin-snack-canyon"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "ladder orbit pencil violin snack",  # five words
        "ladder orbit pencil violin snack canyon canyon",
        "ladder orbit pencil violin snack canyonx",  # not the word
        "lad orbit pencil violin snack canyon",  # too short to tell
        "ladder orbit pencil violin snack cañon",
        "xxxx orbit pencil violin snack canyon",
    ],
)
def test_normalise_refuses_what_cannot_be_a_code(typed: str) -> None:
    assert resume_codes.normalise(typed) is None


def test_cohort_revision_changes_with_everything_the_review_shows(
    store: Store, clock: Clock
) -> None:
    counselor = store.add_user("rev@example.org", "a long password", "counselor")
    cohort = store.create_cohort(counselor.id, "Evening group")
    revisions = [store.cohort_revision(counselor.id, cohort.id)]

    def changed() -> bool:
        clock.advance(seconds=1)
        revisions.append(store.cohort_revision(counselor.id, cohort.id))
        return revisions[-1] != revisions[-2]

    first = store.start_candidate("physician-liaison")
    assert not changed()  # not shared: nothing the counselor sees
    store.share(first.candidate_id, cohort.code, "Ana")
    assert changed()
    store.save_answer(first.attempt_id, "liaison-skills", "2026.11", "explain-service", 2)
    assert changed()
    store.save_answer(first.attempt_id, "liaison-skills", "2026.11", "explain-service", 3)
    assert changed()  # same count, newer answer
    store.finish_attempt(first.attempt_id)
    assert changed()
    assert not changed()  # nothing happened
    second = store.start_candidate("physician-liaison")
    store.share(second.candidate_id, cohort.code, "Ben")
    assert changed()
    store.share(second.candidate_id, cohort.code, "B.")  # shared again, under another name
    assert changed()
    assert {row.alias for row in store.cohort_answer_sets(counselor.id, cohort.id)} == {"Ana", "B."}
    store.unshare(second.candidate_id, cohort.id)
    assert changed()
    store.delete_candidate(first.candidate_id)
    assert changed()
    stranger = store.add_user("other@example.org", "a long password", "counselor")
    assert store.cohort_revision(stranger.id, cohort.id) != revisions[
        -1
    ] or not store.cohort_answer_sets(stranger.id, cohort.id)


def test_cohort_answer_sets_gather_answers_per_questionnaire(store: Store) -> None:
    counselor = store.add_user("gather@example.org", "a long password", "counselor")
    cohort = store.create_cohort(counselor.id, "Group")
    session = store.start_candidate("physician-liaison")
    store.save_answer(session.attempt_id, "liaison-skills", "2026.11", "explain-service", 3)
    store.save_answer(session.attempt_id, "liaison-background", "2026.11", "education", "bachelor")
    store.save_answer(
        session.attempt_id, "liaison-background", "2026.11", "certifications", ["cmr"]
    )
    store.save_answer(session.attempt_id, "liaison-background", "2026.11", "drivers-license", True)
    store.share(session.candidate_id, cohort.code, "Ana")
    (row,) = store.cohort_answer_sets(counselor.id, cohort.id)
    assert row.answer_map == {
        "liaison-skills": {"explain-service": 3},
        "liaison-background": {
            "education": "bachelor",
            "certifications": ["cmr"],
            "drivers-license": True,
        },
    }
    assert row.alias == "Ana" and row.attempt_id == session.attempt_id


def test_a_session_left_open_on_a_deleted_candidate_never_reaches_the_next_one(
    store: Store,
) -> None:
    """SQLite would give the deleted rows' ids to the next candidate: the stale session's
    writes and checks would then land in someone else's data."""
    staff = store.add_user("gone@example.org", "a long password", "counselor")
    left_open = store.start_candidate(ROLE)
    store.add_user("other@example.org", "a long password", "counselor")
    store.delete_candidate(left_open.candidate_id)
    next_one = store.start_candidate(ROLE)
    assert next_one.candidate_id != left_open.candidate_id
    assert next_one.attempt_id != left_open.attempt_id
    assert not store.session_exists(left_open)
    assert store.session_exists(next_one)
    with pytest.raises(CandidateGone):
        store.save_answer(left_open.attempt_id, SKILLS, "1", "explain-service", 2)
    assert store.load_answer_set(next_one.attempt_id)["questionnaires"] == {}
    # The same for the other ids a page holds: staff and cohorts.
    first_cohort = store.create_cohort(staff.id, "Group")
    with store.engine.begin() as connection:
        connection.execute(t.cohorts.delete().where(t.cohorts.c.id == first_cohort.id))
        connection.execute(t.users.delete().where(t.users.c.email == "other@example.org"))
    assert store.create_cohort(staff.id, "Group 2").id != first_cohort.id
    newer = store.add_user("newer@example.org", "a long password", "counselor")
    assert newer.id > staff.id + 1


def test_a_session_is_checked_against_its_code_too(store: Store) -> None:
    session = store.start_candidate(ROLE)
    assert store.session_exists(session)
    forged = dataclasses.replace(session, resume_code=resume_codes.new_code())
    assert not store.session_exists(forged)
    other = store.start_candidate(ROLE)
    assert not store.session_exists(dataclasses.replace(session, attempt_id=other.attempt_id))


def test_writes_for_a_deleted_candidate_say_so(store: Store) -> None:
    counselor = store.add_user("gone@example.org", "a long password", "counselor")
    cohort = store.create_cohort(counselor.id, "Group")
    session = store.start_candidate("physician-liaison")
    assert store.attempt_exists(session.attempt_id)
    store.delete_candidate(session.candidate_id)
    assert not store.attempt_exists(session.attempt_id)
    with pytest.raises(CandidateGone):
        store.save_answer(session.attempt_id, "liaison-skills", "1", "explain-service", 2)
    with pytest.raises(CandidateGone):
        store.new_attempt(session, "physician-liaison")
    with pytest.raises(CandidateGone):
        store.share(session.candidate_id, cohort.code, "Ana")
    assert not store.cohort_answer_sets(counselor.id, cohort.id)


def test_deleted_data_is_gone_from_the_sqlite_files(tmp_path) -> None:
    path = tmp_path / "app.sqlite3"
    store = Store(f"sqlite:///{path}")
    counselor = store.add_user("wal@example.org", "a long password", "counselor")
    cohort = store.create_cohort(counselor.id, "Group")
    session = store.start_candidate("physician-liaison")
    store.save_answer(session.attempt_id, "liaison-background", "1", "goals", "Quetzalcoatl-goal")
    store.share(session.candidate_id, cohort.code, "Zebulon-alias")
    store.add_note(counselor.id, session.candidate_id, "Xanthippe-note")
    reader = store.engine.connect()  # another page reading at the same time
    store.delete_candidate(session.candidate_id)
    reader.close()
    store.delete_candidate(session.candidate_id)  # again: nothing to delete, the log emptied
    files = [p for p in tmp_path.iterdir() if p.name.startswith("app.sqlite3")]
    written = b"".join(p.read_bytes() for p in files)
    for secret in (b"Quetzalcoatl-goal", b"Zebulon-alias", b"Xanthippe-note", session.resume_code.encode()):  # fmt: skip
        assert secret not in written, (secret, [p.name for p in files])
    store.dispose()
