"""Every validation rule of content-format.md: inline content in, exact located issues out.

Each case names the file, the line (a number or a `# @marker` in the YAML), the dotted field and
the ErrorCode. Rules about reading YAML itself (tabs, tags, aliases, encodings) are in
test_yamlsafe.py; condition rules are in test_conditions.py.
"""

from __future__ import annotations

import pytest

from readiness.loader import parse_document, validate_model
from readiness.messages import ErrorCode
from tests.fixtures.content import (
    MARKET_HEADER,
    MINIMAL_QUESTIONNAIRE,
    MINIMAL_ROLE,
    questionnaire_yaml,
    role_yaml,
)

Q, R, M = "assessments/skills.yaml", "data/roles/analyst.yaml", "data/market/figures.csv"
QUESTION = "sections[0].questions[0]"


def test_minimal_content_loads_cleanly(content_case):
    content = content_case()
    assert list(content.questionnaires) == ["skills"]
    assert list(content.roles) == ["analyst"]


def test_assert_issues_reports_missing_and_unexpected_issues(content_case):
    with pytest.raises(pytest.fail.Exception, match="missing"):
        content_case(expected=[(Q, 1, "id", ErrorCode.BAD_ID)])
    with pytest.raises(pytest.fail.Exception, match="unexpected"):
        content_case(questionnaires={"skills.yaml": MINIMAL_QUESTIONNAIRE.replace("id: skills", "id: Skills")})  # fmt: skip


# Unknown keys ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typo", "loc", "suggestion"),
    [
        ("requierd: false", f"{QUESTION}.requierd", "required"),
        ("wieght: 2", f"{QUESTION}.wieght", "weight"),
        ("mesures: communication", f"{QUESTION}.mesures", "measures"),
        ("show-if: {question: x, answered: true}", f"{QUESTION}.show-if", "show_if"),
    ],
)
def test_unknown_key_in_a_question_suggests_the_close_key(content_case, typo, loc, suggestion):
    questions = f"""
        - id: presenting
          type: rating
          scale: five
          prompt: How often do you present?
          {typo}  # @typo
    """
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(questions)},
        expected=[(Q, "@typo", loc, ErrorCode.UNKNOWN_KEY, f"did you mean {suggestion!r}?")],
    )


def test_unknown_top_level_key_is_reported_at_its_line(content_case):
    text = MINIMAL_QUESTIONNAIRE.replace('version: "1"\n', 'version: "1"\ntitel: Again  # @k\n')
    content_case(
        questionnaires={"skills.yaml": text},
        expected=[(Q, "@k", "titel", ErrorCode.UNKNOWN_KEY, "did you mean 'title'?")],
    )


def test_unknown_key_in_a_role_competency(content_case):
    role = role_yaml(
        """
        - id: communication
          title: Communication
          target: 3
          importanse: 4  # @k
          source: S
        """
    )
    content_case(
        roles={"analyst.yaml": role},
        expected=[
            (R, "@k", "competencies[0].importanse", ErrorCode.UNKNOWN_KEY, "'importance'"),
            (R, 5, "competencies[0].importance", ErrorCode.MISSING),
        ],
    )


def test_unknown_key_without_a_close_match_has_no_suggestion(content_case):
    text = MINIMAL_QUESTIONNAIRE + "zzqqxx: 1  # @k\n"
    content = content_case(
        questionnaires={"skills.yaml": text},
        expected=[(Q, "@k", "zzqqxx", ErrorCode.UNKNOWN_KEY)],
    )
    assert content.issues[0].message == "unknown key 'zzqqxx'"


@pytest.mark.parametrize(
    ("question", "key", "kind"),
    [
        ("{id: q, type: rating, scale: five, prompt: P, options: []}", "options", "rating"),
        ("{id: q, type: text, prompt: P, scale: five}", "scale", "text"),
        (
            "{id: q, type: single_choice, prompt: P, min: 1, options: [{value: a, label: A}, {value: b, label: B}]}",
            "min",
            "single_choice",
        ),  # fmt: skip
        ("{id: q, type: number, prompt: P, yes_level: 2}", "yes_level", "number"),
    ],
)
def test_key_of_another_question_type_says_it_does_not_apply(content_case, question, key, kind):
    # Not "unknown key 'options'; did you mean 'options'?": the key is known, just not here.
    content = content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(f"- {question}")},
        expected=[(Q, 16, f"{QUESTION}.{key}", ErrorCode.NOT_FOR_TYPE)],
    )
    assert content.issues[0].message == ErrorCode.NOT_FOR_TYPE.format(field=key, type=kind)


def test_known_key_in_the_wrong_place_never_suggests_itself(content_case):
    text = MINIMAL_QUESTIONNAIRE + "options: []  # @k\n"
    content = content_case(
        questionnaires={"skills.yaml": text}, expected=[(Q, "@k", "options", ErrorCode.UNKNOWN_KEY)]
    )
    assert "did you mean 'options'" not in content.issues[0].message


# Missing keys: reported where the mapping that lacks them starts -------------------------------


def test_missing_top_level_key_points_at_the_start_of_the_file(content_case):
    text = MINIMAL_QUESTIONNAIRE.replace("title: Skills\n", "")
    content_case(
        questionnaires={"skills.yaml": text},
        expected=[(Q, 1, "title", ErrorCode.MISSING, "title is required")],
    )


def test_missing_top_level_key_after_leading_comments(content_case):
    text = "# Skills questionnaire\n\n" + MINIMAL_QUESTIONNAIRE.replace('version: "1"\n', "")
    content_case(questionnaires={"skills.yaml": text}, expected=[(Q, 3, "version", ErrorCode.MISSING)])  # fmt: skip


def test_missing_question_keys_point_at_the_question(content_case):
    questions = """
        - id: presenting  # @first
          type: rating
          scale: five
        - id: second  # @second
          prompt: What type am I?
        - {type: yes_no, prompt: No id}  # @third
    """
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(questions)},
        expected=[
            (Q, "@first", f"{QUESTION}.prompt", ErrorCode.MISSING),
            (Q, "@second", "sections[0].questions[1].type", ErrorCode.MISSING),
            (Q, "@third", "sections[0].questions[2].id", ErrorCode.MISSING),
        ],
    )


