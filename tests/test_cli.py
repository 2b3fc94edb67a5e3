"""`python -m readiness validate|score|schema`, run as a user runs it: a subprocess, exit code and
printed output. No run may ever print a traceback.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from readiness.content import CONTENT_DIR_VARIABLE
from readiness.messages import ErrorCode
from tests.fixtures.cli import run_cli as run
from tests.fixtures.content import MINIMAL_QUESTIONNAIRE, MINIMAL_ROLE

REPO = Path(__file__).resolve().parents[1]
# Every problem line names a field path; a problem of the whole file says `file`.
LOCATED = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<loc>[\w\-\[\].]+): (?P<message>.+)$")
SUMMARY = re.compile(r"^\d+ problems? in \d+ of \d+ file\(s\) checked\.$")


def located_lines(output: str) -> list[re.Match]:
    lines = output.strip().splitlines()
    assert lines, "no output"
    assert SUMMARY.match(lines[-1]), f"no summary line: {lines[-1]!r}"
    matches = [LOCATED.match(line) for line in lines[:-1]]
    assert all(matches), f"lines not in PATH:LINE: field: message form: {lines[:-1]}"
    return matches


# validate -------------------------------------------------------------------------------------


def test_validate_shipped_content_is_clean():
    result = run("validate")
    assert result.returncode == 0, result.stdout
    assert re.fullmatch(r"\d+ file\(s\) checked: no problems\.\n", result.stdout)


def test_validate_shipped_files_by_path():
    result = run("validate", "assessments/liaison-skills.yaml", "data/roles/physician-liaison.yaml")
    assert result.returncode == 0, result.stdout
    assert result.stdout == "2 file(s) checked: no problems.\n"


def test_validate_a_broken_root_prints_located_lines_and_a_summary(make_root):
    questionnaire = MINIMAL_QUESTIONNAIRE.replace("scale: five", "scale: fiv").replace(
        "title: Skills", "title: Skills\ntitle: Again"
    )
    role = MINIMAL_ROLE.replace("importance: 4", "importance: 7")
    root = make_root(questionnaires={"skills.yaml": questionnaire, "ok.yaml": MINIMAL_QUESTIONNAIRE.replace("id: skills", "id: ok")}, roles={"analyst.yaml": role})  # fmt: skip
    result = run("validate", "--content", root)
    assert result.returncode == 1
    skills, analyst = root / "assessments" / "skills.yaml", root / "data" / "roles" / "analyst.yaml"
    duplicate = ErrorCode.DUPLICATE_KEY.format(key="title", first_line=3)
    importance = ErrorCode.OUT_OF_RANGE.format(field="importance", bound="at most 5", got="7")
    # The duplicate key does not hide the file's other problem.
    assert result.stdout.splitlines() == [
        f"{skills}:4: title: {duplicate}",
        f"{skills}:19: sections[0].questions[0].scale: scale 'fiv' is not defined under `scales` (defined: 'five')",
        f"{analyst}:8: competencies[0].importance: {importance}",
        "3 problems in 2 of 3 file(s) checked.",
    ]  # fmt: skip
    located_lines(result.stdout)


def test_two_problems_at_one_place_are_both_printed_and_counted(make_root):
    # Bands in rising order: listed the wrong way round, and the last one is not 0.
    role = MINIMAL_ROLE.replace(
        "  - {at_least: 50, label: Ready}\n  - {at_least: 0, label: Not yet}\n",
        "  - {at_least: 0, label: Not yet}\n  - {at_least: 50, label: Ready}\n",
    )
    root = make_root(questionnaires={"skills.yaml": MINIMAL_QUESTIONNAIRE}, roles={"analyst.yaml": role})  # fmt: skip
    result = run("validate", "--content", root)
    problems = located_lines(result.stdout)
    assert len({(m["line"], m["loc"]) for m in problems}) < len(problems) == 2
    assert result.stdout.splitlines()[-1] == "2 problems in 1 of 2 file(s) checked."


def test_a_broken_link_in_a_content_root_is_reported(make_root):
    root = make_root(questionnaires={"skills.yaml": MINIMAL_QUESTIONNAIRE}, roles={"analyst.yaml": MINIMAL_ROLE})  # fmt: skip
    (root / "assessments" / "gone.yaml").symlink_to(root / "nowhere.yaml")
    result = run("validate", "--content", root)
    assert result.returncode == 1
    (match,) = located_lines(result.stdout)
    assert match["path"].endswith("gone.yaml") and match["loc"] == "file"
    assert "cannot read the file" in match["message"]


def test_a_link_that_leads_to_itself_is_reported_beside_the_other_problems(make_root):
    role = MINIMAL_ROLE.replace("title: Analyst", "title: 123")
    root = make_root(questionnaires={"skills.yaml": MINIMAL_QUESTIONNAIRE}, roles={"analyst.yaml": role})  # fmt: skip
    loop = root / "assessments" / "loop.yaml"
    loop.symlink_to(loop)
    for given in ((), (loop,)):
        result = run("validate", "--content", root, *given)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        problems = {m["path"]: m for m in located_lines(result.stdout)}
        assert "cannot read the file" in problems[str(loop)]["message"]
        assert result.stdout.splitlines()[-1].endswith("file(s) checked.")
    assert problems == {str(loop): problems[str(loop)]}  # only the file given is checked
    whole = {m["path"] for m in located_lines(run("validate", "--content", root).stdout)}
    assert whole == {str(loop), str(root / "data" / "roles" / "analyst.yaml")}


def test_validate_one_broken_file_against_a_valid_root(tmp_path):
    broken = tmp_path / "assessments" / "draft.yaml"
    broken.parent.mkdir()
    broken.write_text(
        MINIMAL_QUESTIONNAIRE.replace("id: skills", "id: draft").replace(
            "measures: communication", "measures: comunication"
        )
    )
    result = run("validate", broken, "--content", REPO)
    assert result.returncode == 1
    (match,) = located_lines(result.stdout)
    assert (match["path"], match["line"], match["loc"]) == (str(broken), "20", "sections[0].questions[0].measures")  # fmt: skip
    assert "did you mean 'communication'?" in match["message"]
    assert result.stdout.splitlines()[-1] == "1 problem in 1 of 1 file(s) checked."


def test_validate_notes_files_the_app_does_not_read(make_root):
    # A questionnaire in a subfolder, in data/ itself or ending .YAML is never shown: say so,
    # on standard error, so that the problem lines and the exit code stay as defined.
    root = make_root()
    text = (root / "assessments" / "skills.yaml").read_text()
    strays = [
        root / "assessments" / "old" / "skills-v1.yaml",
        root / "data" / "extra.yaml",
        root / "assessments" / "LOUD.YAML",
    ]
    for path in strays:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace("id: skills", "id: stray"))
    (root / "assessments" / "README.md").write_text("not content")
    result = run("validate", "--content", root)
    assert result.returncode == 0 and result.stdout.endswith("checked: no problems.\n")
    noted = re.findall(r"^note: the app does not read (\S+) ", result.stderr, re.MULTILINE)
    assert sorted(noted) == sorted(str(path) for path in strays)
    # Named on the command line, too.
    given = run("validate", "--content", root, strays[0])
    assert given.returncode == 0 and f"does not read {strays[0]} " in given.stderr
    assert (
        "note"
        not in run("validate", "--content", root, root / "assessments" / "skills.yaml").stderr
    )


def test_validate_in_another_content_root_says_which_root_it_checked(make_root):
    root = make_root()
    result = run("validate", cwd=root)
    assert result.returncode == 0
    assert "note: checked the content root" in result.stderr
    assert "pass --content . to check this one" in result.stderr
    assert "note" not in run("validate", "--content", ".", cwd=root).stderr


def test_validate_follows_the_content_variable(make_root):
    root = make_root(roles={"analyst.yaml": "format: role/1\n"})
    result = run("validate", env={CONTENT_DIR_VARIABLE: str(root)})
    assert result.returncode == 1
    assert str(root / "data" / "roles" / "analyst.yaml") in result.stdout


def test_validate_a_folder_of_files(tmp_path):
    (tmp_path / "a.yaml").write_text("format: questionnaire/1\n")
    (tmp_path / "b.yaml").write_text(MINIMAL_ROLE.replace("id: analyst", "id: other"))
    (tmp_path / "notes.txt").write_text("ignored")
    result = run("validate", tmp_path, "--content", REPO)
    assert result.returncode == 1
    paths = {m["path"] for m in located_lines(result.stdout)}
    assert paths == {str(tmp_path / "a.yaml")}
    assert result.stdout.splitlines()[-1].endswith("in 1 of 2 file(s) checked.")


def test_a_file_named_twice_is_not_its_own_duplicate():
    skills = "assessments/liaison-skills.yaml"
    for paths in ([skills, "./" + skills], ["assessments", skills]):
        result = run("validate", *paths)
        assert result.returncode == 0, result.stdout
        assert result.stdout.endswith(" file(s) checked: no problems.\n")
    assert run("validate", skills, "./" + skills).stdout == "1 file(s) checked: no problems.\n"


def test_one_file_of_a_root_is_checked_for_an_id_its_root_already_uses(make_root):
    root = make_root(
        questionnaires={"skills.yaml": MINIMAL_QUESTIONNAIRE, "copy.yaml": MINIMAL_QUESTIONNAIRE},
        roles={"analyst.yaml": MINIMAL_ROLE, "again.yaml": MINIMAL_ROLE},
    )
    for copy, what in (("assessments/copy.yaml", "questionnaire"), ("data/roles/again.yaml", "role")):  # fmt: skip
        result = run("validate", root / copy, "--content", root)
        assert result.returncode == 1, result.stdout
        (match,) = located_lines(result.stdout)
        assert (match["path"], match["loc"]) == (str(root / copy), "id")
        assert f"{what} id" in match["message"] and "already used by" in match["message"]


def test_a_draft_from_elsewhere_stands_in_for_the_root_file_with_its_id(tmp_path, make_root):
    root = make_root(questionnaires={"skills.yaml": MINIMAL_QUESTIONNAIRE}, roles={"analyst.yaml": MINIMAL_ROLE})  # fmt: skip
    draft = tmp_path / "draft" / "skills.yaml"
    draft.parent.mkdir()
    draft.write_text(MINIMAL_QUESTIONNAIRE.replace("title: Skills", "title: Skills, revised"))
    result = run("validate", draft, "--content", root)
    assert result.returncode == 0, result.stdout
    assert result.stdout == "1 file(s) checked: no problems.\n"


def test_hidden_files_are_not_content(make_root):
    # Copies some systems leave beside each file (`._skills.yaml`) hold no YAML at all.
    root = make_root(questionnaires={"skills.yaml": MINIMAL_QUESTIONNAIRE}, roles={"analyst.yaml": MINIMAL_ROLE})  # fmt: skip
    (root / "assessments" / "._skills.yaml").write_bytes(b"\x00\x05\x16\x07junk")
    (root / "data" / "market").mkdir(exist_ok=True)
    (root / "data" / "market" / ".~lock.figures.csv").write_text("not,a,market,file\n")
    (root / "assessments" / ".git").mkdir()
    (root / "assessments" / ".git" / "config.yaml").write_text("[core]\n")
    assert run("validate", "--content", root).stdout == "2 file(s) checked: no problems.\n"
    assert run("validate", root / "assessments", "--content", root).stdout == "1 file(s) checked: no problems.\n"  # fmt: skip


def test_validate_checks_answer_files_against_the_content(tmp_path):
    good = write_answers(tmp_path, ANSWERS)
    result = run("validate", good)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "1 file(s) checked: no problems.\n"

    bad = write_answers(tmp_path, ANSWERS.replace("years-sales: 2", "years-sale: 2"), "bad.yaml")
    result = run("validate", bad, good, "assessments/liaison-skills.yaml")
    assert result.returncode == 1, result.stdout + result.stderr
    (match,) = located_lines(result.stdout)
    assert (match["path"], match["loc"]) == (str(bad), "questionnaires.liaison-background.answers.years-sale")  # fmt: skip
    assert int(match["line"]) == ANSWERS.splitlines().index("      years-sales: 2") + 1
    assert result.stdout.splitlines()[-1] == "1 problem in 1 of 3 file(s) checked."


# No traceback, ever ---------------------------------------------------------------------------


def test_binary_junk_file(tmp_path):
    junk = tmp_path / "junk.yaml"
    junk.write_bytes(bytes(range(256)) * 40 + os.urandom(4096))
    result = run("validate", junk)
    assert result.returncode == 1
    (match,) = located_lines(result.stdout)
    assert match["path"] == str(junk) and int(match["line"]) >= 1


def test_utf8_junk_with_control_characters(tmp_path):
    junk = tmp_path / "junk.yaml"
    junk.write_text("format: questionnaire/1\x00\x07\n" + "ü" * 1000, encoding="utf-8")
    result = run("validate", junk)
    assert result.returncode == 1
    assert "YAML syntax error" in result.stdout


def test_fifty_megabyte_file(tmp_path):
    big = tmp_path / "assessments" / "big.yaml"
    big.parent.mkdir()
    with big.open("wb") as file:
        file.write(b"format: questionnaire/1\ndescription: ")
        file.write(b"x" * (50 * 1024 * 1024))
        file.write(b"\n")
    result = run("validate", big)
    assert result.returncode == 1
    (match,) = located_lines(result.stdout)
    assert (match["path"], match["line"]) == (str(big), "1")
    assert "content files may be at most" in match["message"]


def test_empty_folder_as_content_root_is_wrong_usage(tmp_path):
    # Not a content root at all: checking nothing must not pass as "no problems".
    result = run("validate", "--content", tmp_path)
    assert result.returncode == 2
    assert "is not a content root" in result.stderr


def test_content_root_with_empty_folders_is_clean(tmp_path):
    (tmp_path / "assessments").mkdir()
    (tmp_path / "data").mkdir()
    result = run("validate", "--content", tmp_path)
    assert (result.returncode, result.stdout) == (0, "0 file(s) checked: no problems.\n")


def test_nonexistent_content_root_is_wrong_usage(tmp_path):
    result = run("validate", "--content", tmp_path / "nope")
    assert result.returncode == 2
    assert "is not a folder" in result.stderr


def test_nonexistent_path_is_a_located_problem(tmp_path):
    missing = tmp_path / "nope.yaml"
    result = run("validate", missing)
    assert result.returncode == 1
    (match,) = located_lines(result.stdout)
    assert (match["path"], match["line"]) == (str(missing), "1")
    assert "cannot read the file" in match["message"]


def test_broken_symlink_and_directory_named_like_a_file(tmp_path):
    (tmp_path / "link.yaml").symlink_to(tmp_path / "gone.yaml")
    (tmp_path / "dir.yaml").mkdir()
    result = run("validate", tmp_path / "link.yaml", tmp_path / "dir.yaml")
    assert result.returncode in (0, 1)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["frobnicate"],
        ["validate", "--frobnicate"],
        ["score", "answers.yaml"],
        ["score", "--role", "physician-liaison"],
        ["schema"],
    ],
)
def test_wrong_usage_exits_2(args):
    result = run(*args)
    assert result.returncode == 2
    assert result.stderr.strip()
    assert result.stdout == ""


def test_help_exits_0():
    result = run("--help")
    assert result.returncode == 0
    assert "validate" in result.stdout and "score" in result.stdout


# score ----------------------------------------------------------------------------------------

ANSWERS = """\
format: answers/1
role: someone-else
questionnaires:
  liaison-skills:
    version: "1999.1"
    answers:
      explain-service: 3
      written-follow-up: 2
      adapt-message: 2
      crm-logging: 4
  liaison-background:
    version: "2026.11"
    answers:
      education: bachelor
      years-sales: 2
      drivers-license: true
      travel: false
      used-crm: false
      crm-tools: [salesforce]
