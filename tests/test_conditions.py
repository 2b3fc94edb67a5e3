"""Conditions (`show_if`, `met_if`): what an author may write, and how it evaluates.

Validation goes through whole content roots (exact located issues). Evaluation compiles a
condition against a small questionnaire and evaluates it on an `AnswerFrame` of several answer
sets at once: two-valued for `show_if`, three-valued (Kleene) for `met_if`.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest

from readiness.answers import AnswerFrame
from readiness.conditions import ConditionParser, condition_text, evaluate
from readiness.content import Content, load_content
from readiness.messages import ErrorCode
from readiness.scoring import score_answer_maps
from readiness.yamlsafe import LineMap
from tests.fixtures.content import (
    MINIMAL_QUESTIONNAIRE,
    MINIMAL_ROLE,
    questionnaire_yaml,
    role_yaml,
    write_root,
)

Q, R = "assessments/skills.yaml", "data/roles/analyst.yaml"

# One question of each type, for validation and evaluation alike.
EVERY_TYPE = """
    - {id: rate, type: rating, scale: five, prompt: P}
    - id: pick
      type: single_choice
      prompt: P
      options: [{value: a, label: A}, {value: 1, label: One}, {value: true, label: Truly}]
    - id: many
      type: multiple_choice
      prompt: P
      options: [{value: x, label: X}, {value: y, label: Y}]
    - {id: yn, type: yes_no, prompt: P}
    - {id: years, type: number, prompt: P}
    - {id: notes, type: text, prompt: P}