def test_missing_scale_on_a_rating_question(content_case):
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml("- {id: q, type: rating, prompt: P}")},
        expected=[(Q, 16, f"{QUESTION}.scale", ErrorCode.MISSING, "scale is required")],
    )


@pytest.mark.parametrize("kind", ["single_choice", "multiple_choice"])
def test_missing_options_on_a_choice_question(content_case, kind):
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(f"- {{id: q, type: {kind}, prompt: P}}")},
        expected=[(Q, 16, f"{QUESTION}.options", ErrorCode.MISSING)],
    )


def test_missing_section_keys(content_case):
    sections = """
        - id: main  # @main
          questions:
            - {id: q, type: yes_no, prompt: P}
        - title: No id  # @untitled
          questions: []  # @empty
    """
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(sections=sections)},
        expected=[
            (Q, "@main", "sections[0].title", ErrorCode.MISSING),
            (Q, "@untitled", "sections[1].id", ErrorCode.MISSING),
            (Q, "@empty", "sections[1].questions", ErrorCode.TOO_FEW),
        ],
    )


def test_missing_role_keys(content_case):
    role = """\
        format: role/1
        id: analyst
        competencies:
          - {id: communication, title: C, target: 3, importance: 4}  # @comp
        requirements:
          - id: degree  # @req
            title: Degree
            met_if: {question: skills.presenting, answered: true}
    """
    content_case(
        roles={"analyst.yaml": role},
        expected=[
            (R, 1, "title", ErrorCode.MISSING),
            (R, 1, "bands", ErrorCode.MISSING),
            (R, "@comp", "competencies[0].source", ErrorCode.MISSING),
            (R, "@req", "requirements[0].source", ErrorCode.MISSING),
        ],
    )


def test_empty_lists_where_at_least_one_item_is_required(content_case):
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(sections="[]")},
        roles={"analyst.yaml": role_yaml("[]", bands="[]")},
        expected=[
            (Q, 13, "sections", ErrorCode.TOO_FEW),
            (R, 5, "competencies", ErrorCode.TOO_FEW),
            (R, 7, "bands", ErrorCode.TOO_FEW),
        ],
    )


# Wrong types ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line_text", "loc", "fragment"),
    [
        ("prompt: 3", "prompt", 'prompt must be text in quotes, such as "3" (got 3)'),
        ("prompt: ''", "prompt", "prompt must not be empty"),
        ("required: 'no'", "required", "required must be true or false (got 'no')"),
        ("weight: heavy", "weight", "weight must be a number (got 'heavy')"),
        ("weight: true", "weight", "weight must be a number (got true)"),
        ("measures: [communication]", "measures", "measures must be text (got a list)"),
        ("show_if: yes", "show_if", "a condition must be one of"),
    ],
)
def test_wrong_type_of_a_question_field(content_case, line_text, loc, fragment):
    prompt = "" if line_text.startswith("prompt") else "prompt: P"
    questions = f"""
        - id: q
          type: yes_no
          {prompt}
          {line_text}  # @here
    """
    code = {
        "prompt must not be empty": ErrorCode.EMPTY_TEXT,
        "a condition must be one of": ErrorCode.CONDITION_SHAPE,
    }.get(fragment, ErrorCode.WRONG_TYPE)
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(questions)},
        expected=[(Q, "@here", f"{QUESTION}.{loc}", code, fragment)],
    )


def test_wrong_types_at_the_top_of_the_file(content_case):
    text = """\
        format: questionnaire/1
        id: skills
        title: [Skills]
        version: "1"
        estimated_minutes: soon
        sections: {main: {title: Main}}
    """
    content_case(
        questionnaires={"skills.yaml": text},
        expected=[
            (Q, 3, "title", ErrorCode.WRONG_TYPE, "title must be text (got a list)"),
            (Q, 5, "estimated_minutes", ErrorCode.WRONG_TYPE, "a number (got 'soon')"),
            (Q, 6, "sections", ErrorCode.WRONG_TYPE, "sections must be a list (got a mapping)"),
        ],
    )


def test_a_version_written_without_quotes_is_kept_as_written(content_case):
    # YAML reads 2026.10 as the number 2026.1 and 010 as 8: the author's text is what counts.
    written = {"skills": "2026.10", "other": "010", "third": "3"}
    content = content_case(
        questionnaires={
            f"{qid}.yaml": MINIMAL_QUESTIONNAIRE.replace(
                'version: "1"', f"version: {text}"
            ).replace("id: skills", f"id: {qid}")
            for qid, text in written.items()
        },
        expected=[],
    )
    assert {qid: q.version for qid, q in content.questionnaires.items()} == written


def test_unknown_question_type_lists_the_types(content_case):
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml("- {id: q, type: radio, prompt: P}")},
        expected=[
            (
                Q,
                16,
                f"{QUESTION}.type",
                ErrorCode.BAD_CHOICE,
                "rating, single_choice, multiple_choice, yes_no, number, text (got 'radio')",
            ),  # fmt: skip
        ],
    )


@pytest.mark.parametrize("value", ["[a]", "{a: 1}", "null", ".nan"])
def test_option_value_must_be_a_single_value(content_case, value):
    questions = f"""
        - id: q
          type: single_choice
          prompt: P
          options:
            - {{value: {value}, label: A}}  # @bad
            - {{value: b, label: B}}
    """
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(questions)},
        expected=[
            (
                Q,
                "@bad",
                f"{QUESTION}.options[0].value",
                ErrorCode.WRONG_TYPE,
                "value must be a single value",
            )
        ],  # fmt: skip
    )


@pytest.mark.parametrize("number", [".inf", "-.inf", ".nan"])
def test_numbers_must_be_finite(content_case, number):
    # An infinite weight would make every level of its competency NaN.
    questions = f"""
        - id: q
          type: yes_no
          prompt: P
          measures: communication
          weight: {number}  # @w
    """
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(questions)},
        expected=[(Q, "@w", f"{QUESTION}.weight", ErrorCode.WRONG_TYPE, "a finite number")],
    )


