"""The documentation cannot go stale silently: schemas, examples, codes and CLI options are checked."""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from readiness.cli import build_parser
from readiness.content import PROJECT_ROOT, load_content
from readiness.loader import parse_document, validate_model
from readiness.messages import ErrorCode
from tests.fixtures.cli import run_cli
from tests.fixtures.content import questionnaire_yaml, role_yaml

DOCS = PROJECT_ROOT / "docs"
SCHEMA_DIR = DOCS / "schema"


# JSON Schemas ---------------------------------------------------------------------------------


def test_committed_schemas_match_the_models(tmp_path):
    result = run_cli("schema", str(tmp_path))
    assert result.returncode == 0, result.stderr
    generated = sorted(p.name for p in tmp_path.glob("*.json"))
    committed = sorted(p.name for p in SCHEMA_DIR.glob("*.json"))
    assert (
        generated
        == committed
        == [
            "answers.schema.json",
            "questionnaire.schema.json",
            "role.schema.json",
        ]
    )
    for name in generated:
        assert (tmp_path / name).read_text(encoding="utf-8") == (SCHEMA_DIR / name).read_text(
            encoding="utf-8"
        ), f"docs/schema/{name} is stale: run `python -m readiness schema docs/schema`"


SHIPPED = [
    ("questionnaire", path) for path in sorted((PROJECT_ROOT / "assessments").glob("*.yaml"))
] + [("role", path) for path in sorted((PROJECT_ROOT / "data" / "roles").glob("*.yaml"))]


@pytest.mark.parametrize(("kind", "path"), SHIPPED, ids=[p.name for _, p in SHIPPED])
def test_shipped_content_passes_the_editor_schema(kind, path):
    # An editor must not underline a file that the app accepts.
    schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]
    assert errors == []


def test_editor_schema_flags_a_typo_in_a_condition():
    schema = json.loads((SCHEMA_DIR / "questionnaire.schema.json").read_text(encoding="utf-8"))
    data = yaml.safe_load((PROJECT_ROOT / "assessments" / "liaison-background.yaml").read_text())
    data["sections"][0]["questions"][1]["show_if"] = {"question": "education", "inn": ["master"]}
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data))


def editor_errors(kind: str, text: str) -> list[str]:
    """What an editor underlines in a file of `kind`, by the committed schema."""
    schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    data = yaml.safe_load(text)
    return [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]


def in_content_root(kind: str, text: str) -> dict[str, dict[str, str]]:
    """`content_case` files with `text` in place of the minimal file of its kind."""
    if kind == "questionnaire":
        return {"questionnaires": {"skills.yaml": text}}
    return {"roles": {"analyst.yaml": text}}


# Optional keys written with no value: `validate` reads them as left out.
EMPTY_OPTIONAL_KEYS = [
    (
        "questionnaire",
        questionnaire_yaml(
            """
            - id: travel
              type: yes_no
              prompt: Can you travel?
              weight:
              yes_level:
            """,
            scales=None,
            head="scales:",
        ),
    ),
    (
        "role",
        role_yaml(
            """
            - id: communication
              title: Communication
              target: 3
              importance: 4
              source: S
              actions:
            """,
            tail="related_occupations:\nrequirements:\ncareer_steps:",
        ),
    ),
]


@pytest.mark.parametrize(("kind", "text"), EMPTY_OPTIONAL_KEYS, ids=["questionnaire", "role"])
def test_editor_schema_accepts_optional_keys_left_empty(kind, text, content_case):
    content_case(**in_content_root(kind, text))
    assert editor_errors(kind, text) == []


@pytest.mark.parametrize("version", ["2026.10", "3"])
def test_editor_schema_accepts_a_version_without_quotes(version, content_case):
    # The guide says a version needs no quotes: validate keeps 2026.10 as written.
    text = questionnaire_yaml().replace('version: "1"', f"version: {version}")
    content_case(**in_content_root("questionnaire", text))
    assert editor_errors("questionnaire", text) == []
    answers = (
        "format: answers/1\nrole: analyst\nquestionnaires:\n"
        f"  skills: {{version: {version}, answers: {{}}}}\n"
    )
    document = parse_document(answers, "answers.yaml", expected="answers/1")
    validate_model(document)
    assert document.issues == []
    assert editor_errors("answers", answers) == []


