"""Spreadsheet workbooks to questionnaires: the example converts exactly, and every broken workbook
is reported at the sheet, row and column where the author can fix it, without an exception."""

from __future__ import annotations

import importlib.util
import io
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.styles import Font

from readiness import xlsform
from readiness.content import PROJECT_ROOT
from readiness.messages import ErrorCode
from readiness.xlsform import questionnaire_yaml, workbook_to_questionnaire
from readiness.yamlsafe import parse_yaml
from tests.fixtures.cli import run_cli

EXAMPLES = PROJECT_ROOT / "docs" / "examples"
EXAMPLE_XLSX = EXAMPLES / "liaison-quick-check.xlsx"
EXAMPLE_YAML = EXAMPLES / "liaison-quick-check.yaml"

_spec = importlib.util.spec_from_file_location(
    "make_example", EXAMPLES / "make_example_workbook.py"
)
make_example = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_example)

# The example's survey sheet, for the edits below: columns A type, B id, C prompt, D help,
# E required, F show_if, G measures, H weight, I min, J max, K levels, L yes_level.
# Rows: 2 begin physicians, 3 explain-service, 4 first-meeting, 5 handle-complaint, 6 end,
# 7 blank, 8 begin tools-events, 9 crm-use (single_choice crm), 10 referral-reports (number),
# 11 terminology-course (yes_no), 12 ran-event, 13 event-kinds (multiple_choice events),
# 14 notes (text), 15 end. choices: rows 2-5 list crm, 6-9 list events; scales: rows 2-6.


def workbook_bytes(edit: Callable[[Workbook], object] | None = None) -> bytes:
    """The example workbook, changed by `edit`, as .xlsx bytes."""
    workbook = make_example.build_workbook()
    if edit is not None:
        edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def convert(data: bytes, root: Path = PROJECT_ROOT):
    return workbook_to_questionnaire(data, content_root=root, name="quick.xlsx")


def located(issues) -> list[tuple[int, str, ErrorCode]]:
    return [(issue.line, issue.loc, issue.code) for issue in issues]


# The good workbook -----------------------------------------------------------------------------


def test_example_workbook_converts_to_the_committed_yaml():
    text, issues = workbook_to_questionnaire(EXAMPLE_XLSX, content_root=PROJECT_ROOT)
    assert issues == []
    assert text == EXAMPLE_YAML.read_text(encoding="utf-8")


def test_example_script_builds_the_committed_workbook():
    # The script, the .xlsx and the .yaml in docs/examples/ cannot drift apart.
    text, issues = convert(workbook_bytes())
    assert issues == []
    assert text == EXAMPLE_YAML.read_text(encoding="utf-8").replace(
        "liaison-quick-check.xlsx", "quick.xlsx"
    )


def test_example_yaml_is_valid_content_measuring_the_shipped_role():
    from readiness.content import load_content

    content = load_content(PROJECT_ROOT, extra=[EXAMPLE_YAML])
    assert [str(i) for i in content.issues] == []
    questionnaire = content.questionnaires["liaison-quick-check"]
    competencies = {c.id for c in content.roles["physician-liaison"].competencies}
    measured = {q.measures for q in questionnaire.questions() if q.measures}
    assert measured and measured <= competencies
    assert {q.type for q in questionnaire.questions()} == {
        "rating", "single_choice", "multiple_choice", "yes_no", "number", "text",
    }  # fmt: skip


def test_conversion_keeps_values_and_layout():
    text, _ = convert(workbook_bytes())
    data = parse_yaml(text, "x").data
    assert data["version"] == "2026.11"
    number = data["sections"][1]["questions"][1]
    assert number["levels"] == [
        {"at_least": 0, "level": 0},
        {"at_least": 1, "level": 1},
        {"at_least": 3, "level": 2},
        {"at_least": 10, "level": 3},
    ]
    kinds = data["sections"][1]["questions"][4]
    assert kinds["show_if"] == {"question": "ran-event", "equals": True}
    assert data["sections"][1]["questions"][5]["required"] is False
    assert "        options:\n          - {value: none," in text