# Ids ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad_id", ["Presenting", "1st", "a_b", "-a", "a b", "é", "'a.b'"])
def test_ids_are_lowercase_letters_digits_and_dashes(content_case, bad_id):
    shown = bad_id.strip("'")
    content_case(
        questionnaires={
            "skills.yaml": questionnaire_yaml(f"- {{id: {bad_id}, type: yes_no, prompt: P}}")
        },  # fmt: skip
        expected=[(Q, 16, f"{QUESTION}.id", ErrorCode.BAD_ID, f"{shown!r} is not a valid id")],
    )


@pytest.mark.parametrize("good_id", ["a", "a-1", "q2-x", "a--b", "z-"])
def test_valid_ids(content_case, good_id):
    content_case(
        questionnaires={
            "skills.yaml": questionnaire_yaml(f"- {{id: {good_id}, type: yes_no, prompt: P}}")
        },  # fmt: skip
    )


def test_bad_ids_in_every_place(content_case):
    questionnaire = questionnaire_yaml(
        sections="- {id: Main, title: Main, questions: [{id: q, type: yes_no, prompt: P}]}",
        id="Skills",
    )
    role = role_yaml(
        "- {id: Comm, title: C, target: 3, importance: 4, source: S}",
        requirements="- {id: 2nd, title: R, source: S, met_if: {question: x.y, answered: true}}",
        id="the_analyst",
        tail="market: Market",
    )
    content_case(
        questionnaires={"skills.yaml": questionnaire},
        roles={"analyst.yaml": role},
        expected=[
            (Q, 2, "id", ErrorCode.BAD_ID),
            (Q, 13, "sections[0].id", ErrorCode.BAD_ID),
            (R, 2, "id", ErrorCode.BAD_ID),
            (R, 5, "competencies[0].id", ErrorCode.BAD_ID),
            (R, 7, "requirements[0].id", ErrorCode.BAD_ID),
            (R, 11, "market", ErrorCode.BAD_ID),
        ],
    )


# Unique ids within a file ---------------------------------------------------------------------


def test_duplicate_question_ids_across_sections(content_case):
    sections = """
        - id: one
          title: One
          questions:
            - {id: q, type: yes_no, prompt: P}  # @first
        - id: two
          title: Two
          questions:
            - {id: q, type: yes_no, prompt: P}  # @dup
    """
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(sections=sections)},
        expected=[
            (
                Q,
                "@dup",
                "sections[1].questions[0].id",
                ErrorCode.DUPLICATE_ID,
                "duplicate question id 'q' (first at line 16)",
            ),  # fmt: skip
        ],
    )


def test_duplicate_section_ids(content_case):
    sections = """
        - {id: one, title: One, questions: [{id: a, type: yes_no, prompt: P}]}
        - {id: one, title: Two, questions: [{id: b, type: yes_no, prompt: P}]}
    """
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(sections=sections)},
        expected=[
            (Q, 14, "sections[1].id", ErrorCode.DUPLICATE_ID, "section id 'one' (first at line 13)")
        ],  # fmt: skip
    )


def test_competency_and_requirement_ids_share_one_namespace(content_case):
    role = role_yaml(
        requirements="""
            - id: communication  # @clash
              title: Talks well
              source: S
              met_if: {question: skills.presenting, answered: true}
        """
    )
    content_case(
        roles={"analyst.yaml": role},
        expected=[
            (
                R,
                "@clash",
                "requirements[0].id",
                ErrorCode.DUPLICATE_ID,
                "duplicate competency or requirement id 'communication' (first at line 5)",
            ),  # fmt: skip
        ],
    )


def test_duplicate_competency_ids(content_case):
    role = role_yaml(
        """
        - {id: communication, title: A, target: 3, importance: 4, source: S}
        - {id: communication, title: B, target: 3, importance: 4, source: S}
        """
    )
    content_case(
        roles={"analyst.yaml": role},
        expected=[(R, 6, "competencies[1].id", ErrorCode.DUPLICATE_ID)],
    )


# Scales ---------------------------------------------------------------------------------------


def test_a_scale_needs_at_least_two_entries(content_case):
    scales = """
        five:  # @scale
          - {value: 1, label: Only}
    """
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(scales=scales)},
        expected=[
            (Q, 7, "scales.five", ErrorCode.TOO_FEW, "five needs at least 2 item(s) (got 1)")
        ],
    )


def test_scale_values_must_be_distinct_numbers(content_case):
    scales = """
        five:
          - {value: 1, label: Low}
          - {value: 1.0, label: Also low}  # @dup
          - {value: high, label: High}  # @text
    """
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(scales=scales)},
        expected=[
            (
                Q,
                "@text",
                "scales.five[2].value",
                ErrorCode.WRONG_TYPE,
                "value must be a number (got 'high')",
            ),  # fmt: skip
        ],
    )
    # Once every value is a number, the duplicate is found.
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(scales=scales.replace("high", "3"))},
        expected=[
            (
                Q,
                "@dup",
                "scales.five[1].value",
                ErrorCode.DUPLICATE_VALUE,
                "duplicate scale value 1 (first at line 7)",
            ),  # fmt: skip
        ],
    )


def test_scale_entry_needs_a_label(content_case):
    scales = """
        five:
          - {value: 1}  # @here
          - {value: 2, label: Two, hint: Often}
    """
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(scales=scales)},
        expected=[(Q, "@here", "scales.five[0].label", ErrorCode.MISSING)],
    )


def test_rating_scale_must_be_defined(content_case):
    questions = """
        - id: presenting
          type: rating
          scale: fiv  # @scale
          prompt: P
    """
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(questions)},
        expected=[
            (
                Q,
                "@scale",
                f"{QUESTION}.scale",
                ErrorCode.UNKNOWN_SCALE,
                "scale 'fiv' is not defined under `scales` (defined: 'five')",
            ),  # fmt: skip
        ],
    )


def test_rating_scale_with_no_scales_at_all(content_case):
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(scales=None)},
        expected=[(Q, 11, f"{QUESTION}.scale", ErrorCode.UNKNOWN_SCALE, "none are defined")],
    )


