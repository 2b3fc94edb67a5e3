"""Reading YAML safely: duplicate keys, tabs, tags, aliases, encodings, documents, lines.

Whole files go through `content_case` (the loader as the app uses it); the line map and a few
parser corners are tested on `parse_yaml` directly.
"""

from __future__ import annotations

import time

import pytest

from readiness.loader import load_document, parse_document
from readiness.messages import ErrorCode, Issue
from readiness.yamlsafe import MAX_CONTENT_BYTES, ParsedYaml, parse_yaml
from tests.fixtures.content import MINIMAL_QUESTIONNAIRE, assert_issues, questionnaire_yaml

Q = "assessments/skills.yaml"


def parsed(text: str) -> ParsedYaml:
    result = parse_yaml(text, "f.yaml")
    assert isinstance(result, ParsedYaml), f"expected data, got {result}"
    return result


def problem(text: str) -> Issue:
    """The first problem of `text`: one that stopped the reading, or one noted along the way."""
    result = parse_yaml(text, "f.yaml")
    if isinstance(result, ParsedYaml):
        assert result.issues, f"expected an issue, got {result.data!r}"
        return result.issues[0]
    return result


# Duplicate keys -------------------------------------------------------------------------------


def test_duplicate_key_is_reported_at_the_second_one(content_case):
    text = MINIMAL_QUESTIONNAIRE.replace('version: "1"\n', 'version: "1"\ntitle: Again  # @dup\n')
    content_case(
        questionnaires={"skills.yaml": text},
        expected=[
            (Q, "@dup", "title", ErrorCode.DUPLICATE_KEY, "duplicate key 'title' (first at line 3)")
        ],  # fmt: skip
    )


def test_duplicate_key_deep_in_a_question(content_case):
    text = MINIMAL_QUESTIONNAIRE + "        measures: communication  # @dup\n"
    content_case(
        questionnaires={"skills.yaml": text},
        expected=[
            (
                Q,
                "@dup",
                "sections[0].questions[0].measures",
                ErrorCode.DUPLICATE_KEY,
                "(first at line 20)",
            ),  # fmt: skip
        ],
    )


def test_duplicate_key_in_a_flow_mapping():
    issue = problem("options:\n  - {value: a, label: A, value: b}\n")
    assert (issue.line, issue.loc, issue.code) == (2, "options[0].value", ErrorCode.DUPLICATE_KEY)


def test_duplicate_key_in_json_spelling_is_not_silently_overwritten():
    # A JSON answer file is read as YAML; the JSON fallback must not accept the duplicate.
    text = '{"format": "answers/1", "role": "a", "role": "b"}'
    document = parse_document(text, "answers.json", expected="answers/1")
    assert_issues(document.issues, [("answers.json", 1, "role", ErrorCode.DUPLICATE_KEY)])


def test_json_with_tab_indentation_is_read():
    document = parse_document('{\n\t"format": "answers/1",\n\t"role": "a"\n}', "a.json", expected="answers/1")  # fmt: skip
    assert document.issues == []
    assert document.data == {"format": "answers/1", "role": "a"}


# Tabs -----------------------------------------------------------------------------------------


def test_tab_indentation_is_located(content_case):
    text = MINIMAL_QUESTIONNAIRE.replace("        measures:", "\t\tmeasures:")
    content_case(
        questionnaires={"skills.yaml": text},
        expected=[(Q, 20, "", ErrorCode.YAML_TAB, "a tab is used for indentation")],
    )


def test_tab_inside_a_value_is_fine():
    assert parsed("title: a\tb\n").data == {"title": "a\tb"}


# Tags -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("!!python/object/apply:os.system [echo hi]", "!!python/object/apply:os.system"),
        ("!!python/object:__main__.Thing {}", "!!python/object:__main__.Thing"),
        ("!!python/name:os.system", "!!python/name:os.system"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!!set {a, b}", "!!set"),
        ("!!omap [a: 1]", "!!omap"),
        ("!custom x", "!custom"),
    ],
)
def test_tags_are_refused_where_they_stand(content_case, value, tag):
    text = MINIMAL_QUESTIONNAIRE.replace("title: Skills", f"title: {value}")
    content_case(
        questionnaires={"skills.yaml": text},
        expected=[(Q, 3, "title", ErrorCode.YAML_TAG, f"the tag {tag} is not allowed")],
    )