def test_spreadsheet_habits_are_accepted():
    def edit(workbook):
        survey = workbook["survey"]
        survey["A1"] = " Type "  # header names: any case, spaces around
        survey["A3"] = "rating"  # the scale in its own column instead of in the type
        survey["M1"], survey["M3"] = "scale", "proficiency"
        survey["E3"] = True  # a TRUE/FALSE cell for required
        survey["H4"] = "2"  # a number typed as text
        survey["F13"] = "{question: ran-event, equals: true}"
        survey["C14"] = "Anything else?\nWrite as much as you like."  # Alt+Enter in a cell
        workbook["settings"].title = "tmp"
        workbook["tmp"].title = "Settings"  # sheet names: any case

    text, issues = convert(workbook_bytes(edit))
    assert issues == []
    data = parse_yaml(text, "x").data
    first = data["sections"][0]["questions"][0]
    assert (first["scale"], first["required"]) == ("proficiency", True)
    assert data["sections"][0]["questions"][1]["weight"] == 2
    assert "prompt: |-\n          Anything else?\n          Write as much" in text


def test_numbers_in_text_columns_are_text():
    # A spreadsheet has no quotes to make a number text: a scale labelled 0 to 4, say.
    def edit(workbook):
        for row in range(2, 7):
            workbook["scales"].cell(row, 3).value = row - 2
        workbook["choices"]["C2"] = 2.5
        workbook["survey"]["C3"] = True  # TRUE, as the cell shows it

    text, issues = convert(workbook_bytes(edit))
    assert issues == []
    data = parse_yaml(text, "x").data
    assert [entry["label"] for entry in data["scales"]["proficiency"]] == ["0", "1", "2", "3", "4"]
    assert data["sections"][1]["questions"][0]["options"][0]["label"] == "2.5"
    assert data["sections"][0]["questions"][0]["prompt"] == "TRUE"


@pytest.mark.parametrize(
    "value",
    ["yes", "null", "#hash", "a: b", "- item", "'quoted'", '"double"', "  ", "100", "true",
     "line one\nline two", "tab\there", "ünïcode ✓", "{not: flow}", "@at", "%percent", "*star",
     "1e3", "-2E+5"],
)  # fmt: skip
def test_yaml_reads_back_as_written(value):
    data = {
        "format": "questionnaire/1",
        "id": "x",
        "title": value,
        "version": value,
        "sections": [{"id": "s", "title": value, "questions": [{"id": "q", "prompt": value}]}],
    }
    text = questionnaire_yaml(data, "x.xlsx")
    assert parse_yaml(text, "x").data == data


def test_text_in_exponent_form_stays_text():
    # PyYAML writes the text 1e3 unquoted, and our reader (as YAML 1.2 and JSON) reads a number.
    def edit(workbook):
        workbook["survey"]["C3"] = "1e3"
        workbook["choices"]["B2"] = "2e5"
        workbook["survey"]["J10"] = "1e3"  # in a number column, the number it spells

    text, issues = convert(workbook_bytes(edit))
    assert issues == []
    sections = parse_yaml(text, "x").data["sections"]
    assert sections[0]["questions"][0]["prompt"] == "1e3"
    assert sections[1]["questions"][0]["options"][0]["value"] == "2e5"
    assert sections[1]["questions"][1]["max"] == 1000


# Broken workbooks ------------------------------------------------------------------------------

SURVEY_ROW = "survey row"


def _rename_survey(workbook):
    workbook["survey"].title = "Survey questions"


def _drop_prompt_column(workbook):
    workbook["survey"].delete_cols(3)


def _unknown_type(workbook):
    workbook["survey"]["A12"] = "select_one yesno"


def _formula(workbook):
    workbook["survey"]["C4"] = '=CONCAT("Get a first ", "meeting")'


def _merged(workbook):
    workbook["survey"].merge_cells("C3:D3")


def _bad_list(workbook):
    workbook["survey"]["A9"] = "single_choice crms"


def _bad_scale(workbook):
    workbook["survey"]["A5"] = "rating likert"


def _typo_column(workbook):
    workbook["survey"]["M1"], workbook["survey"]["M14"] = "requierd", "no"


def _unknown_measure(workbook):
    workbook["survey"]["G4"] = "relationships"


def _negative_weight(workbook):
    workbook["survey"]["H4"] = -1


def _bad_levels(workbook):
    workbook["survey"]["K10"] = "0-0, 1-1"


def _version_number(workbook):
    workbook["settings"]["C2"] = 2026.11


def _later_condition(workbook):
    workbook["survey"]["F3"] = "{question: notes, answered: true}"