# Options --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["single_choice", "multiple_choice"])
def test_choice_questions_need_two_options(content_case, kind):
    questions = f"""
        - id: q
          type: {kind}
          prompt: P
          options:  # @options
            - {{value: a, label: A}}
    """
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(questions)},
        expected=[(Q, 20, f"{QUESTION}.options", ErrorCode.TOO_FEW, "options needs at least 2")],
    )


@pytest.mark.parametrize("kind", ["single_choice", "multiple_choice"])
def test_option_values_are_unique(content_case, kind):
    questions = f"""
        - id: q
          type: {kind}
          prompt: P
          options:
            - {{value: a, label: A}}
            - {{value: b, label: B}}
            - {{value: a, label: A again}}  # @dup
    """
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(questions)},
        expected=[
            (
                Q,
                "@dup",
                f"{QUESTION}.options[2].value",
                ErrorCode.DUPLICATE_VALUE,
                "duplicate option value 'a' (first at line 20)",
            ),  # fmt: skip
        ],
    )


def test_true_and_1_are_different_option_values(content_case):
    # Booleans equal only booleans, though Python hashes True and 1 alike.
    questions = """
        - id: q
          type: single_choice
          prompt: P
          options:
            - {value: true, label: Certainly}
            - {value: 1, label: One}
            - {value: 1.0, label: One again}  # @dup
    """
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(questions)},
        expected=[(Q, "@dup", f"{QUESTION}.options[2].value", ErrorCode.DUPLICATE_VALUE)],
    )


@pytest.mark.parametrize("kind", ["single_choice", "multiple_choice"])
def test_level_is_required_on_every_option_when_the_question_measures(content_case, kind):
    questions = f"""
        - id: q
          type: {kind}
          prompt: P
          measures: communication
          options:
            - {{value: a, label: A, level: 1}}
            - {{value: b, label: B}}  # @missing
            - {{value: c, label: C, level: 5}}  # @high
    """
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(questions)},
        expected=[
            (
                Q,
                "@high",
                f"{QUESTION}.options[2].level",
                ErrorCode.OUT_OF_RANGE,
                "level must be at most 4",
            ),  # fmt: skip
        ],
    )
    # Levels within range: the missing one is found by the checks that follow the schema.
    content_case(
        questionnaires={
            "skills.yaml": questionnaire_yaml(questions.replace("level: 5", "level: 4"))
        },  # fmt: skip
        expected=[
            (
                Q,
                "@missing",
                f"{QUESTION}.options[1].level",
                ErrorCode.LEVEL_REQUIRED,
                "because the question measures 'communication'",
            ),  # fmt: skip
        ],
    )


def test_levels_are_optional_on_options_of_a_question_that_measures_nothing(content_case):
    questions = """
        - id: q
          type: single_choice
          prompt: P
          options: [{value: a, label: A}, {value: b, label: B, level: 2}]
    """
    content_case(questionnaires={"skills.yaml": questionnaire_yaml(questions)})


# Number questions -----------------------------------------------------------------------------


def test_number_levels_must_ascend_strictly(content_case):
    questions = """
        - id: years
          type: number
          prompt: P
          measures: communication
          levels:
            - {at_least: 0, level: 0}
            - {at_least: 3, level: 2}
            - {at_least: 3, level: 3}  # @same
            - {at_least: 1, level: 4}  # @lower
    """
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(questions)},
        expected=[
            (
                Q,
                "@same",
                f"{QUESTION}.levels[2].at_least",
                ErrorCode.LEVELS_NOT_ASCENDING,
                "(3 follows 3)",
            ),  # fmt: skip
            (
                Q,
                "@lower",
                f"{QUESTION}.levels[3].at_least",
                ErrorCode.LEVELS_NOT_ASCENDING,
                "(1 follows 3)",
            ),  # fmt: skip
        ],
    )


@pytest.mark.parametrize(
    ("levels", "where"),
    [("", "@question"), ("levels: []  # @empty", "@empty")],  # the question, or the empty list
)
def test_number_levels_are_required_when_the_question_measures(content_case, levels, where):
    questions = f"""
        - id: years  # @question
          type: number
          prompt: P
          measures: communication
          {levels}
    """
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(questions)},
        expected=[
            (Q, where, f"{QUESTION}.levels", ErrorCode.LEVELS_REQUIRED, "measures 'communication'")
        ],  # fmt: skip
    )


def test_number_without_measures_needs_no_levels(content_case):
    content_case(
        questionnaires={
            "skills.yaml": questionnaire_yaml(
                "- {id: years, type: number, prompt: P, min: 0, max: 0}"
            )
        },  # fmt: skip
    )


def test_number_min_must_not_exceed_max(content_case):
    questions = """
        - id: years
          type: number
          prompt: P
          min: 10  # @min
          max: 5
    """
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(questions)},
        expected=[
            (
                Q,
                "@min",
                f"{QUESTION}.min",
                ErrorCode.MIN_ABOVE_MAX,
                "min (10) must not be greater than max (5)",
            )
        ],  # fmt: skip
    )


def test_number_threshold_level_out_of_range(content_case):
    questions = """
        - id: years
          type: number
          prompt: P
          measures: communication
          levels:
            - {at_least: 0, level: -1}  # @low
    """
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(questions)},
        expected=[
            (
                Q,
                "@low",
                f"{QUESTION}.levels[0].level",
                ErrorCode.OUT_OF_RANGE,
                "level must be at least 0",
            )
        ],  # fmt: skip
    )


# yes_no, weight, text -------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "bound"), [("5", "at most 4"), ("-0.5", "at least 0")])
def test_yes_level_is_a_level_0_to_4(content_case, value, bound):
    questions = f"""
        - id: q
          type: yes_no
          prompt: P
          measures: communication
          yes_level: {value}  # @level
    """
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(questions)},
        expected=[
            (
                Q,
                "@level",
                f"{QUESTION}.yes_level",
                ErrorCode.OUT_OF_RANGE,
                f"yes_level must be {bound} (got {value})",
            )
        ],  # fmt: skip
    )


@pytest.mark.parametrize("weight", ["0", "-1", "0.0"])
def test_weight_must_be_greater_than_zero(content_case, weight):
    questions = f"""
        - id: q
          type: yes_no
          prompt: P
          measures: communication
          weight: {weight}  # @weight
    """
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(questions)},
        expected=[
            (
                Q,
                "@weight",
                f"{QUESTION}.weight",
                ErrorCode.OUT_OF_RANGE,
                f"weight must be greater than 0 (got {weight})",
            )
        ],  # fmt: skip
    )


