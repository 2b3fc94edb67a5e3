"""The bad-input corpus through the app's own doors: the studio's upload check saves nothing
and the candidate's answers-file restore loses nothing, whatever the file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from readiness.content import load_content
from readiness.journey import read_uploaded_answers
from readiness.storage import Store
from readiness.studio import check_draft, save_draft

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parent / "bad_inputs"
MANIFEST = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))
YAML_ENTRIES = [e for e in MANIFEST if not e["file"].endswith(".csv")]


def corpus_bytes(entry: dict) -> bytes:
    if "generate_bytes" in entry:
        return b"format: questionnaire/1\ndescription: " + b"x" * entry["generate_bytes"] + b"\n"
    return (CORPUS / entry["file"]).read_bytes()


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def content_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("content")
    for folder in ("assessments", "data"):
        shutil.copytree(REPO / folder, root / folder)
    return root


@pytest.mark.parametrize("entry", YAML_ENTRIES, ids=lambda entry: entry["file"])
def test_the_studio_refuses_every_broken_file_and_saves_nothing(entry, content_root):
    before = snapshot(content_root)
    name = Path(entry["file"]).name
    draft = check_draft(content_root, corpus_bytes(entry), name, load_content(content_root))
    if draft.ok:
        # Only a file whose fault is its folder (a role under assessments/) is fine on its own.
        assert entry["message"].startswith("this folder holds"), f"{name} passed the checks"
        return
    assert draft.issues and all(issue.file == name and issue.line >= 1 for issue in draft.issues)
    with pytest.raises(ValueError):
        save_draft(draft)
    assert snapshot(content_root) == before


@pytest.fixture(scope="module")
def store_with_answers(tmp_path_factory):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('db') / 'app.db'}")
    session = store.start_candidate("physician-liaison")
    store.save_answer(session.attempt_id, "liaison-skills", "2026.11", "explain-service", 3)
    yield store, session
    store.dispose()


@pytest.mark.parametrize("entry", MANIFEST, ids=lambda entry: entry["file"])
def test_restoring_any_broken_file_is_refused_and_loses_nothing(entry, store_with_answers):
    store, session = store_with_answers
    content = load_content(REPO)
    counts, saved = store.counts(), store.load_answer_set(session.attempt_id)
    name = Path(entry["file"]).name
    answer_set, issues = read_uploaded_answers(corpus_bytes(entry), name, content)
    assert answer_set is None
    assert issues and all(issue.file == name and issue.line >= 1 for issue in issues)
    assert store.counts() == counts
    assert store.load_answer_set(session.attempt_id) == saved