"""


def write_answers(tmp_path: Path, text: str, name: str = "answers.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_score_prints_the_spec_json(tmp_path):
    result = run("score", "--role", "physician-liaison", write_answers(tmp_path, ANSWERS))
    assert result.returncode == 0, result.stdout + result.stderr
    output = json.loads(result.stdout)
    assert list(output) == ["role", "readiness", "band", "competencies", "requirements", "plan"]
    # scored against --role, whatever role the set records
    assert output["role"] == "physician-liaison"
    assert isinstance(output["readiness"], int) and 0 <= output["readiness"] <= 100
    for entry in output["competencies"]:
        assert list(entry) == ["id", "level", "target", "gap", "importance", "assessed"]
        for key in ("level", "gap"):
            assert entry[key] == round(entry[key], 2)
    competencies = {c["id"]: c for c in output["competencies"]}
    # communication on the 0–4 scale: (3 + 2 + 2) / 3 = 2.333… → 2.33; gap 2.5 − 2.333… → 0.17
    assert competencies["communication"] | {} == {
        "id": "communication",
        "level": 2.33,
        "target": 2.5,
        "gap": 0.17,
        "importance": 3.94,
        "assessed": True,
    }
    # crm-technology: crm-logging 4 only; crm-tools is hidden (used-crm = no), its answer dropped
    assert (competencies["crm-technology"]["level"], competencies["crm-technology"]["gap"]) == (4, 0)  # fmt: skip
    # marketing-sales: years-sales 2 → threshold 2 → level 2
    assert competencies["marketing-sales"]["level"] == 2
    assert competencies["negotiation"]["assessed"] is False
    assert output["requirements"] == [
        {"id": "bachelors-degree", "status": "met"},
        {"id": "relevant-experience", "status": "met"},  # years-sales 2 ≥ 1
        {"id": "drivers-license", "status": "met"},
        {"id": "willing-to-travel", "status": "unmet"},
    ]
    assert output["plan"][0] == "willing-to-travel"
    assert "crm-technology" not in output["plan"]
    assert re.search(r"\d\.\d{3,}", result.stdout) is None  # no unrounded numbers


def test_score_reads_json_answer_files(tmp_path):
    answers = yaml.safe_load(ANSWERS)
    path = write_answers(tmp_path, json.dumps(answers, indent=2), "answers.json")
    result = run("score", "--role", "physician-liaison", path)
    assert result.returncode == 0, result.stdout
    assert json.loads(result.stdout) == json.loads(run("score", "--role", "physician-liaison", write_answers(tmp_path, ANSWERS)).stdout)  # fmt: skip


def test_score_reads_numbers_in_exponent_form_as_json_writes_them(tmp_path):
    # json.dumps writes 4e+21 and 1e-07 so; any JSON reader reads 4e1 as 40.
    text = json.dumps(yaml.safe_load(ANSWERS)).replace('"years-sales": 2', '"years-sales": 4e1')
    result = run("score", "--role", "physician-liaison", write_answers(tmp_path, text, "answers.json"))  # fmt: skip
    assert result.returncode == 0, result.stdout
    competencies = {c["id"]: c for c in json.loads(result.stdout)["competencies"]}
    assert competencies["marketing-sales"]["level"] == 3  # 40 years: past the top threshold, 4


def test_score_tells_a_json_syntax_error_in_json_terms(tmp_path):
    answers = json.dumps(yaml.safe_load(ANSWERS), indent=2).replace('"role"', '"role"  "oops"', 1)
    path = write_answers(tmp_path, answers, "answers.json")
    result = run("score", "--role", "physician-liaison", path)
    assert result.returncode == 1
    assert result.stdout.startswith(f"{path}:3: file: JSON syntax error: Expecting ':' delimiter")


@pytest.mark.parametrize(
    ("old", "new", "line", "loc", "fragment"),
    [
        (
            "  liaison-background:",
            "  liaison-backgrond:",
            11,
            "questionnaires.liaison-backgrond",
            "there is no questionnaire 'liaison-backgrond'",
        ),  # fmt: skip
        (
            "      adapt-message: 2",
            "      adapt-mesage: 2",
            9,
            "questionnaires.liaison-skills.answers.adapt-mesage",
            "has no question 'adapt-mesage'",
        ),  # fmt: skip
        (
            "      crm-logging: 4",
            "      crm-logging: 5",
            10,
            "questionnaires.liaison-skills.answers.crm-logging",
            "5 is not a valid answer to 'crm-logging'",
        ),  # fmt: skip
        (
            "      education: bachelor",
            "      education: bachelors",
            14,
            "questionnaires.liaison-background.answers.education",
            "'bachelors' is not a valid answer",
        ),  # fmt: skip
        (
            "      travel: false",
            "      travel: 'no'",
            17,
            "questionnaires.liaison-background.answers.travel",
            "expected true or false",
        ),  # fmt: skip
        # hidden (used-crm = no), but still checked
        (
            "[salesforce]",
            "[salesforce, salesforce]",
            19,
            "questionnaires.liaison-background.answers.crm-tools",
            "each option may be listed once",
        ),  # fmt: skip
        (
            "      years-sales: 2",
            "      years-sales: 51",
            15,
            "questionnaires.liaison-background.answers.years-sales",
            "expected at most 50",
        ),  # fmt: skip
    ],
)
def test_score_bad_answer_file_is_located(tmp_path, old, new, line, loc, fragment):
    assert old in ANSWERS
    path = write_answers(tmp_path, ANSWERS.replace(old, new))
    result = run("score", "--role", "physician-liaison", path)
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, result.stdout
    match = LOCATED.match(lines[0])
    assert match, lines[0]
    assert (match["path"], int(match["line"]), match["loc"]) == (str(path), line, loc)
    assert fragment in match["message"]
    # An answers file naming what the content lacks: which content root was read.
    unknown = "no questionnaire" in fragment or "has no question" in fragment
    assert ("note: checked against the content root" in result.stderr) == unknown, result.stderr


def test_score_unknown_role(tmp_path):
    result = run("score", "--role", "astronaut", write_answers(tmp_path, ANSWERS))
    assert result.returncode == 1
    assert "astronaut" in result.stderr and "physician-liaison" in result.stderr


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("format: answers/2\nrole: x\n", ErrorCode.FORMAT_NEWER),
        ("format: questionnaire/1\n", ErrorCode.NOT_ANSWERS),
        ("role: x\n", ErrorCode.FORMAT_MISSING),
        ("format: answers/1\nrole: x\nquestionnaires: [a]\n", ErrorCode.WRONG_TYPE),
        ("\x00\x01junk", ErrorCode.YAML_SYNTAX),
    ],
)
def test_score_answer_file_that_is_not_an_answer_set(tmp_path, text, code):
    path = write_answers(tmp_path, text)
    result = run("score", "--role", "physician-liaison", path)
    assert result.returncode == 1
    assert result.stdout.startswith(f"{path}:")
    assert LOCATED.match(result.stdout.splitlines()[0])


def test_score_missing_answer_file(tmp_path):
    result = run("score", "--role", "physician-liaison", tmp_path / "nope.yaml")
    assert result.returncode == 1
    assert "cannot read the file" in result.stdout


def test_score_binary_answer_file(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_bytes(os.urandom(2048) + b"\xff")
    result = run("score", "--role", "physician-liaison", path)
    assert result.returncode == 1
    assert LOCATED.match(result.stdout.splitlines()[0])


# schema ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schemas(tmp_path_factory) -> dict[str, dict]:
    outdir = tmp_path_factory.mktemp("schemas") / "out"
    result = run("schema", outdir)
    assert result.returncode == 0, result.stderr
    files = sorted(outdir.glob("*.json"))
    assert [f.name for f in files] == ["answers.schema.json", "questionnaire.schema.json", "role.schema.json"]  # fmt: skip
    return {f.name.split(".")[0]: json.loads(f.read_text()) for f in files}


def validator(schema: dict):
    jsonschema = pytest.importorskip("jsonschema")
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        ("questionnaire", "assessments/liaison-skills.yaml"),
        ("questionnaire", "assessments/liaison-background.yaml"),
        ("role", "data/roles/physician-liaison.yaml"),
    ],
)
def test_schemas_validate_the_shipped_content(schemas, kind, path):
    document = yaml.safe_load((REPO / path).read_text(encoding="utf-8"))
    errors = sorted(validator(schemas[kind]).iter_errors(document), key=str)
    assert errors == [], [e.message for e in errors]


def test_answers_schema_validates_an_answer_set(schemas):
    errors = list(validator(schemas["answers"]).iter_errors(yaml.safe_load(ANSWERS)))
    assert errors == [], [e.message for e in errors]


@pytest.mark.parametrize(
    ("kind", "broken"),
    [
        ("questionnaire", lambda d: d["sections"][0]["questions"][0].update(requierd=True)),
        ("questionnaire", lambda d: d["sections"][0]["questions"][0].update(type="radio")),
        (
            "questionnaire",
            lambda d: d["sections"][1]["questions"][0].update(show_if={"question": "x"}),
        ),  # fmt: skip
        ("questionnaire", lambda d: d.pop("title")),
        ("role", lambda d: d["competencies"][0].update(importance=9)),
        ("role", lambda d: d["requirements"][0].update(met_if={"all": "x"})),
    ],
)
def test_schemas_reject_broken_content(schemas, kind, broken):
    path = "assessments/liaison-background.yaml" if kind == "questionnaire" else "data/roles/physician-liaison.yaml"  # fmt: skip
    document = yaml.safe_load((REPO / path).read_text(encoding="utf-8"))
    broken(document)
    assert list(validator(schemas[kind]).iter_errors(document)), (
        "the schema accepted broken content"
    )


def test_the_cli_runs_from_any_folder(tmp_path):
    # Authors run it beside their own files, not from the checkout.
    result = subprocess.run(
        [sys.executable, "-m", "readiness", "validate", "--content", str(REPO)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no problems" in result.stdout


def test_schema_into_a_file_is_a_usage_error(tmp_path):
    taken = tmp_path / "schemas"
    taken.write_text("a file, not a folder")
    result = run("schema", str(taken))
    assert result.returncode == 2
    assert "is a file; give the folder" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("place", "text", "hint"),
    [
        (
            "assessments/colon.yaml",
            "format: questionnaire/1\nid: q\ntitle: Note: this breaks\n",
            "; a text that holds ': ' must be in double quotes",
        ),
        (
            "assessments/role.yaml",
            MINIMAL_ROLE,
            "but the file says format 'role/1'; move it to data/roles/",
        ),
        (
            "data/market/semicolons.csv",
            "role;metric;value;unit;period;region;source;url;retrieved\n",
            "; separate the columns with commas, not semicolons",
        ),
        (
            "data/market/comma.csv",
            "role,metric,value,unit,period,region,source,url,retrieved\n"
            "x,salary_median,1,USD per year,2024,US,BLS, 2024 edition,,2026-11-26\n",
            "; a field that holds a comma must be in double quotes",
        ),
    ],
)
def test_common_slips_are_told_what_to_do(make_root, place, text, hint):
    root = make_root()
    (root / place).write_text(text, encoding="utf-8")
    result = run("validate", "--content", root)
    assert result.returncode == 1
    (line,) = [line for line in result.stdout.splitlines() if line.startswith(str(root / place))]
    assert line.endswith(hint), line