def test_a_text_question_cannot_measure(content_case):
    # Text is never scored, so `measures` on it would silently do nothing.
    questions = """
        - id: notes
          type: text
          prompt: P
          measures: communication  # @m
    """
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(questions)},
        expected=[(Q, "@m", f"{QUESTION}.measures", ErrorCode.NOT_FOR_TYPE)],
    )


# Across files ---------------------------------------------------------------------------------


def test_measures_must_name_a_competency_of_some_role(content_case):
    questions = """
        - {id: a, type: yes_no, prompt: P, measures: comunication}  # @typo
        - {id: b, type: yes_no, prompt: P, measures: leadership}  # @other-role
        - {id: c, type: yes_no, prompt: P, measures: zzz}  # @nowhere
    """
    second_role = role_yaml("- {id: leadership, title: L, target: 2, importance: 3, source: S}", id="manager")  # fmt: skip
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(questions)},
        roles={"analyst.yaml": MINIMAL_ROLE, "manager.yaml": second_role},
        expected=[
            (
                Q,
                "@typo",
                f"{QUESTION}.measures",
                ErrorCode.UNKNOWN_COMPETENCY,
                "measures 'comunication', which no role profile defines; did you mean 'communication'?",
            ),  # fmt: skip
            (Q, "@nowhere", "sections[0].questions[2].measures", ErrorCode.UNKNOWN_COMPETENCY),
        ],
    )


def test_measures_of_a_competency_in_a_broken_role_is_not_reported_twice(content_case):
    broken_role = MINIMAL_ROLE.replace("title: Analyst\n", "")
    content_case(
        roles={"analyst.yaml": broken_role},
        expected=[(R, 1, "title", ErrorCode.MISSING)],
    )


ROLE_WITH_MET_IF = MINIMAL_ROLE + (
    "requirements:\n"
    "  - {id: talks, title: T, source: S, met_if: {question: skills.presenting, at_least: 2}}\n"
)


@pytest.mark.parametrize(
    ("broken", "line", "loc", "code"),
    [
        (MINIMAL_QUESTIONNAIRE.replace("format: questionnaire/1\n", "format: questionnaire/1\nsections: [\n"), 2, "", ErrorCode.YAML_SYNTAX),
        ("", 1, "", ErrorCode.FILE_EMPTY),
        (MINIMAL_QUESTIONNAIRE.replace("questionnaire/1", "questionnaire/2"), 1, "format", ErrorCode.FORMAT_NEWER),
        (MINIMAL_QUESTIONNAIRE.replace("format: questionnaire/1\n", ""), 1, "format", ErrorCode.FORMAT_MISSING),
        ("- a list\n", 1, "", ErrorCode.NOT_A_MAPPING),
    ],
)  # fmt: skip
def test_a_questionnaire_that_does_not_load_brings_no_false_problem_to_its_role(
    content_case, broken, line, loc, code
):
    # The role's met_if names skills.presenting: only the questionnaire's own problem shows.
    content = content_case(
        questionnaires={"skills.yaml": broken},
        roles={"analyst.yaml": ROLE_WITH_MET_IF},
        expected=[(Q, line, loc, code)],
    )
    assert not content.roles  # its met_if cannot be evaluated, so it is not offered


@pytest.mark.parametrize(
    ("broken", "line", "loc", "code"),
    [
        ("format: role/1\nid: analyst\ncompetencies: [\n", 4, "", ErrorCode.YAML_SYNTAX),
        (MINIMAL_ROLE.replace("role/1", "role/2"), 1, "format", ErrorCode.FORMAT_NEWER),
        ("", 1, "", ErrorCode.FILE_EMPTY),
    ],
)
def test_a_role_that_cannot_be_read_brings_no_false_problem_to_questionnaires(
    content_case, broken, line, loc, code
):
    # MINIMAL_QUESTIONNAIRE measures `communication`, which only the broken role defines.
    content_case(
        questionnaires={"skills.yaml": MINIMAL_QUESTIONNAIRE},
        roles={"analyst.yaml": broken},
        expected=[(R, line, loc, code)],
    )


def test_a_questionnaire_read_short_of_its_id_brings_no_false_problem_to_its_role(content_case):
    # Named other than its id, and its reading ends (at the tag) before the id is kept: it
    # may define any questionnaire, so the role's reference to `skills` is not "unknown".
    broken = MINIMAL_QUESTIONNAIRE.replace("title: Skills", "title: !!str Skills")
    content_case(
        questionnaires={"my-skills.yaml": broken},
        roles={"analyst.yaml": ROLE_WITH_MET_IF},
        expected=[("assessments/my-skills.yaml", 3, "title", ErrorCode.YAML_TAG)],
    )


def test_an_id_defined_twice_brings_no_false_problem_to_the_files_using_it(content_case):
    # The role means the second `skills` (the one asking `travels`); the questionnaire
    # measures `travel`, which only the second `analyst` defines. Only the duplicates show.
    second_skills = MINIMAL_QUESTIONNAIRE + (
        "      - {id: travels, type: yes_no, prompt: Do you travel?, measures: travel}\n"
    )
    role = MINIMAL_ROLE + (
        "requirements:\n"
        "  - {id: road, title: R, source: S, met_if: {question: skills.travels, equals: true}}\n"
    )
    second_role = MINIMAL_ROLE.replace(
        "competencies:\n",
        "competencies:\n  - {id: travel, title: Travel, target: 2, importance: 2, source: S}\n",
    )
    content_case(
        questionnaires={"a.yaml": MINIMAL_QUESTIONNAIRE, "b.yaml": second_skills},
        roles={"a.yaml": role, "b.yaml": second_role},
        expected=[
            ("assessments/b.yaml", 2, "id", ErrorCode.DUPLICATE_CONTENT_ID),
            ("data/roles/b.yaml", 2, "id", ErrorCode.DUPLICATE_CONTENT_ID),
        ],
    )


