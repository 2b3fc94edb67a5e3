"""Properties that hold for any content and any answers (hypothesis).

- readiness is always an integer 0–100;
- raising one rating answer never lowers readiness (questions without show_if);
- any text, bytes or YAML fed to the loader yields located issues, never an exception;
- any answer file yields located issues or a score.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from readiness.cli import read_answer_file
from readiness.content import PROJECT_ROOT, Content, load_content
from readiness.loader import load_document, parse_document, validate_model
from readiness.messages import ContentError, ErrorCode, Issue, distinct_labels
from readiness.scoring import score_answer_maps, score_one
from tests.fixtures.content import write_root

# Examples that write a content root to disk cost milliseconds each; in-memory ones far less.
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
IN_MEMORY = settings(SETTINGS, max_examples=200)


@contextmanager
def temporary_root(**files: Any) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as directory:
        yield write_root(Path(directory), **files)


def dump(data: Any) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True)


def assert_located(issues: list[Issue], files: set[str], text_lines: dict[str, int]) -> None:
    for issue in issues:
        assert isinstance(issue.code, ErrorCode)
        assert issue.file in files, issue
        assert isinstance(issue.line, int) and issue.line >= 1, issue
        # A problem at the end of a file may point one past its last line, never further.
        assert issue.line <= max(1, text_lines.get(issue.file, 1)) + 1, issue
        assert isinstance(issue.loc, str) and issue.message.strip(), issue


# Generated content ----------------------------------------------------------------------------

LEVELS = st.sampled_from([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4])
IMPORTANCE = st.floats(1, 5).map(lambda x: round(x, 2))
WEIGHT = st.sampled_from([0.25, 0.5, 1, 2, 3.5])


@st.composite
def question(draw, index: int, competencies: list[str], *, ratings_only: bool = False) -> dict:
    kinds = ["rating"] if ratings_only else ["rating", "single_choice", "multiple_choice", "yes_no", "number", "text"]  # fmt: skip
    kind = draw(st.sampled_from(kinds))
    entry: dict[str, Any] = {"id": f"q{index}", "type": kind, "prompt": "P"}
    if kind != "text":
        entry["measures"] = draw(st.sampled_from(competencies))
        entry["weight"] = draw(WEIGHT)
    if kind == "rating":
        entry["scale"] = f"s{index}"
    elif kind in ("single_choice", "multiple_choice"):
        count = draw(st.integers(2, 4))
        entry["options"] = [{"value": f"o{i}", "label": f"O{i}", "level": draw(LEVELS)} for i in range(count)]  # fmt: skip
    elif kind == "yes_no":
        entry["yes_level"] = draw(LEVELS)
    elif kind == "number":
        starts = sorted(draw(st.sets(st.integers(-5, 20), min_size=1, max_size=4)))
        entry["levels"] = [{"at_least": s, "level": draw(LEVELS)} for s in starts]
    return entry


@st.composite
def generated_content(draw, *, ratings_only: bool = False) -> dict[str, dict]:
    """The data of a valid content root: one questionnaire `gen`, one role `role`."""
    competencies = [f"c{i}" for i in range(draw(st.integers(1, 4)))]
    questions = [draw(question(i, competencies, ratings_only=ratings_only)) for i in range(draw(st.integers(1, 8)))]  # fmt: skip
    scales = {}
    for entry in questions:
        if entry["type"] == "rating":
            values = sorted(draw(st.sets(st.integers(-3, 10), min_size=2, max_size=5)))
            scales[entry["scale"]] = [{"value": v, "label": f"V{v}"} for v in values]
    questionnaire = {
        "format": "questionnaire/1",
        "id": "gen",
        "title": "Generated",
        "version": "1",
        "scales": scales,
        "sections": [{"id": "main", "title": "Main", "questions": questions}],
    }
    role = {
        "format": "role/1",
        "id": "role",
        "title": "Role",
        "competencies": [
            {
                "id": c,
                "title": c,
                "target": draw(LEVELS),
                "importance": draw(IMPORTANCE),
                "source": "S",
            }  # fmt: skip
            for c in competencies
        ],
        "bands": [{"at_least": 50, "label": "High"}, {"at_least": 0, "label": "Low"}],
    }
    return {"questionnaire": questionnaire, "role": role}


def possible_answers(entry: dict, scales: dict) -> list[Any]:
    kind = entry["type"]
    if kind == "rating":
        return [item["value"] for item in scales[entry["scale"]]]
    if kind == "single_choice":
        return [o["value"] for o in entry["options"]]
    if kind == "multiple_choice":
        values = [o["value"] for o in entry["options"]]
        return [[], values[:1], values[1:], values]
    if kind == "yes_no":
        return [True, False]
    if kind == "number":
        return [-10, 0, 1.5, 3, 25]
    return ["", "text"]


@contextmanager
def loaded(files: dict[str, dict]) -> Iterator[Content]:
    with temporary_root(
        questionnaires={"gen.yaml": dump(files["questionnaire"])},
        roles={"role.yaml": dump(files["role"])},
    ) as root:
        content = load_content(root)
        assert content.issues == [], content.issues
        yield content


@SETTINGS
@given(files=generated_content(), data=st.data())
def test_readiness_is_always_an_integer_from_0_to_100(files, data):
    with loaded(files) as content:
        questionnaire = files["questionnaire"]
        entries = questionnaire["sections"][0]["questions"]
        answer_sets = [
            {
                "gen": {
                    e["id"]: data.draw(
                        st.sampled_from([None, *possible_answers(e, questionnaire["scales"])])
                    )  # fmt: skip
                    for e in entries
                }
            }
            for _ in range(data.draw(st.integers(1, 5)))
        ]
        batch = score_answer_maps(content, "role", answer_sets)
        for row in range(batch.size):
            result = batch.result(row)
            assert isinstance(result.readiness, int)
            assert 0 <= result.readiness <= 100
            assert all(0 <= c.level <= 4 and c.gap >= 0 for c in result.competencies)
            assert result.band.at_least <= result.readiness


@SETTINGS
@given(files=generated_content(ratings_only=True), data=st.data())
def test_raising_one_rating_answer_never_lowers_readiness(files, data):
    questionnaire = files["questionnaire"]
    entries = questionnaire["sections"][0]["questions"]
    scales = questionnaire["scales"]
    answers = {
        e["id"]: data.draw(st.sampled_from([None, *possible_answers(e, scales)])) for e in entries
    }
    raisable = [
        e for e in entries
        if answers[e["id"]] is not None and answers[e["id"]] < max(possible_answers(e, scales))
    ]  # fmt: skip
    assume(raisable)
    entry = data.draw(st.sampled_from(raisable))
    higher = data.draw(st.sampled_from([v for v in possible_answers(entry, scales) if v > answers[entry["id"]]]))  # fmt: skip
    with loaded(files) as content:
        before = score_one(content, "role", {"gen": answers})
        after = score_one(content, "role", {"gen": answers | {entry["id"]: higher}})
    assert after.readiness >= before.readiness
    assert after.readiness_exact >= before.readiness_exact - 1e-9


# Any document: located issues, never an exception ---------------------------------------------

SHIPPED = {
    "questionnaire": (PROJECT_ROOT / "assessments" / "liaison-background.yaml").read_text("utf-8"),
    "role": (PROJECT_ROOT / "data" / "roles" / "physician-liaison.yaml").read_text("utf-8"),
    "skills": (PROJECT_ROOT / "assessments" / "liaison-skills.yaml").read_text("utf-8"),
}
YAML_PIECES = [":", "-", " ", "  ", "\t", "{", "}", "[", "]", "'", '"', "&a", "*a", "!!", "!x", "#", "? ", "|", ">", ",", "\n", "\x00", "é", "\ufeff", "---\n", "yes", "null", "1e5", ".inf", "0x1F", "~"]  # fmt: skip


@st.composite
def mutated(draw, text: str) -> str:
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "splice"]))
        if action == "delete":
            del lines[at]
        elif action == "duplicate":
            lines.insert(at, lines[at])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif action == "insert":
            lines.insert(at, draw(st.sampled_from(YAML_PIECES)) + draw(st.text(max_size=10)) + "\n")
        else:
            line = lines[at]
            cut = draw(st.integers(0, len(line)))
            lines[at] = line[:cut] + draw(st.sampled_from(YAML_PIECES)) + line[cut:]
    return "".join(lines)


yaml_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20),
    st.sampled_from(["questionnaire/1", "role/1", "answers/1", "rating", "yes_no", "number", "id"]),
)  # fmt: skip
yaml_keys = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "format",
            "id",
            "title",
            "version",
            "sections",
            "questions",
            "type",
            "scale",
            "scales",
            "options",
            "value",
            "label",
            "level",
            "levels",
            "at_least",
            "show_if",
            "met_if",
            "question",
            "equals",
            "all",
            "any",
            "not",
            "measures",
            "competencies",
            "bands",
            "requirements",
            "target",
            "importance",
            "source",
        ]
    ),  # fmt: skip
)
yaml_data = st.recursive(
    yaml_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(yaml_keys, children, max_size=5)
    ),  # fmt: skip
    max_leaves=25,
)


def check_root(files: dict[str, Any]) -> None:
    with temporary_root(**files) as root:
        content = load_content(root)
        paths = [p for p in root.rglob("*") if p.is_file()]
        line_counts = {str(p): p.read_bytes().count(b"\n") + 1 for p in paths}
        assert_located(content.issues, {str(p) for p in paths}, line_counts)
        for role_id in content.roles:
            score_answer_maps(content, role_id, [{}])


@SETTINGS
@given(text=mutated(SHIPPED["questionnaire"]))
def test_mutated_questionnaire_gives_located_issues(text):
    check_root({"questionnaires": {"background.yaml": text, "skills.yaml": SHIPPED["skills"]}, "roles": {"liaison.yaml": SHIPPED["role"]}})  # fmt: skip


@SETTINGS
@given(text=mutated(SHIPPED["role"]))
def test_mutated_role_gives_located_issues(text):
    check_root({"questionnaires": {"background.yaml": SHIPPED["questionnaire"], "skills.yaml": SHIPPED["skills"]}, "roles": {"liaison.yaml": text}})  # fmt: skip


@SETTINGS
@given(data=yaml_data, folder=st.sampled_from(["questionnaires", "roles"]))
def test_random_yaml_data_gives_located_issues(data, folder):
    check_root({folder: {"random.yaml": dump(data)}} | ({"questionnaires": {}} if folder == "roles" else {"roles": {}}))  # fmt: skip


@SETTINGS
@given(text=st.text(max_size=300), folder=st.sampled_from(["questionnaires", "roles", "market"]))
def test_random_text_gives_located_issues(text, folder):
    name = "random.csv" if folder == "market" else "random.yaml"
    check_root({folder: {name: text}} | ({} if folder == "questionnaires" else {"questionnaires": {}}))  # fmt: skip


@IN_MEMORY
@given(raw=st.binary(max_size=300), expected=st.sampled_from([None, "questionnaire/1", "role/1", "answers/1"]))  # fmt: skip
def test_random_bytes_give_located_issues(raw, expected):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "random.yaml"
        path.write_bytes(raw)
        document = load_document(path, "random.yaml", expected=expected)
    assert_located(document.issues, {"random.yaml"}, {"random.yaml": raw.count(b"\n") + 1})


@IN_MEMORY
@given(text=st.text(max_size=200))
def test_random_text_as_an_answer_file_parses_or_gives_issues(text):
    document = parse_document(text, "answers.yaml", expected="answers/1")
    validate_model(document)
    assert_located(document.issues, {"answers.yaml"}, {"answers.yaml": text.count("\n") + 1})
    assert (document.model is None) == bool(document.issues)


# Any answer file: located issues or a score ---------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Content:
    content = load_content(PROJECT_ROOT)
    assert content.issues == []
    return content


def question_ids(content: Content) -> dict[str, list[str]]:
    return {qid: [q.id for q in model.questions()] for qid, model in content.questionnaires.items()}


answer_values = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 60), st.floats(), st.text(max_size=8),
    st.sampled_from(["bachelor", "none", "salesforce", "hubspot", "", "yes"]),
    st.lists(st.sampled_from(["salesforce", "hubspot", "veeva", "cmr", "chbc", "x"]), max_size=4),
)  # fmt: skip


@st.composite
def answer_documents(draw) -> dict:
    ids = {
        "liaison-skills": ["explain-service", "crm-logging", "organize-event", "nope"],
        "liaison-background": [
            "education",
            "years-sales",
            "certifications",
            "used-crm",
            "crm-tools",
            "travel",
            "goals",
        ],  # fmt: skip
        "unknown-questionnaire": ["x"],
    }
    chosen = draw(st.lists(st.sampled_from(sorted(ids)), unique=True, max_size=3))
    return {
        "format": "answers/1",
        "role": draw(st.sampled_from(["physician-liaison", "someone-else"])),
        "questionnaires": {
            qid: {
                "version": draw(st.sampled_from(["2026.11", "1999.1"])),
                "answers": draw(
                    st.dictionaries(st.sampled_from(ids[qid]), answer_values, max_size=6)
                ),  # fmt: skip
            }
            for qid in chosen
        },
    }


@SETTINGS
@given(document=answer_documents())
def test_any_answer_file_gives_located_issues_or_a_score(shipped, document):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "answers.yaml"
        text = dump(document)
        path.write_text(text, encoding="utf-8")
        try:
            answer_set = read_answer_file(path, shipped)
        except ContentError as error:
            assert error.issues
            assert_located(error.issues, {str(path)}, {str(path): text.count("\n") + 1})
            return
    answers = {qid: dict(entry.answers) for qid, entry in answer_set.questionnaires.items()}
    result = score_one(shipped, "physician-liaison", answers)
    assert 0 <= result.readiness <= 100
    assert {r.status for r in result.requirements} <= {"met", "unmet", "unknown"}


# Labels and tags from a small alphabet, so that names clash often, also once tagged.
CLASHING_LABELS = st.sampled_from(["X", "X (a)", "X (b)", "X (a) #1", "X (a) #2", "Y"])


@given(st.lists(st.tuples(CLASHING_LABELS, st.sampled_from(["a", "b"])), max_size=10))
@IN_MEMORY
def test_distinct_labels_tell_every_choice_apart(pairs):
    choices = [(key, label, tag) for key, (label, tag) in enumerate(pairs)]
    names = distinct_labels(choices)
    assert len(set(names.values())) == len(choices)
    for key, label, _ in choices:
        assert names[key].startswith(label)
        others = [other for other_key, other, _ in choices if other_key != key]
        if not any(label.startswith(other) for other in others):
            assert names[key] == label  # nothing could read as it: the label as written


def test_distinct_labels_call_a_tag_function_only_for_a_label_shared():
    def never() -> str:
        raise AssertionError("called for a label no other choice has")

    choices = [(1, "Sam", lambda: "1 Nov"), (2, "Sam", lambda: "2 Nov"), (3, "Kim", never)]
    assert distinct_labels(choices) == {1: "Sam (1 Nov)", 2: "Sam (2 Nov)", 3: "Kim"}
