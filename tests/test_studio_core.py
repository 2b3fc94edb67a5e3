"""The instructor's draft: checked with the whole root, versions enforced, saved atomically."""

import os
import shutil
import stat
from pathlib import Path

import pytest
import yaml

from readiness.content import load_content
from readiness.messages import ErrorCode
from readiness.studio import (
    Draft,
    check_draft,
    excerpt,
    questionnaire_overview,
    role_preview,
    save_draft,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def root(tmp_path):
    for folder in ("assessments", "data"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_a_broken_draft_is_located_in_its_own_lines_and_nothing_is_written(root):
    before = snapshot(root)
    text = "format: questionnaire/1\nid: quick\ntitle: Quick\nversion: '1'\nsections:\n  - id: s\n    title: S\n    questions:\n      - {id: a, type: rating, prompt: A, scale: nowhere}\n"
    draft = check_draft(root, text, "quick.yaml", load_content(root))
    assert not draft.ok
    assert [(i.file, i.line, i.loc, i.code) for i in draft.issues] == [
        ("quick.yaml", 9, "sections[0].questions[0].scale", ErrorCode.UNKNOWN_SCALE)
    ]
    assert snapshot(root) == before


@pytest.mark.parametrize("bad_id", ["../../../escaped", "/{outside}/escaped", "../x", "a/b"])
def test_a_draft_whose_id_is_a_path_writes_nothing_anywhere(root, tmp_path_factory, bad_id):
    outside = tmp_path_factory.mktemp("outside")
    bad_id = bad_id.format(outside=str(outside).strip("/"))
    before = snapshot(root)
    text = (
        f"format: questionnaire/1\nid: '{bad_id}'\ntitle: Quick\nversion: '1'\nsections:\n"
        "  - id: s\n    title: S\n    questions:\n      - {id: a, type: yes_no, prompt: A}\n"
    )
    draft = check_draft(root, text, "quick.yaml", load_content(root))
    assert [(i.line, i.loc) for i in draft.issues] == [(2, "id")]
    assert snapshot(root) == before
    assert not list(outside.rglob("*")) and not list(Path("/").glob("escaped.yaml"))


def edit(root: Path, path: Path, text: str, current) -> Draft:
    """`text` checked as the studio checks a draft opened from `path` (holding what it holds)."""
    name = str(path.relative_to(root))
    return check_draft(root, text, name, current, opened_from=path, opened_text=path.read_text())


def test_a_changed_questionnaire_needs_a_new_version(root):
    current = load_content(root)
    path = root / "assessments" / "liaison-skills.yaml"
    changed = path.read_text().replace("title: Skills", "title: Changed skills", 1)
    assert changed != path.read_text()
    draft = edit(root, path, changed, current)
    assert [i.code for i in draft.issues] == [ErrorCode.VERSION_NOT_CHANGED]
    renewed = changed.replace('version: "2026.11"', 'version: "2026.12"', 1)
    draft = edit(root, path, renewed, current)
    assert draft.ok and draft.previous_version == "2026.11" and draft.version == "2026.12"
    assert save_draft(draft) == path
    assert load_content(root).questionnaires["liaison-skills"].version == "2026.12"


def test_saving_keeps_the_files_permissions_and_gives_new_files_the_usual_ones(root):
    # A content root is often read by another account (a web server, a deploy job).
    path = root / "assessments" / "liaison-skills.yaml"
    path.chmod(0o640)
    renewed = path.read_text().replace('version: "2026.11"', 'version: "2026.12"', 1)
    renewed = renewed.replace("title: Skills", "title: Changed skills", 1)
    draft = edit(root, path, renewed, load_content(root))
    assert save_draft(draft) == path
    assert stat.S_IMODE(path.stat().st_mode) == 0o640

    umask = os.umask(0o027)
    try:
        text = (
            "format: questionnaire/1\nid: quick-check\ntitle: Quick check\nversion: '1'\n"
            "sections:\n  - id: s\n    title: S\n    questions:\n"
            "      - {id: crm, type: yes_no, prompt: Have you used a CRM?}\n"
        )
        draft = check_draft(root, text, "upload.yaml", load_content(root))
        new = save_draft(draft)
    finally:
        os.umask(umask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o640  # 0o666 less the umask 0o027


def test_the_same_content_is_not_a_change(root):
    path = root / "data" / "roles" / "physician-liaison.yaml"
    draft = edit(root, path, path.read_text(), load_content(root))
    assert draft.ok and draft.unchanged


def test_a_new_questionnaire_is_saved_under_its_id_and_offered(root):
    text = (
        "format: questionnaire/1\nid: quick-check\ntitle: Quick check\nversion: '1'\n"
        "sections:\n  - id: s\n    title: S\n    questions:\n"
        "      - {id: crm, type: yes_no, prompt: Have you used a CRM?, measures: crm-technology}\n"
    )
    draft = check_draft(root, text, "upload.yaml", load_content(root))
    assert draft.ok, draft.issues
    assert save_draft(draft) == root / "assessments" / "quick-check.yaml"
    assert "quick-check" in load_content(root).questionnaires


def test_excerpt_numbers_lines_as_in_the_file():
    assert excerpt("a: 1\nb: 2\nc: 3\n", 3) == "  2 | b: 2\n> 3 | c: 3"


def test_the_question_overview_leaves_the_weight_blank_where_nothing_is_measured(content):
    questionnaire = content.questionnaires["liaison-background"]
    table = questionnaire_overview(questionnaire).set_index("Question")
    for question in questionnaire.questions():
        expected = f"{question.weight:g}" if question.measures else ""
        assert table.loc[question.id, "Weight"] == expected
    assert "" in set(table["Weight"]) and len(set(table["Weight"])) > 1


def test_a_draft_replaces_only_the_file_it_was_opened_from(root):
    skills = root / "assessments" / "liaison-skills.yaml"
    renewed = skills.read_text().replace('version: "2026.11"', 'version: "2026.12"', 1)
    id_line = next(n for n, line in enumerate(renewed.splitlines(), 1) if line.startswith("id:"))
    # Pasted or uploaded (opened from no file), or another file given this id: refused.
    background = root / "assessments" / "liaison-background.yaml"
    for draft in (
        check_draft(root, renewed, "upload.yaml", load_content(root)),
        edit(root, background, renewed, load_content(root)),
    ):
        assert [(i.line, i.loc, i.code) for i in draft.issues] == [
            (id_line, "id", ErrorCode.DRAFT_ID_TAKEN)
        ]
        assert "assessments/liaison-skills.yaml" in draft.issues[0].message
    assert edit(root, skills, renewed, load_content(root)).ok


def test_a_draft_says_what_it_would_break_in_other_files(root):
    role = root / "data" / "roles" / "physician-liaison.yaml"
    text = role.read_text()
    # Without presentation-education, which skill questions measure.
    data = yaml.safe_load(text)
    data["competencies"] = [c for c in data["competencies"] if c["id"] != "presentation-education"]
    draft = edit(root, role, yaml.safe_dump(data, sort_keys=False), load_content(root))
    assert draft.ok, draft.issues  # valid itself
    assert {(i.file, i.code) for i in draft.breaks} == {
        ("assessments/liaison-skills.yaml", ErrorCode.UNKNOWN_COMPETENCY)
    }
    assert not edit(root, role, text, load_content(root)).breaks


def test_a_file_changed_since_it_was_opened_is_not_saved_over(root):
    path = root / "assessments" / "liaison-skills.yaml"
    opened = path.read_text()
    # Someone else saves a change after this draft was opened.
    path.write_text(opened.replace("title: Skills", "title: Their skills", 1))
    mine = opened.replace('version: "2026.11"', 'version: "2026.12"', 1)
    for text in (opened, mine):  # untouched or changed, the draft would undo theirs
        draft = check_draft(
            root, text, "assessments/liaison-skills.yaml", load_content(root),
            opened_from=path, opened_text=opened,
        )  # fmt: skip
        assert draft.changed_since_opened
        with pytest.raises(ValueError):
            save_draft(draft)
    assert "title: Their skills" in path.read_text()


def test_a_role_draft_breaking_a_questionnaire_still_counts_what_it_measures(root):
    role = root / "data" / "roles" / "physician-liaison.yaml"
    data = yaml.safe_load(role.read_text())
    data["competencies"] = [c for c in data["competencies"] if c["id"] != "presentation-education"]
    current = load_content(root)
    draft = edit(root, role, yaml.safe_dump(data, sort_keys=False), current)
    assert "liaison-skills" not in draft.preview.questionnaires  # broken by the draft
    tables = role_preview(draft.preview, draft.preview.roles["physician-liaison"], saved=current)
    assert tables.unmeasured == []  # its questions still measure the role's other skills