def test_questionnaire_ids_are_unique_across_files(content_case):
    content = content_case(
        questionnaires={"a.yaml": MINIMAL_QUESTIONNAIRE, "b.yaml": MINIMAL_QUESTIONNAIRE},
        expected=[
            (
                "assessments/b.yaml",
                2,
                "id",
                ErrorCode.DUPLICATE_CONTENT_ID,
                "questionnaire id 'skills' is already used by",
            ),  # fmt: skip
        ],
    )
    assert content.issues[0].message.endswith("assessments/a.yaml")


def test_role_ids_are_unique_across_files(content_case):
    content_case(
        roles={"a.yaml": MINIMAL_ROLE, "b.yaml": MINIMAL_ROLE},
        expected=[
            ("data/roles/b.yaml", 2, "id", ErrorCode.DUPLICATE_CONTENT_ID, "role id 'analyst'")
        ],  # fmt: skip
    )


def test_a_questionnaire_and_a_role_may_share_an_id(content_case):
    content_case(roles={"skills.yaml": MINIMAL_ROLE.replace("id: analyst", "id: skills")})


def test_only_files_without_issues_are_offered(content_case):
    broken = MINIMAL_QUESTIONNAIRE.replace("id: skills", "id: other").replace("five\n", "six\n")
    content = content_case(
        questionnaires={"skills.yaml": MINIMAL_QUESTIONNAIRE, "other.yaml": broken},
        expected=[("other.yaml", 18, f"{QUESTION}.scale", ErrorCode.UNKNOWN_SCALE)],
    )
    assert list(content.questionnaires) == ["skills"]


def test_every_issue_of_every_file_is_collected_in_one_pass(content_case):
    content_case(
        questionnaires={
            "a.yaml": MINIMAL_QUESTIONNAIRE.replace("id: skills", "id: A"),
            "b.yaml": "format: questionnaire/1\n",
        },
        roles={"analyst.yaml": MINIMAL_ROLE.replace("importance: 4", "importance: 9")},
        expected=[
            ("assessments/a.yaml", 2, "id", ErrorCode.BAD_ID),
            ("assessments/b.yaml", 1, "id", ErrorCode.MISSING),
            ("assessments/b.yaml", 1, "title", ErrorCode.MISSING),
            ("assessments/b.yaml", 1, "version", ErrorCode.MISSING),
            ("assessments/b.yaml", 1, "sections", ErrorCode.MISSING),
            (R, 8, "competencies[0].importance", ErrorCode.OUT_OF_RANGE, "at most 5"),
        ],
    )


def test_a_wrong_optional_key_does_not_hide_the_files_other_problems(content_case):
    questions = """
        - {id: a, type: yes_no, prompt: P, requierd: false}  # @typo
        - {id: a, type: yes_no, prompt: P, weight: -1}  # @again
        - {id: c, type: yes_no, prompt: P, measures: zzz}  # @nowhere
    """
    content = content_case(
        questionnaires={
            "skills.yaml": questionnaire_yaml(questions, head="estimated_minutes: 0  # @minutes")
        },  # fmt: skip
        expected=[
            (Q, "@minutes", "estimated_minutes", ErrorCode.OUT_OF_RANGE),
            (Q, "@typo", f"{QUESTION}.requierd", ErrorCode.UNKNOWN_KEY),
            (Q, "@again", "sections[0].questions[1].weight", ErrorCode.OUT_OF_RANGE),
            (Q, "@again", "sections[0].questions[1].id", ErrorCode.DUPLICATE_ID),
            (Q, "@nowhere", "sections[0].questions[2].measures", ErrorCode.UNKNOWN_COMPETENCY),
        ],
    )
    assert not content.questionnaires  # checked further, but still not offered


def test_a_met_if_into_a_questionnaire_with_a_wrong_optional_key_is_checked(content_case):
    role = MINIMAL_ROLE + (
        "requirements:\n"
        "  - {id: talks, title: T, source: S, met_if: {question: skills.zz, answered: true}}  # @zz\n"
    )
    content = content_case(
        questionnaires={
            "skills.yaml": MINIMAL_QUESTIONNAIRE.replace(
                'version: "1"\n', 'version: "1"\nestimated_minutes: -1  # @minutes\n'
            )
        },  # fmt: skip
        roles={"analyst.yaml": role},
        expected=[
            (Q, "@minutes", "estimated_minutes", ErrorCode.OUT_OF_RANGE),
            (R, "@zz", "requirements[0].met_if.question", ErrorCode.CONDITION_UNKNOWN_QUESTION),
        ],
    )
    assert not content.questionnaires and not content.roles


def test_a_wrong_required_part_reports_only_itself_rather_than_guess(content_case):
    # Without its scale, every rating would look like it named an unknown scale.
    broken = MINIMAL_QUESTIONNAIRE.replace("  five:\n", "  five: oops  # @scale\n  unused:\n")
    content_case(
        questionnaires={"skills.yaml": broken},
        expected=[(Q, "@scale", "scales.five", ErrorCode.WRONG_TYPE)],
    )


# Role profiles --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("target", "5", "target must be at most 4"),
        ("target", "-1", "target must be at least 0"),
        ("importance", "0.5", "importance must be at least 1"),
        ("importance", "6", "importance must be at most 5"),
    ],
)
def test_competency_ranges(content_case, field, value, fragment):
    role = MINIMAL_ROLE.replace(f"{field}: ", f"{field}: {value}  # @here\n    old_{field}: ")
    role = role.replace(f"    old_{field}: {'3' if field == 'target' else '4'}\n", "")
    content_case(
        roles={"analyst.yaml": role},
        expected=[(R, "@here", f"competencies[0].{field}", ErrorCode.OUT_OF_RANGE, fragment)],
    )


def test_bands_must_be_listed_highest_first(content_case):
    bands = """
        - {at_least: 50, label: Close}
        - {at_least: 80, label: Ready}  # @up
        - {at_least: 80, label: Same}  # @same
        - {at_least: 0, label: Start}
    """
    content_case(
        roles={"analyst.yaml": role_yaml(bands=bands)},
        expected=[
            (
                R,
                "@up",
                "bands[1].at_least",
                ErrorCode.BANDS_NOT_DESCENDING,
                "at_least 80 follows 50",
            ),  # fmt: skip
            (
                R,
                "@same",
                "bands[2].at_least",
                ErrorCode.BANDS_NOT_DESCENDING,
                "at_least 80 follows 80",
            ),  # fmt: skip
        ],
    )