BLANK_TEXT = [
    ("questionnaire", questionnaire_yaml().replace("title: Skills", 'title: "  "'), "title"),
    ("questionnaire", questionnaire_yaml("- {id: travel, type: yes_no, prompt: ' '}"), "prompt"),
    (
        "role",
        role_yaml("- {id: communication, title: C, target: 3, importance: 4, source: ' '}"),
        "source",
    ),
]


@pytest.mark.parametrize(("kind", "text", "field"), BLANK_TEXT, ids=[f for _, _, f in BLANK_TEXT])
def test_editor_schema_flags_text_of_spaces_as_validate_does(kind, text, field):
    document = parse_document(text, "file.yaml", expected=f"{kind}/1")
    validate_model(document)
    assert [(i.loc.rsplit(".", 1)[-1], i.code) for i in document.issues] == [
        (field, ErrorCode.EMPTY_TEXT)
    ]
    assert editor_errors(kind, text)


def with_condition(kind: str, condition: str) -> str:
    """A questionnaire whose second question has `show_if: condition`, or a role profile whose
    requirement has `met_if: condition` (it may test skills.presenting, a rating)."""
    if kind == "questionnaire":
        return questionnaire_yaml(
            f"""
            - {{id: travel, type: yes_no, prompt: Can you travel}}
            - {{id: where, type: text, prompt: Where to, show_if: {condition}}}
            """
        )
    return role_yaml(requirements=f"- {{id: r, title: R, source: S, met_if: {condition}}}")


CONDITIONS_VALIDATE_REFUSES = [
    ("questionnaire", "{all: []}", ErrorCode.WRONG_TYPE),
    ("questionnaire", "{any: []}", ErrorCode.WRONG_TYPE),
    ("questionnaire", "{not: {all: []}}", ErrorCode.WRONG_TYPE),
    ("questionnaire", "{question: travel, in: []}", ErrorCode.WRONG_TYPE),
    ("role", "{question: skills.presenting, in: []}", ErrorCode.WRONG_TYPE),
    ("role", "{question: presenting, at_least: 3}", ErrorCode.CONDITION_REFERENCE_FORM),
    ("role", "{question: 'skills.', answered: true}", ErrorCode.CONDITION_REFERENCE_FORM),
]


@pytest.mark.parametrize(("kind", "condition", "code"), CONDITIONS_VALIDATE_REFUSES)
def test_editor_schema_flags_conditions_that_validate_refuses(kind, condition, code, make_root):
    text = with_condition(kind, condition)
    issues = load_content(make_root(**in_content_root(kind, text))).issues
    assert [issue.code for issue in issues] == [code]
    assert editor_errors(kind, text)


@pytest.mark.parametrize(
    ("kind", "condition"),
    [
        ("questionnaire", "{all: [{question: travel, equals: true}]}"),
        ("questionnaire", "{not: {question: travel, in: [true]}}"),
        ("role", "{any: [{question: skills.presenting, at_least: 3}]}"),
    ],
)
def test_editor_schema_accepts_conditions_that_validate_accepts(kind, condition, content_case):
    text = with_condition(kind, condition)
    content_case(**in_content_root(kind, text))
    assert editor_errors(kind, text) == []


MEASURED_QUESTIONS_VALIDATE_REFUSES = [
    (
        "- {id: degree, type: single_choice, prompt: Degree, measures: communication,\n"
        "   options: [{value: a, label: A, level: 2}, {value: b, label: B}]}",
        ErrorCode.LEVEL_REQUIRED,
    ),
    (
        "- {id: languages, type: multiple_choice, prompt: Languages, measures: communication,\n"
        "   options: [{value: en, label: English}, {value: es, label: Spanish, level: }]}",
        ErrorCode.LEVEL_REQUIRED,
    ),
    (
        "- {id: years, type: number, prompt: Years, measures: communication}",
        ErrorCode.LEVELS_REQUIRED,
    ),
    (
        "- {id: years, type: number, prompt: Years, measures: communication, levels: []}",
        ErrorCode.LEVELS_REQUIRED,
    ),
    ("- {id: notes, type: text, prompt: Notes, measures: communication}", ErrorCode.NOT_FOR_TYPE),
]


@pytest.mark.parametrize(("question", "code"), MEASURED_QUESTIONS_VALIDATE_REFUSES)
def test_editor_schema_flags_what_measures_requires(question, code, make_root):
    text = questionnaire_yaml(question)
    issues = load_content(make_root(**in_content_root("questionnaire", text))).issues
    assert {issue.code for issue in issues} == {code}
    assert editor_errors("questionnaire", text)