def _condition_syntax(workbook):
    workbook["survey"]["F13"] = "{question: ran-event, equals: [true}"


def _condition_without_braces(workbook):
    workbook["survey"]["F13"] = "question: ran-event, equals: true"


def _duplicate_id(workbook):
    workbook["survey"]["B5"] = "explain-service"


def _duplicate_choice(workbook):
    workbook["choices"]["B5"] = "none"


def _missing_level(workbook):
    workbook["choices"]["D7"] = None


def _missing_end(workbook):
    workbook["survey"]["A6"] = None


def _question_outside_section(workbook):
    workbook["survey"]["A7"], workbook["survey"]["B7"] = "text", "stray"
    workbook["survey"]["C7"] = "Between two sections"


def _required_maybe(workbook):
    workbook["survey"]["E14"] = "maybe"


def _min_on_rating(workbook):
    workbook["survey"]["I3"] = 0


def _date_cell(workbook):
    import datetime

    workbook["survey"]["C3"] = datetime.date(2026, 11, 1)


def _no_settings_values(workbook):
    workbook["settings"].delete_rows(2)


def _empty_survey(workbook):
    workbook["survey"].delete_rows(1, 20)


def _bad_id(workbook):
    workbook["survey"]["B10"] = "Referral Reports"


def _one_option(workbook):
    workbook["choices"].delete_rows(3, 3)


BROKEN = {
    "wrong sheet name": (
        _rename_survey,
        [(1, "", ErrorCode.XLSX_SHEET_MISSING, "rename the sheet 'Survey questions' to 'survey'")],
    ),
    "missing column": (
        _drop_prompt_column,
        [(1, "survey row 1", ErrorCode.XLSX_COLUMN_MISSING, "no column 'prompt'")],
    ),
    "unknown type": (
        _unknown_type,
        [(12, "survey!A12 (type)", ErrorCode.XLSX_UNKNOWN_TYPE, "(in this format: single_choice")],
    ),
    "formula": (
        _formula,
        [(4, "survey!C4 (prompt)", ErrorCode.XLSX_FORMULA, "formulas are not supported")],
    ),
    "merged cells": (
        _merged,
        [(3, "survey row 3", ErrorCode.XLSX_MERGED_CELLS, "merged cells C3:D3")],
    ),
    "unknown choice list": (
        _bad_list,
        [(9, "survey!A9 (type)", ErrorCode.XLSX_UNKNOWN_LIST, "did you mean 'crm'?")],
    ),
    "unknown scale": (
        _bad_scale,
        [(5, "survey!A5 (type)", ErrorCode.XLSX_UNKNOWN_LIST, "no scale 'likert'")],
    ),
    "typo in a column name": (
        _typo_column,
        [(1, "survey!M1 (requierd)", ErrorCode.XLSX_UNKNOWN_COLUMN, "did you mean 'required'?")],
    ),
    "unknown competency": (
        _unknown_measure,
        [(4, "survey!G4 (measures)", ErrorCode.UNKNOWN_COMPETENCY, "'relationships'")],
    ),
    "negative weight": (
        _negative_weight,
        [(4, "survey!H4 (weight)", ErrorCode.OUT_OF_RANGE, "greater than 0 (got -1)")],
    ),
    "levels text": (
        _bad_levels,
        [(10, "survey!K10 (levels)", ErrorCode.WRONG_TYPE, "such as 0:0, 1:2, 3:4")],
    ),
    "version typed as a number": (
        _version_number,
        [(2, "settings!C2 (version)", ErrorCode.XLSX_CELL_VALUE, "format the cell as Text")],
    ),
    "condition on a later question": (
        _later_condition,
        [(3, "survey!F3 (show_if)", ErrorCode.CONDITION_LATER_QUESTION, "(survey row 14)")],
    ),
    "condition syntax": (
        _condition_syntax,
        [(13, "survey!F13 (show_if)", ErrorCode.YAML_SYNTAX, "YAML syntax error")],
    ),
    "condition without braces": (
        _condition_without_braces,
        [(13, "survey!F13 (show_if)", ErrorCode.YAML_SYNTAX, "write the condition in braces")],
    ),
    "duplicate question id": (
        _duplicate_id,
        [(5, "survey!B5 (id)", ErrorCode.DUPLICATE_ID, "(first at survey row 3)")],
    ),
    "duplicate option value": (
        _duplicate_choice,
        [(5, "choices!B5 (value)", ErrorCode.DUPLICATE_VALUE, "(first at choices row 2)")],
    ),
    "option without level": (
        _missing_level,
        [(7, "choices!D7 (level)", ErrorCode.LEVEL_REQUIRED, "'presentation-education'")],
    ),
    "section not ended": (
        _missing_end,
        [(8, "survey!A8 (type)", ErrorCode.XLSX_SECTION_NESTED, "begun on row 2")],
    ),
    "question outside a section": (
        _question_outside_section,
        [(7, "survey!A7 (type)", ErrorCode.XLSX_OUTSIDE_SECTION, "begin section")],
    ),
    "required not yes or no": (
        _required_maybe,
        [(14, "survey!E14 (required)", ErrorCode.WRONG_TYPE, "(got 'maybe')")],
    ),
    "column for another type": (
        _min_on_rating,
        [(3, "survey!I3 (min)", ErrorCode.NOT_FOR_TYPE, "min does not apply to a rating")],
    ),
    "date in a text cell": (
        _date_cell,
        [(3, "survey!C3 (prompt)", ErrorCode.XLSX_CELL_VALUE, "holds a date")],
    ),
    "settings without values": (
        _no_settings_values,
        [(1, "settings row 1", ErrorCode.XLSX_SETTINGS_ROWS, "(found 0)")],
    ),
    "empty survey": (
        _empty_survey,
        [(1, "survey row 1", ErrorCode.XLSX_SHEET_EMPTY, "no rows at all")],
    ),
    "bad id": (
        _bad_id,
        [(10, "survey!B10 (id)", ErrorCode.BAD_ID, "'Referral Reports' is not a valid id")],
    ),
    "one option": (
        _one_option,
        [(2, "choices!A2 (list)", ErrorCode.TOO_FEW, "options needs at least 2")],
    ),
}


@pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
def test_broken_workbook_is_reported_where_the_author_fixes_it(case):
    edit, expected = BROKEN[case]
    text, issues = convert(workbook_bytes(edit))
    assert text is None
    assert located(issues) == [(line, loc, code) for line, loc, code, _ in expected]
    for issue, (*_, fragment) in zip(issues, expected, strict=True):
        assert issue.file == "quick.xlsx"
        assert fragment in issue.message


def test_every_problem_is_reported_in_one_pass():
    def edit(workbook):
        for change in (_formula, _unknown_type, _bad_list, _version_number, _typo_column):
            change(workbook)

    _, issues = convert(workbook_bytes(edit))
    assert located(issues) == [
        (2, "settings!C2 (version)", ErrorCode.XLSX_CELL_VALUE),
        (1, "survey!M1 (requierd)", ErrorCode.XLSX_UNKNOWN_COLUMN),
        (4, "survey!C4 (prompt)", ErrorCode.XLSX_FORMULA),
        (9, "survey!A9 (type)", ErrorCode.XLSX_UNKNOWN_LIST),
        (12, "survey!A12 (type)", ErrorCode.XLSX_UNKNOWN_TYPE),
    ]


def test_blank_rows_keep_row_numbers_true():
    def edit(workbook):
        workbook["survey"].insert_rows(3, amount=4)  # four blank rows above explain-service
        workbook["survey"]["H8"] = 0

    _, issues = convert(workbook_bytes(edit))
    assert located(issues) == [(8, "survey!H8 (weight)", ErrorCode.OUT_OF_RANGE)]


def test_a_changed_questionnaire_that_breaks_a_role_is_reported():
    # Replacing liaison-background without `education` breaks the role's degree requirement.
    def edit(workbook):
        workbook["settings"]["A2"] = "liaison-background"

    _, issues = convert(workbook_bytes(edit))
    assert issues
    assert {issue.code for issue in issues} == {ErrorCode.CONDITION_UNKNOWN_QUESTION}
    assert all(issue.file.endswith("physician-liaison.yaml") for issue in issues)


def test_measures_are_checked_against_the_given_content_root(tmp_path):
    (tmp_path / "data" / "roles").mkdir(parents=True)
    _, issues = convert(workbook_bytes(), root=tmp_path)
    assert {issue.code for issue in issues} == {ErrorCode.UNKNOWN_COMPETENCY}
    assert {issue.loc.split("!")[1][0] for issue in issues} == {"G"}  # the measures column