def test_the_last_band_starts_at_zero(content_case):
    bands = """
        - {at_least: 80, label: Ready}
        - {at_least: 10, label: Start}  # @last
    """
    content_case(
        roles={"analyst.yaml": role_yaml(bands=bands)},
        expected=[
            (R, "@last", "bands[1].at_least", ErrorCode.BANDS_NOT_ENDING_AT_ZERO, "(got 10)")
        ],  # fmt: skip
    )


def test_band_floor_is_a_score_0_to_100(content_case):
    content_case(
        roles={
            "analyst.yaml": role_yaml(
                bands="- {at_least: 101, label: Never}\n- {at_least: 0, label: L}"
            )
        },  # fmt: skip
        expected=[(R, 7, "bands[0].at_least", ErrorCode.OUT_OF_RANGE, "at most 100")],
    )


def test_a_single_band_at_zero_is_enough(content_case):
    content_case(roles={"analyst.yaml": role_yaml(bands="- {at_least: 0, label: Everyone}")})


def test_role_with_every_optional_key(content_case):
    role = role_yaml(
        """
        - id: communication
          title: Communication
          description: Talks well.
          target: 0
          importance: 1
          source: S
          actions: [Practise.]
        """,
        requirements="""
            - id: degree
              title: Degree
              met_if: {question: skills.presenting, answered: true}
              action: Study.
              source: S
        """,
        tail="""
            summary: A role.
            related_occupations:
              - {soc: "41-4011", title: Sales}
            market: analyst
        """,
    )
    content = content_case(roles={"analyst.yaml": role})
    assert content.roles["analyst"].market == "analyst"


# Format ---------------------------------------------------------------------------------------


def test_format_is_required(content_case):
    text = "# Skills\nid: skills\n"
    content_case(
        questionnaires={"skills.yaml": text},
        expected=[
            (Q, 2, "format", ErrorCode.FORMAT_MISSING, "add `format: questionnaire/1` at the top")
        ],  # fmt: skip
    )


def test_unknown_format(content_case):
    content_case(
        questionnaires={"skills.yaml": MINIMAL_QUESTIONNAIRE.replace("questionnaire/1", "quiz/1")},
        expected=[(Q, 1, "format", ErrorCode.FORMAT_UNKNOWN, "unknown format 'quiz/1'")],
    )


@pytest.mark.parametrize(("folder", "newer"), [("questionnaires", "questionnaire/2"), ("roles", "role/12")])  # fmt: skip
def test_newer_format_says_so(content_case, folder, newer):
    suffix = f"assessments/{newer[0]}.yaml" if folder == "questionnaires" else f"data/roles/{newer[0]}.yaml"  # fmt: skip
    files = {"questionnaires": {"skills.yaml": MINIMAL_QUESTIONNAIRE}, "roles": {"analyst.yaml": MINIMAL_ROLE}}  # fmt: skip
    files[folder][f"{newer[0]}.yaml"] = f"format: {newer}\nid: x\n"
    content_case(
        **files,
        expected=[
            (
                suffix,
                1,
                "format",
                ErrorCode.FORMAT_NEWER,
                f"format {newer!r} is newer than this app understands",
            )
        ],  # fmt: skip
    )


def test_a_role_in_the_questionnaire_folder_is_a_mismatch(content_case):
    content_case(
        questionnaires={"skills.yaml": MINIMAL_QUESTIONNAIRE, "analyst.yaml": MINIMAL_ROLE},
        expected=[
            (
                "assessments/analyst.yaml",
                1,
                "format",
                ErrorCode.FORMAT_MISMATCH,
                "this folder holds questionnaire/1 files",
            )
        ],  # fmt: skip
    )


def test_files_with_other_suffixes_are_ignored(content_case):
    content = content_case(questionnaires={"skills.yaml": MINIMAL_QUESTIONNAIRE, "notes.txt": "not: [yaml"})  # fmt: skip
    assert list(content.questionnaires) == ["skills"]


def test_yml_suffix_is_read(content_case):
    content = content_case(questionnaires={"skills.yml": MINIMAL_QUESTIONNAIRE})
    assert list(content.questionnaires) == ["skills"]


# Market CSV -----------------------------------------------------------------------------------


def _row(**fields: str) -> str:
    row = {
        "role": "analyst",
        "metric": "salary_median",
        "value": "65000",
        "unit": "USD per year",
        "period": "2024",
        "region": "US",
        "source": "BLS OEWS",
        "url": "",
        "retrieved": "2026-01-01",
    } | fields
    return ",".join(row.values()) + "\n"


def test_market_rows_load_with_their_lines_and_disagreeing_sources_both_stay(content_case):
    text = MARKET_HEADER + _row() + "\n" + _row(value="70000", source="Another survey")
    content = content_case(market={"figures.csv": text})
    assert content.market["value"].tolist() == [65000.0, 70000.0]
    assert content.market["line"].tolist() == [2, 4]


def test_market_header_missing_a_column(content_case):
    header = MARKET_HEADER.replace(",source", "")
    content_case(
        market={"figures.csv": header + _row()},
        expected=[(M, 1, "header", ErrorCode.CSV_HEADER, "missing source")],
    )


def test_market_header_unknown_and_repeated_columns(content_case):
    header = MARKET_HEADER.strip() + ",notes,role\n"
    content_case(
        market={"figures.csv": header},
        expected=[(M, 1, "header", ErrorCode.CSV_HEADER, "unknown notes; repeated role")],
    )


@pytest.mark.parametrize(
    "header, problem",
    [
        ("metric,role,value,unit,period,region,source,url,retrieved", "in another order"),
        ("role, metric, value, unit, period, region, source, url, retrieved", "no spaces"),
    ],
)
def test_market_header_is_the_formats_line_to_the_letter(content_case, header, problem):
    content_case(
        market={"figures.csv": header + "\n" + _row()},
        expected=[(M, 1, "header", ErrorCode.CSV_HEADER, problem)],
    )