@pytest.mark.parametrize(
    "question",
    [
        "- {id: degree, type: single_choice, prompt: Degree, options: [{value: a, label: A},\n"
        "   {value: b, label: B}]}",
        "- {id: years, type: number, prompt: Years, measures: , levels: []}",
        "- {id: years, type: number, prompt: Years, measures: communication,\n"
        "   levels: [{at_least: 0, level: 0}, {at_least: 2, level: 4}]}",
        "- {id: notes, type: text, prompt: Notes, measures: }",
    ],
)
def test_editor_schema_accepts_questions_that_measure_nothing_or_enough(question, content_case):
    text = questionnaire_yaml(question)
    content_case(**in_content_root("questionnaire", text))
    assert editor_errors("questionnaire", text) == []


# docs/authoring.md ----------------------------------------------------------------------------

AUTHORING = DOCS / "authoring.md"
FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def fenced_blocks(path: Path = AUTHORING) -> list[tuple[str, str]]:
    """(info string, body) of every fenced code block, in order."""
    return [(info.strip(), body) for info, body in FENCE.findall(path.read_text("utf-8"))]


def complete_files() -> list[str]:
    """```yaml blocks that are whole files: they start with `format:`."""
    return [b for info, b in fenced_blocks() if info == "yaml" and b.startswith("format:")]


def broken_files() -> list[str]:
    return [body for info, body in fenced_blocks() if info == "yaml broken"]


def _field(text: str, key: str) -> str:
    match = re.search(rf"^{key}: *(\S+)", text, re.MULTILINE)
    assert match, f"no top-level {key}: in\n{text}"
    return match.group(1)


def _where(text: str) -> str:
    """Where a content root keeps a file of this format and id."""
    folder = {"questionnaire/1": "assessments", "role/1": "data/roles"}[_field(text, "format")]
    return f"{folder}/{_field(text, 'id')}.yaml"