# Files that are not workbooks --------------------------------------------------------------------


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the file is empty"),
        (b"PK\x03\x04 this zip is cut short", "the file is damaged"),
        ("type,id,prompt\nrating,caf\xe9,Qu\xe9?\n".encode("latin-1"), "plain text"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old-style .xls"),
        (_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}), ".ods"),
        (_zip({"word/document.xml": b"<w/>"}), "zip archive without a workbook"),
        (_zip({"xl/workbook.xml": b"<not a workbook"}), "the file is damaged"),
        (bytes(range(256)) * 4, "not a spreadsheet"),
    ],
    ids=["empty", "corrupt", "csv", "xls", "ods", "docx-like", "broken-xml", "binary"],
)
def test_not_a_workbook(data, reason):
    text, issues = convert(data)
    assert text is None
    assert located(issues) == [(1, "", ErrorCode.XLSX_NOT_WORKBOOK)]
    assert reason in issues[0].message
    assert str(issues[0]).startswith("quick.xlsx:1: file: this is not an .xlsx workbook")


def test_huge_files_are_refused_before_reading(monkeypatch, tmp_path):
    big = tmp_path / "big.xlsx"
    big.write_bytes(b"PK" + b"\0" * (xlsform.MAX_WORKBOOK_BYTES + 1))
    _, issues = workbook_to_questionnaire(big, content_root=PROJECT_ROOT)
    assert located(issues) == [(1, "", ErrorCode.FILE_TOO_LARGE)]
    assert issues[0].file == str(big)

    monkeypatch.setattr(xlsform, "MAX_UNPACKED_BYTES", 1000)
    _, issues = convert(workbook_bytes())
    assert located(issues) == [(1, "", ErrorCode.XLSX_NOT_WORKBOOK)]
    assert "unpacks to" in issues[0].message


def test_too_many_rows(monkeypatch):
    monkeypatch.setattr(xlsform, "MAX_ROWS", 5)
    _, issues = convert(workbook_bytes())
    assert located(issues) == [
        (8, "survey row 8", ErrorCode.XLSX_TOO_MANY_ROWS),
        (7, "choices row 7", ErrorCode.XLSX_TOO_MANY_ROWS),
    ]


def test_a_formatted_cell_far_down_makes_no_cells_of_the_range(monkeypatch):
    # One formatted cell far down stretches the sheet's range over every row above it; reading
    # the range cell by cell made each of them (a 9 KB file took minutes and gigabytes).
    def edit(workbook):
        workbook["survey"].cell(row=20_000, column=12).font = Font(bold=True)

    opened = []
    load_workbook = openpyxl.load_workbook
    monkeypatch.setattr(
        openpyxl,
        "load_workbook",
        lambda *args, **kwargs: opened.append(load_workbook(*args, **kwargs)) or opened[-1],
    )
    text, issues = convert(workbook_bytes(edit))
    assert issues == [] and text is not None
    survey = opened[0]["survey"]
    assert survey.max_row == 20_000
    assert sum(1 for _ in survey._cells) < 1_000  # the stored cells, not 20,000 rows of them


def test_missing_file_is_an_issue(tmp_path):
    _, issues = workbook_to_questionnaire(tmp_path / "absent.xlsx", content_root=PROJECT_ROOT)
    assert located(issues) == [(1, "", ErrorCode.FILE_UNREADABLE)]


cell_values = st.one_of(
    st.none(),
    # openpyxl itself refuses control characters (and is left in a bad state by trying).
    st.text(st.characters(exclude_categories=("Cc", "Cs")) | st.just("\n"), max_size=30),
    st.integers(-5, 5),
    st.floats(-5, 5, allow_nan=False),
    st.booleans(),
    st.sampled_from(["rating proficiency", "single_choice crm", "begin section", "end section",
                     "{question: ran-event, equals: true}", "0:0, 1:2", "=1+1", "yes", "[", "{"]),
)  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(1, 16), st.integers(1, 13), cell_values), max_size=8))
def test_any_cell_contents_give_issues_not_exceptions(changes):
    def edit(workbook):
        for row, column, value in changes:
            workbook["survey"].cell(row, column).value = value

    text, issues = convert(workbook_bytes(edit))
    assert (text is None) == bool(issues)
    internal = [i for i in issues if i.code is ErrorCode.FILE_UNREADABLE]
    assert internal == []
    assert all(i.file == "quick.xlsx" or i.file.endswith(".yaml") for i in issues)