@pytest.mark.parametrize(
    ("text", "line", "loc", "tag"),
    [
        ("a: 1\nb: !!str 3\n", 2, "b", "!!str"),
        ('a: !!int "4"\n', 1, "a", "!!int"),
        ("a:\n  - !!map {x: 1}\n", 2, "a[0]", "!!map"),
        ("a: !!seq [1]\n", 1, "a", "!!seq"),
        ("a: ! plain\n", 1, "a", "!"),
        ("? !!str a\n: 1\n", 1, "", "!!str"),
    ],
)
def test_even_standard_tags_are_refused(text, line, loc, tag):
    # The format allows no tags at all: a file holds plain data, written plainly.
    issue = problem(text)
    assert (issue.code, issue.line, issue.loc) == (ErrorCode.YAML_TAG, line, loc)
    assert f"the tag {tag} is not allowed" in issue.message


def test_exclamation_marks_in_text_are_not_tags():
    assert parsed('a: Great!\nb: "!!str"\nc: x ! y\n').data == {
        "a": "Great!",
        "b": "!!str",
        "c": "x ! y",
    }


def test_python_object_tag_runs_nothing(tmp_path):
    marker = tmp_path / "ran"
    text = f"title: !!python/object/apply:os.system ['touch {marker}']\n"
    assert problem(text).code is ErrorCode.YAML_TAG
    assert not marker.exists()


# Aliases --------------------------------------------------------------------------------------


def test_aliases_repeat_the_value_they_name(content_case):
    options = "[{value: a, label: A}, {value: b, label: B}]"
    text = MINIMAL_QUESTIONNAIRE + (
        f"      - {{id: first, type: single_choice, prompt: P, options: &choices {options}}}\n"
        "      - {id: second, type: single_choice, prompt: P, options: *choices}\n"
    )
    loaded = content_case(questionnaires={"skills.yaml": text})
    first, second = loaded.questionnaires["skills"].sections[0].questions[1:]
    assert second.options == first.options and len(second.options) == 2


def test_a_problem_in_an_alias_is_located_at_the_alias(content_case):
    text = MINIMAL_QUESTIONNAIRE.replace("title: Skills", "title: &t Skills") + (
        "estimated_minutes: *t  # @alias\n"
    )
    content_case(
        questionnaires={"skills.yaml": text},
        expected=[(Q, "@alias", "estimated_minutes", ErrorCode.WRONG_TYPE)],
    )


def test_lines_of_aliases_in_a_list_are_their_own():
    result = parsed("a: &x [1]\nb:\n  - 1\n  - *x\nc: *x\n")
    assert result.data == {"a": [1], "b": [1, [1]], "c": [1]}
    assert (result.lines.line_of(("b", 1)), result.lines.line_of(("c",))) == (4, 5)


def test_what_an_alias_repeats_is_located_at_the_alias(content_case):
    # The copy of an option is the duplicate: reported where the copy is written, where its
    # path (the second option) points, not on the original's line.
    question = (
        "      - id: shift\n        type: single_choice\n        prompt: P\n        options:\n"
        "          - &day {value: day, label: Day}\n"
        "          - {value: night, label: Night}\n"
        "          - *day  # @copy\n"
    )
    content_case(
        questionnaires={"skills.yaml": MINIMAL_QUESTIONNAIRE + question},
        expected=[
            (Q, "@copy", "sections[0].questions[1].options[2].value", ErrorCode.DUPLICATE_VALUE)
        ],
    )
    result = parsed("a: &x {b: {c: 1}}\nd: *x\n")
    assert [result.lines.line_of(loc) for loc in (("d",), ("d", "b"), ("d", "b", "c"))] == [2, 2, 2]


def test_an_alias_used_as_a_key_is_its_text():
    assert parsed("a: &k x\n*k : 1\n").data == {"a": "x", "x": 1}


