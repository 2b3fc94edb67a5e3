"""Concurrent writers lose nothing, and a killed process loses no acknowledged answer."""

from __future__ import annotations

import gc
import random
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import sqlalchemy as sa

from readiness.content import load_content
from readiness.demo import generate_answers
from readiness.storage import Store

PROJECT = Path(__file__).resolve().parent.parent
ROLE = "physician-liaison"
SETS_PER_WRITER = 200


def test_two_stores_writing_at_once_lose_nothing(database_url: str) -> None:
    content = load_content()
    rng = random.Random(3)
    planned = {
        writer: [
            {
                q: {"version": content.questionnaires[q].version, "answers": given}
                for q, given in generate_answers(content, ROLE, rng.random(), rng).items()
            }
            for _ in range(SETS_PER_WRITER)
        ]
        for writer in ("a", "b")
    }
    written: dict[str, list[int]] = {"a": [], "b": []}
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def write(writer: str) -> None:
        store = Store(database_url)  # one Store per thread, as two app processes would have
        try:
            barrier.wait()
            for answer_set in planned[writer]:
                session = store.start_candidate(ROLE, alias=writer)
                store.save_answers(session.attempt_id, answer_set)
                written[writer].append(session.attempt_id)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            store.dispose()

    threads = [threading.Thread(target=write, args=(w,)) for w in planned]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []

    store = Store(database_url)
    try:
        counts = store.counts()
        assert counts["candidates"] == counts["attempts"] == 2 * SETS_PER_WRITER
        expected_answers = sum(
            len(entry["answers"]) for sets in planned.values() for s in sets for entry in s.values()
        )
        assert counts["answers"] == expected_answers
        for writer, attempt_ids in written.items():
            assert len(attempt_ids) == SETS_PER_WRITER
            for attempt_id, answer_set in zip(attempt_ids, planned[writer], strict=True):
                assert store.load_answer_set(attempt_id)["questionnaires"] == answer_set
    finally:
        store.dispose()


CHILD = textwrap.dedent(
    """
    import sys
    from readiness.storage import Store

    store = Store(sys.argv[1])
    session = store.start_candidate("physician-liaison")
    print("attempt", session.attempt_id, flush=True)
    n = 0
    while True:
        # One answer, then a batch of ten that must land whole or not at all.
        store.save_answer(session.attempt_id, "q", "1", f"single-{n}", n)
        print("ack single", n, flush=True)
        batch = {f"batch-{n}-{k}": [n, k] for k in range(10)}
        store.save_answers(session.attempt_id, {"q": {"version": "1", "answers": batch}})
        print("ack batch", n, flush=True)
        n += 1
    """
)


def test_a_killed_process_loses_no_acknowledged_answer(database_url: str) -> None:
    url = database_url
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, url],
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        text=True,
    )
    acknowledged: list[tuple[str, int]] = []
    try:
        attempt_id = int(child.stdout.readline().split()[1])
        while len(acknowledged) < 60:
            line = child.stdout.readline()
            assert line, "the writer stopped early"
            _, kind, n = line.split()
            acknowledged.append((kind, int(n)))
    finally:
        child.send_signal(signal.SIGKILL)  # no clean-up, mid-write
        child.wait(timeout=30)
        child.stdout.close()

    store = Store(url)
    try:
        if store.backend == "sqlite":
            with store.engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        answers = store.load_answer_set(attempt_id)["questionnaires"]["q"]["answers"]
        for kind, n in acknowledged:
            if kind == "single":
                assert answers[f"single-{n}"] == n
            else:
                assert all(answers[f"batch-{n}-{k}"] == [n, k] for k in range(10))
        # A batch cut short by the kill is absent, never half there.
        batches = {key.rsplit("-", 1)[0] for key in answers if key.startswith("batch-")}
        for batch in batches:
            assert sum(key.startswith(batch + "-") for key in answers) == 10
        # The database is still writable.
        store.save_answer(attempt_id, "q", "1", "after", True)
        with store.engine.connect() as connection:
            count = connection.execute(sa.text("select count(*) from answers")).scalar_one()
        assert count == len(answers) + 1
    finally:
        store.dispose()


def test_loading_content_leaves_the_cycle_collector_as_it_found_it(tmp_path: Path) -> None:
    """Loading pauses the collector; it must never leave it off, even when two loads overlap
    or a file is broken, nor turn on one the app turned off."""
    (tmp_path / "assessments").mkdir()
    (tmp_path / "assessments" / "broken.yaml").write_text("format: questionnaire/1\nid: [\n")
    errors: list[BaseException] = []

    def load() -> None:
        try:
            for _ in range(3):
                load_content(tmp_path)
                load_content()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    assert gc.isenabled()
    threads = [threading.Thread(target=load) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and gc.isenabled()
    gc.disable()
    try:
        load_content(tmp_path)
        assert not gc.isenabled()
    finally:
        gc.enable()