def test_market_value_must_be_a_number(content_case):
    text = MARKET_HEADER + _row() + _row(value='"65,000"') + _row(value="n/a")
    content_case(
        market={"figures.csv": text},
        expected=[
            (M, 3, "value", ErrorCode.CSV_NUMBER, "(got '65,000')"),
            (M, 4, "value", ErrorCode.CSV_NUMBER, "(got 'n/a')"),
        ],
    )


def test_market_metric_must_be_known(content_case):
    content_case(
        market={"figures.csv": MARKET_HEADER + _row(metric="salary_average")},
        expected=[
            (
                M,
                2,
                "metric",
                ErrorCode.CSV_METRIC,
                "metric 'salary_average' is not one of salary_p10",
            )
        ],  # fmt: skip
    )


@pytest.mark.parametrize("column", ["role", "metric", "value", "source"])
def test_market_required_columns_on_every_row(content_case, column):
    content_case(
        market={"figures.csv": MARKET_HEADER + _row(**{column: "  "})},
        expected=[(M, 2, column, ErrorCode.CSV_REQUIRED, f"{column} is required on every row")],
    )


def test_market_quoted_line_break_is_a_space_and_later_lines_stay_true(content_case):
    # A quoted field may span lines in CSV; the source is shown on one line.
    text = MARKET_HEADER + _row(source='"BLS\nOEWS"') + _row(value="oops")
    content = content_case(
        market={"figures.csv": text}, expected=[(M, 4, "value", ErrorCode.CSV_NUMBER)]
    )
    assert [(r["source"], r["line"]) for r in content.market_records] == [("BLS OEWS", 2)]


def test_market_field_count(content_case):
    content_case(
        market={"figures.csv": MARKET_HEADER + _row().strip() + ",extra\n" + "a,b\n"},
        expected=[
            (M, 2, "row", ErrorCode.CSV_FIELD_COUNT, "the row has 10 fields; the header has 9"),
            (M, 3, "row", ErrorCode.CSV_FIELD_COUNT, "the row has 2 fields"),
        ],
    )


def test_market_negative_values_only_for_growth(content_case):
    text = MARKET_HEADER + _row(value="-1") + _row(metric="growth_pct", value="-3.5")
    content = content_case(
        market={"figures.csv": text},
        expected=[(M, 2, "value", ErrorCode.CSV_NEGATIVE, "salary_median cannot be negative")],
    )
    assert content.market["value"].tolist() == [-3.5]


def test_market_empty_file(content_case):
    content_case(
        market={"figures.csv": "\n"},
        expected=[(M, 1, "header", ErrorCode.CSV_EMPTY, "start it with the header line role,")],
    )


def test_market_file_not_utf8(content_case):
    content_case(
        market={"figures.csv": MARKET_HEADER.encode() + _row(source="Caf\xe9").encode("latin-1")},
        expected=[(M, 2, "", ErrorCode.NOT_UTF8, "byte 0xe9")],
    )


def test_market_header_with_bom_and_crlf_line_ends(content_case):
    text = ("\ufeff" + MARKET_HEADER + _row() + _row(value="oops")).replace("\n", "\r\n")
    content_case(
        market={"figures.csv": text.encode("utf-8")},
        expected=[(M, 3, "value", ErrorCode.CSV_NUMBER)],
    )


def test_an_optional_key_written_with_no_value_takes_its_default(content_case):
    # `key:` with nothing after it is YAML's null: for an optional key, the key left out.
    questionnaire = """\
format: questionnaire/1
id: skills
title: Skills
version: "1"
description:
estimated_minutes:
scales:
sections:
  - id: main
    title: Main
    intro:
    show_if:
    questions:
      - id: travels
        type: yes_no
        prompt: Do you travel?
        help:
        required:
        show_if:
        measures: communication
        weight:
        yes_level:
      - id: count
        type: number
        prompt: How many?
        min:
        max:
        levels:
      - id: pick
        type: single_choice
        prompt: Which?
        options:
          - {value: a, label: A, level: null}
          - {value: b, label: B}
"""
    role = """\
format: role/1
id: analyst
title: Analyst
summary:
related_occupations:
competencies:
  - id: communication
    title: Communication
    description:
    target: 3
    importance: 4
    source: Test source
    actions:
requirements:
bands:
  - {at_least: 50, label: Ready, message: ~}
  - {at_least: 0, label: Not yet}
market:
career_steps:
"""
    content = content_case(
        questionnaires={"skills.yaml": questionnaire}, roles={"analyst.yaml": role}
    )
    travels = content.questionnaires["skills"].question("travels")
    assert (travels.weight, travels.yes_level, travels.is_required) == (1, 4, True)
    assert content.questionnaires["skills"].scales == {}
    analyst = content.roles["analyst"]
    assert (analyst.requirements, analyst.related_occupations, analyst.market) == ([], [], None)
    assert analyst.competencies[0].actions == []


def test_a_required_key_written_with_no_value_is_still_missing_its_value(content_case):
    content_case(
        roles={"analyst.yaml": MINIMAL_ROLE.replace("title: Analyst", "title:")},
        expected=[("analyst.yaml", 3, "title", ErrorCode.WRONG_TYPE)],
    )


def test_an_answer_set_keeps_its_versions_as_written_and_its_answers_as_given():
    text = (
        "format: answers/1\nrole: analyst\nquestionnaires:\n"
        "  skills:\n    version: 2026.10\n    answers: {version: 3, presenting: 2}\n"
    )
    document = parse_document(text, "answers.yaml", expected="answers/1")
    validate_model(document)
    assert document.issues == []
    (entry,) = document.model.questionnaires.values()
    # A question may be called "version": its answer stays the number it is.
    assert (entry.version, entry.answers) == ("2026.10", {"version": 3, "presenting": 2})


@pytest.mark.parametrize("blank", ['""', '" "', '"\\t  "'])
def test_a_text_of_spaces_is_as_empty_as_no_text(content_case, blank):
    content_case(
        roles={"analyst.yaml": MINIMAL_ROLE.replace("title: Analyst", f"title: {blank}")},
        expected=[("analyst.yaml", 3, "title", ErrorCode.EMPTY_TEXT, "title must not be empty")],
    )