def test_merge_keys_bring_in_keys_the_mapping_does_not_write_out():
    text = (
        "base: &base\n"  # 1
        "  x: 1\n"  # 2
        "  y: [1, 2]\n"  # 3
        "b:\n"  # 4
        "  <<: *base\n"  # 5
        "  y: 3\n"  # 6
        "c: {<<: [*base, {z: 5}], x: 9}\n"  # 7
    )
    result = parsed(text)
    assert result.data["b"] == {"x": 1, "y": 3}  # written out wins
    assert result.data["c"] == {"x": 9, "y": [1, 2], "z": 5}  # and earlier merges win
    assert result.issues == []  # a key over a merged one is no duplicate
    # A merged value is found where the anchor wrote it; a written one where it stands.
    lines = result.lines
    assert (lines.line_of(("b", "x")), lines.line_of(("b", "y")), lines.line_of(("c", "z"))) == (2, 6, 7)  # fmt: skip


def test_a_key_written_twice_beside_a_merge_is_still_a_duplicate():
    result = parsed("a: &a {x: 1}\nb:\n  x: 2\n  <<: *a\n  x: 3\n")
    assert result.data["b"] == {"x": 2}
    assert [(i.code, i.line, i.loc) for i in result.issues] == [(ErrorCode.DUPLICATE_KEY, 5, "b.x")]


@pytest.mark.parametrize(("merged", "got"), [("5", "5"), ("[*a, 2]", "a list of other values")])
def test_a_merge_of_something_else_than_mappings_is_refused(merged, got):
    issue = problem(f"a: &a {{x: 1}}\nb:\n  <<: {merged}\n")
    assert (issue.code, issue.line, issue.loc) == (ErrorCode.YAML_MERGE, 3, "b")
    assert issue.message.endswith(f"not {got}")


def test_an_alias_to_the_value_holding_it_is_refused():
    issue = problem("a: &a\n  - 1\n  - *a\n")
    assert (issue.code, issue.line, issue.loc) == (ErrorCode.YAML_ALIAS_LOOP, 3, "a[1]")