"""
PROBE = "sections[0].questions[6]"


def with_probe(show_if: str) -> str:
    """The questionnaire with every type, then a question shown if `show_if` (flow YAML)."""
    return questionnaire_yaml(
        EVERY_TYPE + f"    - {{id: probe, type: yes_no, prompt: P, show_if: {show_if}}}  # @probe\n"
    )


# Validation: forms that are allowed -----------------------------------------------------------


@pytest.mark.parametrize(
    "condition",
    [
        "{question: rate, equals: 3}",
        "{question: rate, in: [1, 5]}",
        "{question: rate, at_least: 2}",
        "{question: rate, at_most: 4.5}",
        "{question: pick, equals: a}",
        "{question: pick, equals: 1}",
        "{question: pick, equals: true}",
        "{question: pick, in: [a, 1]}",
        "{question: many, includes: x}",
        "{question: yn, equals: false}",
        "{question: yn, in: [true]}",
        "{question: years, equals: 2.5}",
        "{question: years, at_least: -1}",
        "{question: years, at_most: 10}",
        "{question: notes, equals: anything}",
        "{question: notes, answered: false}",
        "{question: many, answered: true}",
        "{all: [{question: yn, equals: true}, {any: [{question: rate, at_least: 4}, {not: {question: notes, answered: true}}]}]}",  # fmt: skip
    ],
)
def test_each_condition_form_is_accepted(content_case, condition):
    content = content_case(questionnaires={"skills.yaml": with_probe(condition)})
    assert content.questionnaires["skills"].question("probe")._show_if is not None


def test_section_show_if_may_use_questions_of_earlier_sections(content_case):
    sections = """
        - id: first
          title: First
          questions: [{id: yn, type: yes_no, prompt: P}]
        - id: second
          title: Second
          show_if: {question: yn, equals: true}
          questions: [{id: more, type: yes_no, prompt: P}]
    """
    content_case(questionnaires={"skills.yaml": questionnaire_yaml(sections=sections)})


# Validation: questions that cannot be used ----------------------------------------------------


def test_unknown_question(content_case):
    content_case(
        questionnaires={"skills.yaml": with_probe("{question: nope, answered: true}")},
        expected=[
            (
                Q,
                "@probe",
                f"{PROBE}.show_if.question",
                ErrorCode.CONDITION_UNKNOWN_QUESTION,
                "'nope' is not a question in this questionnaire",
            )
        ],  # fmt: skip
    )


def test_later_question(content_case):
    questions = """
        - id: first
          type: yes_no
          prompt: P
          show_if: {question: second, equals: true}  # @cond
        - id: second  # @second
          type: yes_no
          prompt: P
    """
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(questions)},
        expected=[
            (
                Q,
                "@cond",
                "sections[0].questions[0].show_if.question",
                ErrorCode.CONDITION_LATER_QUESTION,
                "'second' is defined later (line 20)",
            ),  # fmt: skip
        ],
    )


def test_section_show_if_on_its_own_question_is_later(content_case):
    sections = """
        - id: main
          title: Main
          show_if: {question: yn, equals: true}  # @cond
          questions: [{id: yn, type: yes_no, prompt: P}]
    """
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(sections=sections)},
        expected=[(Q, "@cond", "sections[0].show_if.question", ErrorCode.CONDITION_LATER_QUESTION)],
    )


def test_question_testing_itself(content_case):
    questions = "- {id: yn, type: yes_no, prompt: P, show_if: {question: yn, answered: true}}"
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(questions)},
        expected=[(Q, 16, "sections[0].questions[0].show_if.question", ErrorCode.CONDITION_SELF)],
    )


def test_nested_problems_are_located_in_the_tree(content_case):
    questions = (
        EVERY_TYPE
        + """
    - id: probe
      type: yes_no
      prompt: P
      show_if:
        all:
          - {question: yn, equals: true}
          - any:
              - {question: rate, at_least: 2}
              - not: {question: nope, answered: true}  # @deep
    """
    )
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(questions)},
        expected=[
            (
                Q,
                "@deep",
                f"{PROBE}.show_if.all[1].any[1].not.question",
                ErrorCode.CONDITION_UNKNOWN_QUESTION,
            )
        ],  # fmt: skip
    )


# Validation: tests that do not fit the question's type ----------------------------------------


@pytest.mark.parametrize(
    ("condition", "test", "kind"),
    [
        ("{question: pick, at_least: 1}", "at_least", "single_choice"),
        ("{question: yn, at_most: 1}", "at_most", "yes_no"),
        ("{question: notes, at_least: 1}", "at_least", "text"),
        ("{question: many, at_least: 1}", "at_least", "multiple_choice"),
        ("{question: rate, includes: 3}", "includes", "rating"),
        ("{question: pick, includes: a}", "includes", "single_choice"),
        ("{question: many, equals: x}", "equals", "multiple_choice"),
        ("{question: many, in: [x]}", "in", "multiple_choice"),
    ],
)
def test_test_that_does_not_fit_the_question_type(content_case, condition, test, kind):
    content_case(
        questionnaires={"skills.yaml": with_probe(condition)},
        expected=[
            (
                Q,
                "@probe",
                f"{PROBE}.show_if.{test}",
                ErrorCode.CONDITION_TYPE_MISMATCH,
                f"{test} does not apply to a {kind} question",
            )
        ],  # fmt: skip
    )


@pytest.mark.parametrize(
    ("condition", "loc", "got"),
    [
        # Booleans equal only booleans: `true` never equals 1.
        ("{question: yn, equals: 1}", "equals", "1"),
        ("{question: yn, equals: 'true'}", "equals", "'true'"),
        ("{question: years, equals: true}", "equals", "true"),
        ("{question: rate, equals: true}", "equals", "true"),
        ("{question: rate, in: [1, false]}", "in[1]", "false"),
        # Values the question cannot take.
        ("{question: rate, equals: 7}", "equals", "7"),
        ("{question: rate, equals: '3'}", "equals", "'3'"),
        ("{question: pick, equals: b}", "equals", "'b'"),
        ("{question: pick, in: [a, 2]}", "in[1]", "2"),
        ("{question: many, includes: z}", "includes", "'z'"),
        ("{question: notes, equals: 3}", "equals", "3"),
        ("{question: years, equals: ten}", "equals", "'ten'"),
    ],
)
def test_value_that_is_not_a_possible_answer(content_case, condition, loc, got):
    content_case(
        questionnaires={"skills.yaml": with_probe(condition)},
        expected=[
            (
                Q,
                "@probe",
                f"{PROBE}.show_if.{loc}",
                ErrorCode.CONDITION_BAD_VALUE,
                f"{got} is not a possible answer",
            )
        ],  # fmt: skip
    )


def test_option_true_and_option_1_are_told_apart(content_case):
    # `pick` has options a, 1 and true: a test for false matches none of them.
    content_case(
        questionnaires={"skills.yaml": with_probe("{question: pick, equals: false}")},
        expected=[(Q, "@probe", f"{PROBE}.show_if.equals", ErrorCode.CONDITION_BAD_VALUE)],
    )


@pytest.mark.parametrize(
    ("condition", "loc", "fragment"),
    [
        ("{question: years, at_least: true}", "at_least", "at_least must be a number (got true)"),
        ("{question: years, at_most: '3'}", "at_most", "at_most must be a number"),
        ("{question: years, at_least: .nan}", "at_least", "at_least must be a number (got nan)"),
        ("{question: years, at_most: .inf}", "at_most", "at_most must be a number (got inf)"),
        ("{question: yn, answered: 1}", "answered", "answered must be true or false (got 1)"),
        ("{question: rate, in: 3}", "in", "in must be a non-empty list (got 3)"),
        ("{question: rate, in: []}", "in", "in must be a non-empty list (got an empty list)"),
        ("{question: [yn], equals: true}", "question", "question must be a question id"),
        (
            "{all: {question: yn, equals: true}}",
            "all",
            "all must be a non-empty list of conditions",
        ),
        ("{any: []}", "any", "any must be a non-empty list of conditions (got an empty list)"),
    ],
)
def test_wrongly_typed_parts_of_a_condition(content_case, condition, loc, fragment):
    content_case(
        questionnaires={"skills.yaml": with_probe(condition)},
        expected=[(Q, "@probe", f"{PROBE}.show_if.{loc}", ErrorCode.WRONG_TYPE, fragment)],
    )


@pytest.mark.parametrize(
    ("condition", "loc", "got"),
    [
        ("{question: yn}", "", "(got keys question)"),
        ("{question: yn, equals: true, in: [true]}", "", "(got keys equals, in, question)"),
        ("{equals: true}", "", "(got keys equals)"),
        ("{}", "", "(got an empty mapping)"),
        ("[{question: yn, equals: true}]", "", "(got a list)"),
        ("yes", "", "(got true)"),
        (
            "{all: [{question: yn, equals: true}], any: [{question: yn, equals: true}]}",
            "",
            "(got keys all, any)",
        ),  # fmt: skip
        ("{not: [{question: yn, equals: true}]}", ".not", "(got a list)"),
        ("{all: [yn]}", ".all[0]", "(got 'yn')"),
    ],
)
def test_shapes_that_are_not_a_condition(content_case, condition, loc, got):
    content_case(
        questionnaires={"skills.yaml": with_probe(condition)},
        expected=[(Q, "@probe", f"{PROBE}.show_if{loc}", ErrorCode.CONDITION_SHAPE, got)],
    )


def test_a_misspelt_condition_key_is_named_on_its_own_line(content_case):
    block = (
        "    - id: probe\n"
        "      type: yes_no\n"
        "      prompt: P\n"
        "      show_if:\n"
        "        question: yn\n"
        "        equal: true  # @typo\n"
        "    - id: other\n"
        "      type: yes_no\n"
        "      prompt: P\n"
        "      show_if: {question: yn, greater_than: 1}  # @unknown\n"
    )
    content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(EVERY_TYPE + block)},
        expected=[
            (Q, "@typo", f"{PROBE}.show_if.equal", ErrorCode.UNKNOWN_KEY, "did you mean 'equals'?"),
            (Q, "@unknown", "sections[0].questions[7].show_if.greater_than", ErrorCode.UNKNOWN_KEY,
             "a condition is one of {question: Q, equals: V}"),
        ],
    )  # fmt: skip


def test_every_problem_in_one_condition_is_reported(content_case):
    condition = "{all: [{question: nope, answered: true}, {question: yn, equals: 1}]}"
    content_case(
        questionnaires={"skills.yaml": with_probe(condition)},
        expected=[
            (Q, "@probe", f"{PROBE}.show_if.all[0].question", ErrorCode.CONDITION_UNKNOWN_QUESTION),
            (Q, "@probe", f"{PROBE}.show_if.all[1].equals", ErrorCode.CONDITION_BAD_VALUE),
        ],
    )


# Validation: met_if in role profiles ----------------------------------------------------------


def role_with_met_if(met_if: str) -> str:
    return role_yaml(
        requirements=f"""
            - id: must
              title: Must
              source: S
              met_if: {met_if}  # @met
        """
    )


def test_met_if_uses_questionnaire_dot_question(content_case):
    content = content_case(
        roles={"analyst.yaml": role_with_met_if("{question: skills.presenting, at_least: 3}")}
    )
    assert content.roles["analyst"].requirements[0]._met_if is not None


def test_met_if_without_the_questionnaire_id(content_case):
    content_case(
        roles={"analyst.yaml": role_with_met_if("{question: presenting, at_least: 3}")},
        expected=[
            (
                R,
                "@met",
                "requirements[0].met_if.question",
                ErrorCode.CONDITION_REFERENCE_FORM,
                "QUESTIONNAIRE_ID.QUESTION_ID (got 'presenting')",
            )
        ],  # fmt: skip
    )


@pytest.mark.parametrize("name", ["skills.", ".presenting"])
def test_met_if_with_an_empty_part(content_case, name):
    code = ErrorCode.CONDITION_REFERENCE_FORM if name.endswith(".") else ErrorCode.UNKNOWN_QUESTIONNAIRE  # fmt: skip
    content_case(
        roles={"analyst.yaml": role_with_met_if(f"{{question: '{name}', answered: true}}")},
        expected=[(R, "@met", "requirements[0].met_if.question", code)],
    )


def test_met_if_unknown_questionnaire_suggests_a_close_one(content_case):
    content_case(
        roles={"analyst.yaml": role_with_met_if("{question: skils.presenting, answered: true}")},
        expected=[
            (
                R,
                "@met",
                "requirements[0].met_if.question",
                ErrorCode.UNKNOWN_QUESTIONNAIRE,
                "there is no questionnaire 'skils' in the content; did you mean 'skills'?",
            )
        ],  # fmt: skip
    )


def test_met_if_unknown_question(content_case):
    content_case(
        roles={"analyst.yaml": role_with_met_if("{question: skills.nope, answered: true}")},
        expected=[
            (
                R,
                "@met",
                "requirements[0].met_if.question",
                ErrorCode.CONDITION_UNKNOWN_QUESTION,
                "'nope' is not a question in questionnaire 'skills'",
            )
        ],  # fmt: skip
    )


def test_met_if_test_that_does_not_fit(content_case):
    content_case(
        roles={"analyst.yaml": role_with_met_if("{question: skills.presenting, equals: 9}")},
        expected=[
            (
                R,
                "@met",
                "requirements[0].met_if.equals",
                ErrorCode.CONDITION_BAD_VALUE,
                "expected one of the scale values 1, 2, 3, 4, 5",
            )
        ],  # fmt: skip
    )


def test_met_if_into_a_broken_questionnaire_is_reported_once_and_the_role_is_not_offered(
    content_case,
):
    broken = MINIMAL_QUESTIONNAIRE.replace("title: Skills\n", "")
    content = content_case(
        questionnaires={"skills.yaml": broken},
        roles={"analyst.yaml": role_with_met_if("{question: skills.presenting, at_least: 3}")},
        expected=[(Q, 1, "title", ErrorCode.MISSING)],
    )
    # The role's own file is fine, but it cannot be scored without the questionnaire.
    assert content.roles == {}


def test_met_if_into_a_questionnaire_with_failed_checks_leaves_the_role_out(content_case):
    broken = MINIMAL_QUESTIONNAIRE.replace("scale: five", "scale: six")
    content = content_case(
        questionnaires={"skills.yaml": broken},
        roles={"analyst.yaml": role_with_met_if("{question: skills.presenting, answered: true}")},
        expected=[(Q, 18, "sections[0].questions[0].scale", ErrorCode.UNKNOWN_SCALE)],
    )
    assert content.roles == {}


def test_role_without_requirements_into_broken_content_is_still_offered(content_case):
    broken = MINIMAL_QUESTIONNAIRE.replace("title: Skills\n", "").replace("id: skills", "id: other")
    content = content_case(
        questionnaires={"skills.yaml": MINIMAL_QUESTIONNAIRE, "other.yaml": broken},
        expected=[("other.yaml", 1, "title", ErrorCode.MISSING)],
    )
    assert list(content.roles) == ["analyst"]


# Evaluation -----------------------------------------------------------------------------------

Answers = dict[str, Any]


@pytest.fixture(scope="module")
def every_type(tmp_path_factory) -> Content:
    root = write_root(
        tmp_path_factory.mktemp("conditions"),
        questionnaires={"skills.yaml": questionnaire_yaml(EVERY_TYPE)},
        roles={"analyst.yaml": MINIMAL_ROLE},
    )
    content = load_content(root)
    assert content.issues == []
    return content


def compiled(content: Content, spec: Any):
    """`spec` as a condition of questionnaire `skills`, which must accept it."""
    questionnaire = content.questionnaires["skills"]
    parser = ConditionParser("t.yaml", LineMap(), lambda name, line: (questionnaire, questionnaire.question(name)))  # fmt: skip
    condition = parser.parse(spec, ())
    assert parser.issues == [], parser.issues
    return condition


def outcomes(content: Content, spec: Any, answer_sets: list[Answers], *, three_valued: bool):
    """True, False or None (unknown) for each answer set (answers to questionnaire `skills`)."""
    condition = compiled(content, spec)
    frame = AnswerFrame(content.catalog, [{"skills": answers} for answers in answer_sets])
    value, known = evaluate(condition, frame, three_valued=three_valued)
    return [bool(v) if k else None for v, k in zip(value, known, strict=True)]


@pytest.mark.parametrize(
    ("spec", "answers", "expected"),
    [
        ({"question": "rate", "equals": 3}, [{"rate": 3}, {"rate": 4}, {}], [True, False, False]),
        ({"question": "rate", "at_least": 4}, [{"rate": 4}, {"rate": 3}, {}], [True, False, False]),
        ({"question": "rate", "at_most": 2}, [{"rate": 2}, {"rate": 3}, {}], [True, False, False]),
        ({"question": "years", "equals": 3}, [{"years": 3.0}, {"years": 3.5}], [True, False]),
        (
            {"question": "years", "at_least": 0},
            [{"years": 0}, {"years": -1}, {}],
            [True, False, False],
        ),  # fmt: skip
        (
            {"question": "pick", "equals": 1},
            [{"pick": 1}, {"pick": True}, {"pick": "a"}],
            [True, False, False],
        ),  # fmt: skip
        ({"question": "pick", "equals": True}, [{"pick": 1}, {"pick": True}], [False, True]),
        (
            {"question": "pick", "in": ["a", 1]},
            [{"pick": "a"}, {"pick": 1}, {"pick": True}],
            [True, True, False],
        ),  # fmt: skip
        (
            {"question": "many", "includes": "x"},
            [{"many": ["x", "y"]}, {"many": ["y"]}, {"many": []}],
            [True, False, False],
        ),  # fmt: skip
        (
            {"question": "yn", "equals": False},
            [{"yn": False}, {"yn": True}, {}],
            [True, False, False],
        ),  # fmt: skip
        (
            {"question": "notes", "equals": "hi"},
            [{"notes": "hi"}, {"notes": "Hi"}, {}],
            [True, False, False],
        ),  # fmt: skip
        (
            {"question": "many", "answered": True},
            [{"many": ["x"]}, {"many": []}, {"many": None}, {}],
            [True, False, False, False],
        ),  # fmt: skip
        (
            {"question": "notes", "answered": False},
            [{"notes": ""}, {"notes": None}, {}],
            [False, True, True],
        ),  # fmt: skip
    ],
)
def test_tests_compare_raw_answers(every_type, spec, answers, expected):
    assert outcomes(every_type, spec, answers, three_valued=False) == expected


def test_rating_tests_use_the_scale_value_not_the_level(every_type):
    # Scale values 1..5: value 4 is level 3, and `at_least: 4` is about the value.
    assert outcomes(every_type, {"question": "rate", "at_least": 4}, [{"rate": 4}], three_valued=False) == [True]  # fmt: skip


def test_show_if_is_two_valued(every_type):
    # A test on an unanswered question is false, so `not` of it is true.
    spec = {"not": {"question": "rate", "at_least": 4}}
    assert outcomes(every_type, spec, [{}, {"rate": 5}, {"rate": 1}], three_valued=False) == [True, False, True]  # fmt: skip


def test_met_if_test_on_an_unanswered_question_is_unknown(every_type):
    spec = {"question": "rate", "at_least": 4}
    assert outcomes(every_type, spec, [{}, {"rate": 5}, {"rate": 1}], three_valued=True) == [None, True, False]  # fmt: skip


def test_met_if_answered_test_is_never_unknown(every_type):
    spec = {"question": "rate", "answered": True}
    assert outcomes(every_type, spec, [{}, {"rate": 5}], three_valued=True) == [False, True]
    spec = {"not": {"question": "rate", "answered": False}}
    assert outcomes(every_type, spec, [{}, {"rate": 5}], three_valued=True) == [False, True]


# Leaves for the truth tables: `yn equals true` is T for yes, F for no, unknown when unanswered.
LEAF_A = {"question": "yn", "equals": True}
LEAF_B = {"question": "rate", "at_least": 3}
ANSWER_A = {True: {"yn": True}, False: {"yn": False}, None: {}}
ANSWER_B = {True: {"rate": 5}, False: {"rate": 1}, None: {}}
VALUES = (True, False, None)


def kleene_not(a):
    return None if a is None else not a


def kleene_all(a, b):
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def kleene_any(a, b):
    if a is True or b is True:
        return True
    return None if a is None or b is None else False


def test_met_if_not_table(every_type):
    answers = [ANSWER_A[a] for a in VALUES]
    assert outcomes(every_type, {"not": LEAF_A}, answers, three_valued=True) == [False, True, None]  # fmt: skip


@pytest.mark.parametrize(("combinator", "table"), [("all", kleene_all), ("any", kleene_any)])
def test_met_if_all_and_any_tables(every_type, combinator, table):
    pairs = list(itertools.product(VALUES, VALUES))
    answers = [ANSWER_A[a] | ANSWER_B[b] for a, b in pairs]
    got = outcomes(every_type, {combinator: [LEAF_A, LEAF_B]}, answers, three_valued=True)
    assert got == [table(a, b) for a, b in pairs]


def test_met_if_not_of_all_of_unknown_stays_unknown(every_type):
    spec = {"not": {"all": [LEAF_A, {"not": LEAF_B}]}}
    answers = [ANSWER_A[a] | ANSWER_B[b] for a, b in itertools.product(VALUES, VALUES)]
    expected = [kleene_not(kleene_all(a, kleene_not(b))) for a, b in itertools.product(VALUES, VALUES)]  # fmt: skip
    assert outcomes(every_type, spec, answers, three_valued=True) == expected


@pytest.mark.parametrize(("combinator", "table"), [("all", kleene_all), ("any", kleene_any)])
def test_show_if_tables_treat_unanswered_as_false(every_type, combinator, table):
    pairs = list(itertools.product(VALUES, VALUES))
    answers = [ANSWER_A[a] | ANSWER_B[b] for a, b in pairs]
    got = outcomes(every_type, {combinator: [LEAF_A, LEAF_B]}, answers, three_valued=False)
    assert got == [table(bool(a), bool(b)) for a, b in pairs]


# Visibility: hidden questions count as unanswered --------------------------------------------

CHAIN = """
    - id: sections
      title: Chain
      questions:
        - {id: first, type: yes_no, prompt: P}
        - {id: second, type: yes_no, prompt: P, show_if: {question: first, equals: true}}
        - {id: third, type: yes_no, prompt: P, show_if: {question: second, answered: true}}
        - {id: fourth, type: yes_no, prompt: P, show_if: {not: {question: second, equals: true}}}
    - id: later
      title: Later
      show_if: {question: third, answered: true}
      questions:
        - {id: inside, type: yes_no, prompt: P}
        - {id: inside-too, type: yes_no, prompt: P, show_if: {question: first, answered: true}}