# The command line ----------------------------------------------------------------------------


def test_cli_writes_the_yaml_of_a_valid_workbook(tmp_path):
    out = tmp_path / "quick.yaml"
    result = run_cli("import-xlsx", str(EXAMPLE_XLSX), str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.read_text(encoding="utf-8") == EXAMPLE_YAML.read_text(encoding="utf-8")
    assert "no problems" in result.stdout
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


def test_cli_reports_located_lines_and_writes_nothing(tmp_path):
    workbook = tmp_path / "broken.xlsx"
    workbook.write_bytes(workbook_bytes(lambda wb: (_formula(wb), _bad_list(wb))))
    out = tmp_path / "out.yaml"
    out.write_text("previous\n")
    result = run_cli("import-xlsx", str(workbook), str(out), "--content", str(PROJECT_ROOT))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{workbook}:4: survey!C4 (prompt): formulas are not supported "
        '(=CONCAT("Get a first ", "meeting")); copy the cells and paste values',
        f"{workbook}:9: survey!A9 (type): there is no list 'crms' in the choices sheet; "
        "did you mean 'crm'?",
        f"2 problems in {workbook}; {out} was not written.",
    ]
    assert out.read_text() == "previous\n"
    assert result.stderr == ""


def test_cli_refuses_a_second_file_for_a_questionnaire_the_root_has(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "assessments", root / "assessments")
    shutil.copytree(PROJECT_ROOT / "data", root / "data")
    (root / "assessments" / "quick-check.yaml").write_text(EXAMPLE_YAML.read_text(encoding="utf-8"))  # fmt: skip
    # Under another name, the root would define liaison-quick-check twice.
    other = root / "assessments" / "copy.yaml"
    result = run_cli("import-xlsx", str(EXAMPLE_XLSX), str(other), "--content", str(root))
    assert result.returncode == 1, result.stdout
    assert "questionnaire id 'liaison-quick-check' is already used by" in result.stdout
    assert "settings!" in result.stdout and not other.exists()
    # Over its own file, or outside the root, it is a new version or a copy: written.
    for out in (root / "assessments" / "quick-check.yaml", tmp_path / "elsewhere.yaml"):
        written = run_cli("import-xlsx", str(EXAMPLE_XLSX), str(out), "--content", str(root))
        assert written.returncode == 0, written.stdout
    assert run_cli("validate", "--content", str(root)).returncode == 0


def test_cli_reports_a_file_that_is_not_a_workbook(tmp_path):
    fake = tmp_path / "answers.xlsx"
    fake.write_bytes("id;prompt\nq1;Caf\xe9\n".encode("cp1252"))
    result = run_cli("import-xlsx", str(fake), str(tmp_path / "out.yaml"))
    assert result.returncode == 1
    assert result.stdout.startswith(f"{fake}:1: file: this is not an .xlsx workbook")
    assert not (tmp_path / "out.yaml").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["import-xlsx"],
        ["import-xlsx", str(EXAMPLE_XLSX)],
        ["import-xlsx", str(EXAMPLE_XLSX), "out.txt"],
        ["import-xlsx", str(EXAMPLE_XLSX), "/no/such/folder/out.yaml"],
        ["import-xlsx", str(EXAMPLE_XLSX), "out.yaml", "--content", "/no/such/folder"],
        ["import-xlsx", str(EXAMPLE_XLSX), "out.yaml", "--bogus"],
    ],
    ids=["no-args", "no-out", "not-yaml", "no-folder", "no-content", "unknown-option"],
)
def test_cli_usage_errors_exit_2(args, tmp_path):
    result = run_cli(*args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert not (PROJECT_ROOT / "out.yaml").exists()


def test_cli_refuses_a_folder_as_out(tmp_path):
    # A folder named like a YAML file: wrong usage, said before converting, not an OSError.
    folder = tmp_path / "quick.yaml"
    folder.mkdir()
    result = run_cli("import-xlsx", str(EXAMPLE_XLSX), str(folder))
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr == f"error: cannot write {folder}: it is a folder; name a file in it\n"