def _place(root: Path, text: str) -> Path:
    path = root / _where(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def docs_root(tmp_path: Path) -> Path:
    """A content root holding every complete questionnaire and role profile of the guide."""
    root = tmp_path / "content"
    for text in complete_files():
        if _field(text, "format") != "answers/1":
            _place(root, text).write_text(text, encoding="utf-8")
    return root


def test_guide_has_examples_to_check():
    formats = [_field(text, "format") for text in complete_files()]
    assert {"questionnaire/1", "role/1", "answers/1"} <= set(formats)
    assert len(broken_files()) >= 5


def test_complete_yaml_examples_are_valid_together(tmp_path):
    content = load_content(docs_root(tmp_path))
    assert [str(issue) for issue in content.issues] == []
    assert content.questionnaires and content.roles


@pytest.mark.parametrize("text", broken_files(), ids=lambda text: _expected_code(text).name)
def test_broken_yaml_examples_produce_the_named_issue(text, tmp_path):
    root = docs_root(tmp_path)
    path = _place(root, text)  # replaces the good file with the same id
    path.write_text(text, encoding="utf-8")
    codes = {issue.code for issue in load_content(root).issues if issue.file == str(path)}
    assert _expected_code(text) in codes


def _expected_code(text: str) -> ErrorCode:
    match = re.search(r"#\s*expect:\s*([A-Z_0-9]+)", text)
    assert match, f"a broken example names its issue in a '# expect: CODE' comment:\n{text}"
    return ErrorCode[match.group(1)]


def _worked_example() -> tuple[str, str, dict]:
    """The guide's answer set, the role of its score command, and the JSON output shown."""
    blocks = fenced_blocks()
    answers = next(b for info, b in blocks if info == "yaml" and b.startswith("format: answers/1"))
    command = next(b for info, b in blocks if "readiness score --role" in b)
    role = re.search(r"--role (\S+)", command).group(1)
    index = next(i for i, (_, b) in enumerate(blocks) if b is command)
    output = next(json.loads(b) for info, b in blocks[index:] if info == "json")
    return answers, role, output


def test_worked_score_is_what_the_command_line_prints(tmp_path):
    answers, role, shown = _worked_example()
    root = docs_root(tmp_path)
    (tmp_path / "answers.yaml").write_text(answers, encoding="utf-8")
    result = run_cli("score", "--role", role, "answers.yaml", "--content", str(root), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == shown
    assert "which rounds to **80**" in AUTHORING.read_text("utf-8")
    assert shown["readiness"] == 80


def test_old_answer_sets_score_against_the_current_version(tmp_path):
    answers, role, shown = _worked_example()
    root = docs_root(tmp_path)
    questionnaire = next(root.glob("assessments/*.yaml"))
    text = questionnaire.read_text(encoding="utf-8")
    questionnaire.write_text(text.replace('version: "1"', 'version: "2"', 1), encoding="utf-8")
    assert 'version: "1"' in answers
    (tmp_path / "answers.yaml").write_text(answers, encoding="utf-8")
    result = run_cli("score", "--role", role, "answers.yaml", "--content", str(root), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == shown


def test_sample_validate_output_is_what_validate_prints(tmp_path):
    sample = next(b for info, b in fenced_blocks() if info == "text" and "requierd" in b)
    root = docs_root(tmp_path)
    path = root / "assessments" / "front-desk-check.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("estimated_minutes: 5", "estimated_minutes: five", 1)
    text = text.replace("        required: false", "        requierd: false", 1)
    path.write_text(text, encoding="utf-8")
    result = run_cli("validate", "--content", ".", cwd=root)
    assert result.returncode == 1
    assert result.stdout == sample


def test_every_error_code_is_documented():
    text = AUTHORING.read_text("utf-8")
    missing = [code.name for code in ErrorCode if f"`{code.name}`" not in text]
    assert missing == [], "add these codes to docs/authoring.md, section 'Error codes'"


def _all_docs_text() -> str:
    paths = [PROJECT_ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]
    return "\n".join(path.read_text("utf-8") for path in paths)


def test_every_command_and_option_is_documented():
    text = _all_docs_text()
    parser = build_parser()
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    undocumented = []
    for name, command in commands.choices.items():
        if f"readiness {name}" not in text:
            undocumented.append(f"python -m readiness {name}")
        for action in command._actions:
            for option in action.option_strings:
                if option in ("-h", "--help"):
                    continue
                if not re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text):
                    undocumented.append(f"{name} {option}")
    assert undocumented == [], "document these in README.md or docs/*.md"


def test_files_the_guide_names_exist():
    text = AUTHORING.read_text("utf-8")
    named = set(re.findall(r"`((?:docs|assessments|data)/[\w./-]+\.\w+)`", text))
    examples = {_where(body) for body in complete_files()[:2]}
    assert "docs/examples/liaison-quick-check.xlsx" in named
    assert examples <= named  # where the guide tells authors to save its example files
    assert [path for path in sorted(named - examples) if not (PROJECT_ROOT / path).exists()] == []


def _markdown_tables(text: str) -> list[list[list[str]]]:
    """Every table as rows of stripped cells, the header row first, the --- row dropped."""
    tables, current = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if not all(set(cell) <= {"-", " ", ":"} for cell in cells):
                current.append(cells)
        elif current:
            tables.append(current)
            current = []
    return tables


@pytest.mark.parametrize("sheet", ["survey", "choices"])
def test_example_workbook_tables_show_the_committed_workbook(sheet):
    from openpyxl import load_workbook

    worksheet = load_workbook(DOCS / "examples" / "liaison-quick-check.xlsx")[sheet]
    header = [cell.value for cell in worksheet[1]]
    (table,) = [
        t
        for t in _markdown_tables(AUTHORING.read_text("utf-8"))
        if t[0][:2] == ["row", "`type`" if sheet == "survey" else "`list`"]
    ]
    columns = [name.strip("`") for name in table[0][1:]]
    shown_rows = [int(row[0]) for row in table[1:]]
    assert shown_rows == list(range(2, worksheet.max_row + 1))
    for row in table[1:]:
        for column, shown in zip(columns, row[1:], strict=True):
            value = worksheet.cell(int(row[0]), header.index(column) + 1).value
            assert shown.strip("`") == ("" if value is None else str(value)), (row[0], column)


def test_the_documented_content_security_policy_allows_the_apps_own_scripts():
    from ui.questions import FOCUS_FIRST_MISSING, FOCUS_STEP_HEADING

    deploy = (PROJECT_ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    (policy,) = re.findall(r'add_header Content-Security-Policy "([^"]+)"', deploy)
    for script in (FOCUS_STEP_HEADING, FOCUS_FIRST_MISSING):
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy, "update the hash in docs/deploy.md"