def test_alias_bomb_is_refused_quickly(content_case):
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    levels += [f"{c}: &{c} [{', '.join(['*' + p] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)]  # fmt: skip
    text = MINIMAL_QUESTIONNAIRE + "\n".join(levels) + "\n"
    started = time.perf_counter()
    loaded = content_case(
        questionnaires={"skills.yaml": text},
        expected=[(Q, 26, "f[0]", ErrorCode.YAML_ALIAS_BUDGET, "more than 100,000 values")],
    )
    assert time.perf_counter() - started < 5  # nine levels of nine: 387 million items if expanded
    assert not loaded.questionnaires


# Encodings ------------------------------------------------------------------------------------


def test_not_utf8_is_located_at_the_line_of_the_byte(content_case):
    raw = MINIMAL_QUESTIONNAIRE.replace("Main", "Caf\xe9").encode("latin-1")
    content_case(
        questionnaires={"skills.yaml": raw},
        expected=[(Q, 14, "", ErrorCode.NOT_UTF8, "(byte 0xe9 at offset")],
    )


def test_utf16_file_is_not_utf8(content_case):
    content_case(
        questionnaires={"skills.yaml": MINIMAL_QUESTIONNAIRE.encode("utf-16")},
        expected=[(Q, 1, "", ErrorCode.NOT_UTF8, "byte 0xff at offset 0")],
    )


def test_byte_order_mark_is_accepted(content_case):
    content = content_case(questionnaires={"skills.yaml": MINIMAL_QUESTIONNAIRE.encode("utf-8-sig")})  # fmt: skip
    assert list(content.questionnaires) == ["skills"]


def test_crlf_line_ends_keep_true_line_numbers(content_case):
    text = MINIMAL_QUESTIONNAIRE.replace("scale: five", "scale: six").replace("\n", "\r\n")
    content_case(
        questionnaires={"skills.yaml": text.encode()},
        expected=[(Q, 18, "sections[0].questions[0].scale", ErrorCode.UNKNOWN_SCALE)],
    )


def test_unicode_text_is_kept(content_case):
    text = MINIMAL_QUESTIONNAIRE.replace("title: Skills", "title: Compétences – 技能 ✓")
    content = content_case(questionnaires={"skills.yaml": text})
    assert content.questionnaires["skills"].title == "Compétences – 技能 ✓"


@pytest.mark.parametrize("escape", ["\\ud83d", "\\U0000D83D", "\\ud83d\\ude00"])
def test_half_a_character_pair_in_a_content_file_is_named(content_case, escape):
    # libyaml refuses these escapes with "invalid Unicode character escape code"; the author
    # needs to know which escape and what to write instead.
    text = MINIMAL_QUESTIONNAIRE.replace("title: Skills", f'title: "Skills {escape}"')
    line = next(n for n, row in enumerate(text.splitlines(), 1) if escape in row)
    content_case(
        questionnaires={"skills.yaml": text},
        expected=[(Q, line, "", ErrorCode.HALF_CHARACTER, escape[:6])],
    )


def test_both_halves_of_a_character_pair_still_read_in_a_json_answers_file():
    text = '{"format": "answers/1", "role": "r", "questionnaires": {"q": {"version": "1", '
    text += '"answers": {"notes": "Hi \\ud83d\\ude00"}}}}'
    document = parse_document(text, "answers.json", expected="answers/1")
    assert document.issues == []
    assert document.data["questionnaires"]["q"]["answers"]["notes"] == "Hi \U0001f600"


# Shapes of a file -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n", "   \n", "# just a comment\n", "---\n", "---\n...\n"])
def test_empty_file(content_case, text):
    content_case(
        questionnaires={"skills.yaml": text},
        expected=[(Q, 1, "", ErrorCode.FILE_EMPTY, "start it with `format: questionnaire/1`")],
    )


def test_top_level_list(content_case):
    content_case(
        questionnaires={"skills.yaml": "- format: questionnaire/1\n- id: skills\n"},
        expected=[(Q, 1, "", ErrorCode.NOT_A_MAPPING, "not a list")],
    )


def test_top_level_list_after_comments_is_located_where_it_starts(content_case):
    content_case(
        questionnaires={"skills.yaml": "# Skills\n\n- format: questionnaire/1\n"},
        expected=[(Q, 3, "", ErrorCode.NOT_A_MAPPING)],
    )


@pytest.mark.parametrize(
    ("text", "got"),
    [
        ("hello\n", "the single value 'hello'"),
        ("42\n", "the single value 42"),
        ("true\n", "the single value true"),  # as YAML writes it, not Python's True
        ("~\n", "an empty value (null)"),
    ],
)
def test_top_level_single_value(content_case, text, got):
    content_case(
        questionnaires={"skills.yaml": text},
        expected=[(Q, 1, "", ErrorCode.NOT_A_MAPPING, f"not {got}")],
    )


def test_multiple_documents_are_refused_at_the_second(content_case):
    text = MINIMAL_QUESTIONNAIRE + "---\n" + MINIMAL_QUESTIONNAIRE
    content_case(
        questionnaires={"skills.yaml": text},
        expected=[(Q, 21, "", ErrorCode.MULTIPLE_DOCUMENTS, "more than one YAML document")],
    )


def test_one_document_with_markers_is_fine(content_case):
    content_case(questionnaires={"skills.yaml": "---\n" + MINIMAL_QUESTIONNAIRE + "...\n"})


@pytest.mark.parametrize(
    ("text", "line", "got"),
    [("[a, b]: 1\n", 1, "a list or mapping"), ("a: 1\n? {b: 1}\n: 2\n", 2, "a list or mapping")],
)
def test_keys_must_be_plain_words(text, line, got):
    issue = problem(text)
    assert (issue.line, issue.code) == (line, ErrorCode.KEY_NOT_TEXT)
    assert got in issue.message


def test_keys_stay_text():
    # YAML 1.1 would turn these keys into booleans, numbers and null.
    assert list(parsed("yes: 1\non: 2\n3: 3\nnull: 4\n").data) == ["yes", "on", "3", "null"]


def test_dates_stay_as_written():
    assert parsed("version: 2026-11-01\n").data == {"version": "2026-11-01"}


def test_syntax_error_is_located(content_case):
    text = MINIMAL_QUESTIONNAIRE.replace("prompt: How often", "prompt: [How often")
    opened = next(n for n, line in enumerate(text.splitlines(), 1) if "[How often" in line)
    content_case(
        questionnaires={"skills.yaml": text},
        expected=[(Q, opened, "", ErrorCode.YAML_SYNTAX, "YAML syntax error")],
    )


def test_a_construct_left_open_is_located_where_it_opens():
    # The parser notices the missing `]`, `}` or quote only lines later; the mistake is where
    # the construct starts.
    for text, noticed in (
        ("a: 1\nb: [1, 2\nc: 3\nd: 4\n", 3),
        ("a: 1\nb: {x: 1,\n\nc: 3\n", 5),  # `c: 3` still fits in the mapping
        ('a: 1\nb: "unclosed\nc: 3\n', 4),
    ):
        issue = problem(text)
        assert (issue.line, issue.code) == (2, ErrorCode.YAML_SYNTAX), text
        assert f"on line {noticed} (while " in issue.message and "that starts here" in issue.message


def test_a_quote_closed_only_by_a_later_quote_is_located_where_it_opens():
    # The next quote in the file closes the one left open; the parser then stumbles over what
    # follows it, lines below the mistake.
    text = 'a: 1\nb: "unclosed\nc: 3\nd: "closed"\ne: 5\n'
    issue = problem(text)
    assert (issue.line, issue.code) == (2, ErrorCode.YAML_SYNTAX)
    assert "on line 4, where the quote opened here closes" in issue.message


def test_a_text_over_several_lines_in_quotes_is_fine():
    assert parsed('a: "one\n  two"\nb: "three"\n').data == {"a": "one two", "b": "three"}


def test_control_characters_are_a_syntax_error_at_their_line():
    issue = problem("a: 1\nb: 2\ntitle: a\x00b\n")
    assert (issue.line, issue.code) == (3, ErrorCode.YAML_SYNTAX)
    assert issue.message == "YAML syntax error: the character U+0000 is not allowed (control characters are not allowed)"  # fmt: skip


def test_deep_nesting_is_a_located_issue_not_a_crash():
    issue = problem("a: " + "[" * 20_000 + "]" * 20_000 + "\n")
    assert (issue.line, issue.code) == (1, ErrorCode.YAML_SYNTAX)


def test_a_file_over_the_size_limit_is_not_read(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * MAX_CONTENT_BYTES + b"\n")
    document = load_document(path, "big.yaml", expected="questionnaire/1")
    assert_issues(document.issues, [("big.yaml", 1, "", ErrorCode.FILE_TOO_LARGE, "content files may be at most")])  # fmt: skip


def test_an_unreadable_path_is_a_located_issue(tmp_path):
    document = load_document(tmp_path / "missing.yaml", "missing.yaml", expected=None)
    assert_issues(document.issues, [("missing.yaml", 1, "", ErrorCode.FILE_UNREADABLE)])


# The line map ---------------------------------------------------------------------------------


def test_line_map_has_values_and_keys():
    text = "a:\n  b:\n    - x\n    - {c: 1,\n       d: 2}\n"
    lines = parsed(text).lines
    assert lines.line_of(("a", "b", 1, "d")) == 5
    assert lines.line_of(("a", "b", 1)) == 4
    assert lines.line_of(("a", "b", 0)) == 3
    assert lines.line_of(("a", "b"), key=True) == 2
    assert lines.line_of(("a",), key=True) == 1


def test_line_of_a_missing_location_is_its_nearest_enclosing_value():
    lines = parsed("a:\n  b:\n    c: 1\n").lines
    assert lines.line_of(("a", "b", "zz", 3)) == 3
    assert lines.line_of(("nothing",)) == 1


def test_line_of_a_block_value_is_where_it_starts():
    lines = parsed("a: |\n  text\n  more\nb:\n  - 1\n").lines
    assert lines.line_of(("a",)) == 1
    assert lines.line_of(("b",)) == 5
    assert lines.line_of(("b",), key=True) == 4


def test_a_questionnaire_may_share_question_defaults_through_a_merge_key(content_case):
    questions = """
        - &rated {id: a, type: rating, scale: five, prompt: P, measures: communication}
        - {<<: *rated, id: b, prompt: Q}
    """
    loaded = content_case(questionnaires={"skills.yaml": questionnaire_yaml(questions)})
    (section,) = loaded.questionnaires["skills"].sections
    assert [(q.id, q.prompt, q.scale) for q in section.questions] == [("a", "P", "five"), ("b", "Q", "five")]  # fmt: skip


def test_a_number_in_exponent_form_is_a_number_as_json_writes_it():
    # YAML 1.1 would read 1e3 as text; JSON (and YAML 1.2) as a number.
    data = parsed('{"a": 1e3, "b": -2E+5, "c": 1.5e-1, "d": "1e3", e: \'1e3\', f: 1e3x}').data
    assert data == {"a": 1000.0, "b": -200000.0, "c": 0.15, "d": "1e3", "e": "1e3", "f": "1e3x"}