"""


@pytest.fixture(scope="module")
def chain(tmp_path_factory) -> Content:
    root = write_root(
        tmp_path_factory.mktemp("chain"),
        questionnaires={"skills.yaml": questionnaire_yaml(sections=CHAIN)},
        roles={
            "analyst.yaml": role_yaml(
                requirements="""
            - {id: second-yes, title: S, source: S, met_if: {question: skills.second, equals: true}}
            - {id: second-unanswered, title: S, source: S, met_if: {question: skills.second, answered: false}}
        """
            )
        },  # fmt: skip
    )
    content = load_content(root)
    assert content.issues == []
    return content


def visibility(content: Content, answer_sets: list[Answers]) -> list[dict[str, bool]]:
    frame = AnswerFrame(content.catalog, [{"skills": answers} for answers in answer_sets])
    ids = [column.question.id for column in content.catalog.columns]
    return [dict(zip(ids, row.tolist(), strict=True)) for row in frame.visible]


def test_a_hidden_question_counts_as_unanswered_for_later_conditions(chain):
    everything = {"first": False, "second": True, "third": True, "fourth": True, "inside": True}
    (seen,) = visibility(chain, [everything])
    # first = no hides second; its stale `true` is dropped, so third (second answered?) hides,
    # fourth (not second = true) shows, and section `later` (third answered?) hides.
    assert seen == {
        "first": True,
        "second": False,
        "third": False,
        "fourth": True,
        "inside": False,
        "inside-too": False,
    }


def test_a_visible_chain_shows_everything(chain):
    (seen,) = visibility(chain, [{"first": True, "second": True, "third": False}])
    assert seen == dict.fromkeys(seen, True) | {"fourth": False}


def test_a_hidden_section_hides_its_questions_whatever_their_own_show_if(chain):
    (seen,) = visibility(chain, [{"first": True, "second": True}])
    assert (seen["inside"], seen["inside-too"]) == (False, False)


def test_met_if_on_a_hidden_question_is_unknown_and_answered_false_is_met(chain):
    batch = score_answer_maps(chain, "analyst", [{"skills": {"first": False, "second": True}}])
    assert batch.requirement_status[0].tolist() == ["unknown", "met"]


def test_a_must_have_unknown_behind_a_hidden_question_says_it_was_not_asked(chain):
    # second is hidden when first = no, shown (and still unanswered) when first = yes.
    batch = score_answer_maps(chain, "analyst", [{"skills": {"first": False}}, {"skills": {"first": True}}])  # fmt: skip
    hidden, shown = batch.result(0), batch.result(1)
    assert [(r.id, r.status, r.not_asked) for r in hidden.requirements][0] == ("second-yes", "unknown", True)  # fmt: skip
    assert hidden.requirements[0].words == "Not asked, given your other answers"
    assert (
        hidden.must_have_reason(hidden.plan[0]) == "must-have not asked, given your other answers"
    )
    assert (shown.requirements[0].status, shown.requirements[0].not_asked) == ("unknown", False)
    assert shown.requirements[0].words == "Not answered"
    assert shown.must_have_reason(shown.plan[0]) == "must-have not answered yet"


def test_visibility_is_computed_per_answer_set(chain):
    rows = visibility(chain, [{"first": True}, {"first": False, "second": True}, {}])
    assert [row["second"] for row in rows] == [True, False, False]
    assert np.array([row["fourth"] for row in rows]).tolist() == [True, True, True]


# In words (the studio's preview) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ({"question": "pick", "equals": "a"}, 'skills.pick is "a"'),
        ({"question": "pick", "equals": True}, "skills.pick is true"),
        ({"question": "pick", "in": ["a", 1]}, 'skills.pick is one of "a", 1'),
        ({"question": "many", "includes": "x"}, 'skills.many includes "x"'),
        ({"question": "years", "at_least": 2.0}, "skills.years is at least 2"),
        ({"question": "rate", "at_most": 2.5}, "skills.rate is at most 2.5"),
        ({"question": "notes", "answered": False}, "skills.notes is not answered"),
        ({"not": {"question": "yn", "equals": True}}, "not (skills.yn is true)"),
        (
            {"all": [{"question": "yn", "equals": True},
                     {"any": [{"question": "years", "at_least": 3}, {"question": "notes", "answered": True}]}]},
            "skills.yn is true and (skills.years is at least 3 or skills.notes is answered)",
        ),
    ],
)  # fmt: skip
def test_a_condition_reads_as_written(every_type, spec, words):
    assert condition_text(compiled(every_type, spec)) == words


def test_inside_a_questionnaire_a_condition_names_questions_by_id(every_type):
    condition = compiled(every_type, {"any": [{"question": "pick", "in": ["a"]}, {"question": "yn", "answered": True}]})  # fmt: skip
    assert condition_text(condition, qualified=False) == 'pick is one of "a" or yn is answered'
