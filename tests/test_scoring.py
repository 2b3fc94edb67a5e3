"""The one scoring definition (content-format.md, "Scoring"), with numbers worked out by hand.

Each expected number has its arithmetic in a comment. Levels go through `score_one` (a frame of
one); the last tests check that scoring many answer sets at once gives the same row by row.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from readiness.answers import answer_issues, answers_that_fit, check_answer
from readiness.charts import competency_table
from readiness.cohort import TOP_GAPS_COLUMN, cohort_table
from readiness.content import Content, load_content
from readiness.journey import answer_rows
from readiness.loader import parse_document, validate_model
from readiness.messages import ErrorCode
from readiness.schema import Questionnaire
from readiness.scoring import ScoreResult, round_half_up, score_answer_maps, score_one
from tests.fixtures.content import assert_issues, questionnaire_yaml, role_yaml, write_root

SCALES = """
five:   # values 1..5: level = 4 × (v − 1) / 4 = v − 1
  - {value: 1, label: Never}
  - {value: 2, label: Rarely}
  - {value: 3, label: Sometimes}
  - {value: 4, label: Often}
  - {value: 5, label: Always}
uneven:   # values 1, 2, 4, 8: level = 4 × (v − 1) / 7
  - {value: 2, label: Two}
  - {value: 8, label: Eight}
  - {value: 1, label: One}
  - {value: 4, label: Four}
centred:   # values −2..2: level = 4 × (v + 2) / 4 = v + 2
  - {value: -2, label: Strongly disagree}
  - {value: 0, label: Neutral}
  - {value: 2, label: Strongly agree}
"""
SECTIONS = """
- id: main
  title: Main
  questions:
    - {id: rate-a, type: rating, scale: five, prompt: P, measures: communication}
    - {id: rate-b, type: rating, scale: five, prompt: P, measures: communication, weight: 3}
    - {id: rate-uneven, type: rating, scale: uneven, prompt: P, measures: uneven}
    - {id: rate-centred, type: rating, scale: centred, prompt: P, measures: centred}
    - id: pick
      type: single_choice
      prompt: P
      measures: knowledge
      options:
        - {value: a, label: A, level: 1}
        - {value: b, label: B, level: 3.5}
        - {value: c, label: C, level: 0}
    - id: many
      type: multiple_choice
      prompt: P
      measures: tools
      options:
        - {value: x, label: X, level: 2}
        - {value: y, label: Y, level: 3}
        - {value: z, label: Z, level: 1}
    - {id: drive, type: yes_no, prompt: P, measures: driving, yes_level: 3}
    - {id: travel, type: yes_no, prompt: P, measures: travel}
    - id: years
      type: number
      prompt: P
      measures: experience
      levels:
        - {at_least: 1, level: 1}
        - {at_least: 3, level: 2.5}
        - {at_least: 10, level: 4}
    - {id: gated, type: rating, scale: five, prompt: P, measures: communication, show_if: {question: drive, equals: true}}
    - {id: notes, type: text, prompt: P}
- id: abroad
  title: Abroad
  show_if: {question: travel, equals: true}
  questions:
    - {id: abroad-rate, type: rating, scale: five, prompt: P, measures: communication}
    - {id: chained, type: rating, scale: five, prompt: P, measures: knowledge, show_if: {question: abroad-rate, answered: true}}
"""
COMPETENCIES = """
- {id: communication, title: C, target: 3, importance: 4, source: S}
- {id: knowledge, title: K, target: 2, importance: 3, source: S}
- {id: tools, title: T, target: 4, importance: 2, source: S}
- {id: driving, title: D, target: 3, importance: 1, source: S}
- {id: travel, title: Tr, target: 4, importance: 1, source: S}
- {id: experience, title: E, target: 2.5, importance: 5, source: S}
- {id: unmeasured, title: U, target: 2, importance: 1, source: S}
- {id: zero, title: Z, target: 0, importance: 2, source: S}
"""
SIDE_ROLE = role_yaml(
    """
    - {id: uneven, title: U, target: 4, importance: 1, source: S}
    - {id: centred, title: C, target: 4, importance: 1, source: S}
    """,
    id="side",
)
BANDS = """
- {at_least: 81, label: Ready}
- {at_least: 50, label: Close}
- {at_least: 0, label: Start}
"""
# Every scored question answered; travel = no hides section `abroad` and its stale answers.
FULL = {
    "rate-a": 5,
    "rate-b": 2,
    "pick": "b",
    "many": ["x", "y"],
    "drive": True,
    "travel": False,
    "years": 3,
    "gated": 3,
    "notes": "hi",
    "abroad-rate": 5,
    "chained": 5,
}


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Content:
    root = write_root(
        tmp_path_factory.mktemp("scoring"),
        questionnaires={"skills.yaml": questionnaire_yaml(sections=SECTIONS, scales=SCALES)},
        roles={
            "analyst.yaml": role_yaml(COMPETENCIES, bands=BANDS),
            "side.yaml": SIDE_ROLE,
        },
    )
    loaded = load_content(root)
    assert loaded.issues == []
    return loaded


def score(content: Content, answers: dict[str, Any], role: str = "analyst") -> ScoreResult:
    return score_one(content, role, {"skills": answers})


def level(result: ScoreResult, competency: str) -> float:
    return next(c.level for c in result.competencies if c.id == competency)


def competency(result: ScoreResult, competency_id: str):
    return next(c for c in result.competencies if c.id == competency_id)


# Levels of each question type -----------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [(1, 0.0), (2, 1.0), (3, 2.0), (4, 3.0), (5, 4.0)])
def test_rating_on_a_scale_from_1_to_5(content, value, expected):
    # 4 × (v − 1) / (5 − 1)
    assert level(score(content, {"rate-a": value}), "communication") == expected


@pytest.mark.parametrize(("value", "expected"), [(1, 0.0), (2, 4 / 7), (4, 12 / 7), (8, 4.0)])
def test_rating_on_an_uneven_scale_listed_out_of_order(content, value, expected):
    # min 1, max 8: 4 × (v − 1) / 7, e.g. 4 → 12/7 ≈ 1.714
    assert level(score(content, {"rate-uneven": value}, "side"), "uneven") == pytest.approx(
        expected
    )


@pytest.mark.parametrize(("value", "expected"), [(-2, 0.0), (0, 2.0), (2, 4.0)])
def test_rating_on_a_scale_centred_on_zero(content, value, expected):
    # 4 × (v − (−2)) / (2 − (−2)) = v + 2
    assert level(score(content, {"rate-centred": value}, "side"), "centred") == expected


@pytest.mark.parametrize(("value", "expected"), [("a", 1.0), ("b", 3.5), ("c", 0.0)])
def test_single_choice_is_the_option_level(content, value, expected):
    result = score(content, {"pick": value})
    assert level(result, "knowledge") == expected
    assert competency(result, "knowledge").assessed


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        (["x"], 2.0),
        (["x", "z"], 3.0),  # 2 + 1
        (["x", "y"], 4.0),  # 2 + 3 = 5, capped at 4
        (["x", "y", "z"], 4.0),  # 6, capped
        (["z"], 1.0),
    ],
)
def test_multiple_choice_sums_chosen_levels_capped_at_4(content, chosen, expected):
    assert level(score(content, {"many": chosen}), "tools") == expected


def test_multiple_choice_with_nothing_chosen_is_unanswered(content):
    tools = competency(score(content, {"many": []}), "tools")
    assert (tools.level, tools.assessed) == (0.0, False)


@pytest.mark.parametrize(
    ("question", "competency_id", "answer", "expected"),
    [
        ("drive", "driving", True, 3.0),  # yes_level: 3
        ("drive", "driving", False, 0.0),
        ("travel", "travel", True, 4.0),  # default yes_level 4
        ("travel", "travel", False, 0.0),
    ],
)
def test_yes_no_is_yes_level_or_0(content, question, competency_id, answer, expected):
    result = score(content, {question: answer})
    assert level(result, competency_id) == expected
    # "No" is an answer: the competency is assessed, at level 0.
    assert competency(result, competency_id).assessed


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        (0, 0.0),
        (0.99, 0.0),
        (-5, 0.0),
        (1, 1.0),
        (2.9, 1.0),
        (3, 2.5),
        (9.5, 2.5),
        (10, 4.0),
        (1e6, 4.0),
    ],  # fmt: skip
)
def test_number_is_the_level_of_the_highest_threshold_reached(content, years, expected):
    # thresholds 1 → 1, 3 → 2.5, 10 → 4; below the first → 0 (and still assessed)
    result = score(content, {"years": years})
    assert level(result, "experience") == expected
    assert competency(result, "experience").assessed


def test_text_is_never_scored(content):
    result = score(content, {"notes": "I present every week"})
    assert not any(c.assessed for c in result.competencies)


# Weights and visibility -----------------------------------------------------------------------


def test_weighted_mean_of_the_questions_of_a_competency(content):
    # rate-a 5 → 4 (weight 1), rate-b 2 → 1 (weight 3): (4·1 + 1·3) / (1 + 3) = 7/4
    assert level(score(content, {"rate-a": 5, "rate-b": 2}), "communication") == 1.75


@pytest.mark.parametrize(
    ("weights", "answers", "expected"),
    [
        # (4·w + 1·3w) / 4w with w = 2^1022: both sums alone overflow to infinity
        ((2.0**1022, 3 * 2.0**1022), {"a": 5, "b": 2}, 1.75),
        ((1e308, 1e-20), {"a": 5, "b": 2}, 4.0),  # b's weight is as good as nothing
        ((1e308, 1e-20), {"b": 2}, 1.0),  # ...but alone it is the whole mean
        ((1e-300, 3e-300), {"a": 5, "b": 2}, 1.75),
    ],
)
def test_weights_of_any_finite_size(content_case, weights, answers, expected):
    questions = "\n".join(
        f"- {{id: {qid}, type: rating, scale: five, prompt: P, measures: c, weight: {weight:.17e}}}"
        for qid, weight in zip("ab", weights, strict=True)
    )
    loaded = content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(questions, scales=SCALES)},
        roles={
            "analyst.yaml": role_yaml("- {id: c, title: C, target: 2, importance: 1, source: S}")
        },
    )
    result = score(loaded, answers)
    assert (level(result, "c"), competency(result, "c").assessed) == (expected, True)
    assert result.readiness == round(100 * min(expected, 2) / 2)


def test_unanswered_questions_do_not_count_towards_the_mean(content):
    # only rate-b answered: 1·3 / 3 = 1
    assert level(score(content, {"rate-b": 2, "rate-a": None}), "communication") == 1.0


def test_a_hidden_question_is_not_scored(content):
    # gated (shown if drive = yes) answered 5 but drive = no: communication = rate-a only = 2
    assert level(score(content, {"rate-a": 3, "drive": False, "gated": 5}), "communication") == 2.0
    # drive = yes shows it: (2·1 + 4·1) / 2 = 3
    assert level(score(content, {"rate-a": 3, "drive": True, "gated": 5}), "communication") == 3.0


def test_a_hidden_section_hides_its_questions(content):
    # travel = no hides section `abroad`: abroad-rate's 5 is dropped; travel = yes: (0 + 4) / 2
    hidden = score(content, {"rate-a": 1, "travel": False, "abroad-rate": 5})
    shown = score(content, {"rate-a": 1, "travel": True, "abroad-rate": 5})
    assert (level(hidden, "communication"), level(shown, "communication")) == (0.0, 2.0)


def test_a_hidden_question_counts_as_unanswered_for_later_conditions(content):
    # chained shows if abroad-rate is answered; abroad-rate is hidden (travel = no), so its stale
    # answer does not count and chained is hidden too: knowledge stays unassessed.
    result = score(content, {"travel": False, "abroad-rate": 5, "chained": 5})
    assert competency(result, "knowledge").assessed is False
    # With travel = yes both show: knowledge = chained 5 → 4
    assert level(score(content, {"travel": True, "abroad-rate": 5, "chained": 5}), "knowledge") == 4.0  # fmt: skip


def test_evidence_lists_the_answers_that_counted(content):
    result = score(content, {"rate-a": 5, "rate-b": 2, "drive": False, "gated": 4})
    evidence = competency(result, "communication").evidence
    assert [(e.question, e.answer, e.level, e.weight) for e in evidence] == [
        ("rate-a", 5.0, 4.0, 1.0),
        ("rate-b", 2.0, 1.0, 3.0),
    ]


def test_a_stored_answer_the_content_no_longer_takes_counts_as_unanswered(content):
    # A rating of 0 saved before the scale became 1–5 would be level −1: below anything the
    # format allows. Like an option that is gone, it is unanswered, here and for a cohort.
    result = score(content, {"rate-a": 0, "rate-b": 5})
    assert [e.question for e in competency(result, "communication").evidence] == ["rate-b"]
    assert level(result, "communication") == 4.0
    batch = score_answer_maps(content, "analyst", [{"skills": {"rate-a": 0}}, {"skills": {"rate-a": 9.5}}])  # fmt: skip
    assert batch.levels.min() >= 0 and not batch.frame.answered.any()


def test_answers_that_fit_keeps_what_the_questions_can_take(content):
    stored = {
        "skills": {
            "rate-a": 0,
            "rate-b": 2,
            "pick": "gone",
            "many": ["x", "nope"],
            "notes": "",
            "removed": 1,
        },  # fmt: skip
        "old-questionnaire": {"q": 1},
    }
    fitting, stale = answers_that_fit(content.catalog, stored)
    assert fitting == {"skills": {"rate-b": 2, "notes": ""}}
    assert stale == [("skills", "rate-a"), ("skills", "pick"), ("skills", "many"), ("skills", "removed"), ("old-questionnaire", "q")]  # fmt: skip


@pytest.mark.parametrize(
    "stored",
    [
        {"many": ["x", "nope"]},  # an option gone: the whole answer no longer fits
        {"many": ["x", "x"]},  # an option listed twice
        {"many": ["y", "x"], "rate-a": 0, "pick": "gone"},
        {"many": ["y"], "years": -1, "drive": "yes"},
    ],
)
def test_stored_answers_score_as_the_answers_that_fit(content, stored):
    # The cohort table scores stored answers as they are; the candidate's own pages score
    # the answers that fit. A counselor must see one score for one attempt.
    fitting, _ = answers_that_fit(content.catalog, {"skills": stored})
    raw = score(content, stored)
    fit = score_one(content, "analyst", fitting)
    assert raw.readiness_exact == fit.readiness_exact
    assert [c.level for c in raw.competencies] == [c.level for c in fit.competencies]
    assert [c.assessed for c in raw.competencies] == [c.assessed for c in fit.competencies]


def test_answer_rows_name_answers_and_say_why_some_do_not_count(content):
    stored = {
        "skills": {"pick": "b", "many": ["y", "x"], "drive": True, "years": 3.0, "rate-a": 5,
                   "travel": False, "abroad-rate": 4, "rate-b": 0, "removed": 1},
    }  # fmt: skip
    rows = {row["Answer"] for row in answer_rows(content, stored)}
    assert rows == {
        "B", "X, Y", "Yes", "3", "Always (5)", "No",
        "Often (4) (hidden by other answers, so not counted)",  # travel = no hides abroad
        "0 (no longer fits this question, so not counted)",  # 0 is off the 1–5 scale
        "1 (question removed, so not counted)",
    }  # fmt: skip


def test_evidence_names_each_answer_as_the_candidate_chose_it(content):
    result = score(content, FULL)
    shown = {e.question: e.answer_text for c in result.competencies for e in c.evidence}
    assert {
        q: shown[q] for q in ("rate-a", "rate-b", "pick", "many", "drive", "travel", "years")
    } == {  # fmt: skip
        "rate-a": "Always (5)",
        "rate-b": "Rarely (2)",
        "pick": "B",
        "many": "X, Y",
        "drive": "Yes",
        "travel": "No",
        "years": "3",
    }


# A whole result -------------------------------------------------------------------------------


def test_full_answer_set(content):
    result = score(content, FULL)
    # communication: rate-a 4 (w1), rate-b 1 (w3), gated 2 (w1) → (4 + 3 + 2) / 5 = 1.8
    # knowledge: b → 3.5; tools: x + y = 5 → 4; driving: 3; travel: no → 0;
    # experience: 3 years → 2.5; unmeasured: nothing → 0; zero: target 0
    assert {c.id: (c.level, c.assessed) for c in result.competencies} == {
        "communication": (pytest.approx(1.8), True),
        "knowledge": (3.5, True),
        "tools": (4.0, True),
        "driving": (3.0, True),
        "travel": (0.0, True),
        "experience": (2.5, True),
        "unmeasured": (0.0, False),
        "zero": (0.0, False),
    }
    # attainment: 1.8/3 = 0.6, 1 (3.5 ≥ 2), 1, 1, 0/4 = 0, 1, 0/2 = 0, 1 (target 0)
    # readiness = 100 × (4·0.6 + 3 + 2 + 1 + 0 + 5 + 0 + 2) / (4+3+2+1+1+5+1+2)
    #           = 100 × 15.4 / 19 = 81.05… → 81, exactly the floor of band Ready
    assert result.readiness_exact == pytest.approx(100 * 15.4 / 19)
    assert result.readiness == 81
    assert result.band.label == "Ready"
    # gaps × importance: communication 1.2 × 4 = 4.8, travel 4 × 1 = 4, unmeasured 2 × 1 = 2
    assert [step.id for step in result.plan] == ["communication", "travel", "unmeasured"]


def test_unassessed_competency_is_level_0_with_full_gap(content):
    unmeasured = competency(score(content, FULL), "unmeasured")
    assert (unmeasured.level, unmeasured.assessed, unmeasured.gap, unmeasured.attainment) == (0.0, False, 2.0, 0.0)  # fmt: skip


def test_target_0_is_always_attained(content):
    zero = competency(score(content, {}), "zero")
    assert (zero.attainment, zero.gap, zero.assessed) == (1.0, 0.0, False)


def test_nothing_answered(content):
    result = score(content, {})
    # only `zero` (importance 2, target 0) is attained: 100 × 2 / 19 = 10.53 → 11
    assert result.readiness == 11
    assert result.band.label == "Start"


def test_level_above_target_is_attainment_1_and_gap_0(content):
    knowledge = competency(score(content, {"pick": "b"}), "knowledge")
    # 3.5 against target 2
    assert (knowledge.attainment, knowledge.gap) == (1.0, 0.0)


def test_score_json_has_exactly_the_keys_of_the_spec(content):
    output = score(content, FULL).to_json()
    assert list(output) == ["role", "readiness", "band", "competencies", "requirements", "plan"]
    assert output["role"] == "analyst" and output["band"] == "Ready"
    first = output["competencies"][0]
    assert list(first) == ["id", "level", "target", "gap", "importance", "assessed"]
    assert first == {"id": "communication", "level": 1.8, "target": 3.0, "gap": 1.2, "importance": 4.0, "assessed": True}  # fmt: skip


def test_score_json_rounds_levels_and_gaps_to_2_decimals(content):
    # uneven scale, value 2: 4/7 = 0.571428… → 0.57; gap 4 − 0.5714 = 3.428… → 3.43
    output = score(content, {"rate-uneven": 2}, "side").to_json()
    assert output["competencies"][0] | {} == {
        "id": "uneven",
        "level": 0.57,
        "target": 4.0,
        "gap": 3.43,
        "importance": 1.0,
        "assessed": True,
    }


# Readiness rounding and bands -----------------------------------------------------------------


def rounding_content(
    content_case, competencies: str, levels: list[float], bands: str | None = None
):
    """A role whose competency i is measured by single choice `c{i}`, answered at `levels[i]`."""
    questions = "\n".join(
        f"- {{id: c{i}, type: single_choice, prompt: P, measures: c{i}, options: "
        f"[{{value: a, label: A, level: {lv}}}, {{value: none, label: N, level: 0}}]}}"
        for i, lv in enumerate(levels)
    )
    return content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(questions)},
        roles={"analyst.yaml": role_yaml(competencies, bands=bands)},
    )


def answer_all(count: int) -> dict[str, str]:
    return {f"c{i}": "a" for i in range(count)}


def test_readiness_62_5_rounds_up_to_63(content_case):
    # level 2.5 of target 4: attainment 0.625 → 62.5 exactly → 63 (half up, not half to even)
    loaded = rounding_content(content_case, "- {id: c0, title: C, target: 4, importance: 3, source: S}", [2.5])  # fmt: skip
    result = score(loaded, answer_all(1))
    assert (result.readiness_exact, result.readiness) == (62.5, 63)


def test_readiness_within_1e_9_of_a_half_counts_as_the_half(content_case):
    # importances 1, 1.07, 1.21; attainments 1.5/4, 1/1, 2/4:
    # 100 × (0.375 + 1.07 + 0.605) / 3.28 = 100 × 2.05 / 3.28 = 62.5 exactly,
    # but in floating point 62.499999999999986, which plain rounding would make 62.
    competencies = """
        - {id: c0, title: A, target: 4, importance: 1, source: S}
        - {id: c1, title: B, target: 1, importance: 1.07, source: S}
        - {id: c2, title: C, target: 4, importance: 1.21, source: S}
    """
    loaded = rounding_content(content_case, competencies, [1.5, 1, 2], bands="- {at_least: 63, label: Top}\n- {at_least: 0, label: Rest}")  # fmt: skip
    result = score(loaded, answer_all(3))
    assert result.readiness_exact < 62.5  # the floating-point shortfall the rule is for
    assert abs(result.readiness_exact - 62.5) < 1e-9
    assert result.readiness == 63
    assert result.band.label == "Top"  # band floors compare with the rounded readiness


def test_readiness_further_than_1e_9_below_a_half_rounds_down(content_case):
    # level 2.4999996 of 4: 62.49999 → 62
    loaded = rounding_content(content_case, "- {id: c0, title: C, target: 4, importance: 1, source: S}", [2.4999996])  # fmt: skip
    assert score(loaded, answer_all(1)).readiness == 62


def test_readiness_uses_unrounded_levels(content_case):
    # level 2.499 of 4: 62.475 → 62; rounding the level first (2.50) would give 62.5 → 63
    loaded = rounding_content(content_case, "- {id: c0, title: C, target: 4, importance: 1, source: S}", [2.499])  # fmt: skip
    result = score(loaded, answer_all(1))
    assert result.to_json()["competencies"][0]["level"] == 2.5
    assert result.readiness == 62


def test_round_half_up_helper():
    assert [float(round_half_up(x)) for x in (0.5, 1.5, 2.5, 62.5, 62.4999999995, 62.49999, 99.5)] == [1, 2, 3, 63, 63, 62, 100]  # fmt: skip
    assert float(round_half_up(2.675, 2)) == 2.68  # 2.675 is 2.67499999… as a float
    assert float(round_half_up(0.005, 2)) == 0.01


@pytest.mark.parametrize(
    ("level_value", "readiness", "band"),
    [
        (4, 100, "Ready"),
        (3.2, 80, "Ready"),  # exactly at_least 80
        (3.18, 80, "Ready"),  # 79.5 → 80
        (3.16, 79, "Close"),  # 79
        (2, 50, "Close"),  # exactly 50
        (1.96, 49, "Start"),
        (0, 0, "Start"),
    ],
)
def test_band_is_the_first_whose_floor_is_reached(content_case, level_value, readiness, band):
    bands = "- {at_least: 80, label: Ready}\n- {at_least: 50, label: Close}\n- {at_least: 0, label: Start}"  # fmt: skip
    loaded = rounding_content(content_case, "- {id: c0, title: C, target: 4, importance: 1, source: S}", [level_value], bands)  # fmt: skip
    result = score(loaded, answer_all(1))
    assert (result.readiness, result.band.label) == (readiness, band)


def test_band_floors_may_be_fractional(content_case):
    # readiness 63 (62.5 rounded) ≥ 62.5; the band compares the rounded integer
    bands = "- {at_least: 62.5, label: Top}\n- {at_least: 0, label: Rest}"
    loaded = rounding_content(content_case, "- {id: c0, title: C, target: 4, importance: 1, source: S}", [2.5], bands)  # fmt: skip
    assert score(loaded, answer_all(1)).band.label == "Top"


# Requirements and the plan --------------------------------------------------------------------

PLAN_QUESTIONS = """
- {id: r1, type: yes_no, prompt: P}
- {id: r2, type: yes_no, prompt: P}
- {id: r3, type: yes_no, prompt: P}
- {id: r4, type: yes_no, prompt: P}
- {id: r5, type: yes_no, prompt: P}
"""
PLAN_REQUIREMENTS = "\n".join(
    f"- {{id: req-{i}, title: R{i}, source: S, met_if: {{question: skills.r{i}, equals: true}}}}"
    for i in range(1, 6)
)
PLAN_COMPETENCIES = """
- {id: small, title: Small gap, target: 2, importance: 5, source: S}
- {id: half, title: Half a hundredth, target: 2, importance: 1, source: S}
- {id: tie-a, title: Tie A, target: 3, importance: 2, source: S}
- {id: big, title: Big, target: 3, importance: 3, source: S}
- {id: tie-b, title: Tie B, target: 3, importance: 1, source: S}
- {id: done, title: Done, target: 1, importance: 5, source: S}
"""
PLAN_LEVELS = {"small": 1.996, "half": 1.995, "tie-a": 2, "big": 1, "tie-b": 1, "done": 1.5}


def test_plan_order(content_case):
    questions = PLAN_QUESTIONS + "\n".join(
        f"- {{id: q-{cid}, type: single_choice, prompt: P, measures: {cid}, options: "
        f"[{{value: a, label: A, level: {lv}}}, {{value: b, label: B, level: 0}}]}}"
        for cid, lv in PLAN_LEVELS.items()
    )
    loaded = content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(questions)},
        roles={"analyst.yaml": role_yaml(PLAN_COMPETENCIES, requirements=PLAN_REQUIREMENTS)},
    )
    # req-1 unknown, req-2 unmet, req-3 met, req-4 unmet, req-5 unknown
    answers = {"r2": False, "r3": True, "r4": False} | {f"q-{cid}": "a" for cid in PLAN_LEVELS}
    result = score(loaded, answers)
    assert [(r.id, r.status) for r in result.requirements] == [
        ("req-1", "unknown"),
        ("req-2", "unmet"),
        ("req-3", "met"),
        ("req-4", "unmet"),
        ("req-5", "unknown"),
    ]
    # importance × unrounded gap:
    #   small 5 × 0.004 = 0.02, but its gap rounds to 0.00: left out
    #   half  1 × 0.005 = 0.005; 2 − 1.995 = 0.00499999… rounds half up to 0.01: kept, last
    #   tie-a 2 × 1 = 2; big 3 × 2 = 6; tie-b 1 × 2 = 2 (tie with tie-a: file order)
    #   done  level 1.5 ≥ target 1: no gap
    assert [step.id for step in result.plan] == [
        "req-2",
        "req-4",
        "req-1",
        "req-5",
        "big",
        "tie-a",
        "tie-b",
        "half",
    ]
    gaps = {c["id"]: c["gap"] for c in result.to_json()["competencies"]}
    assert (gaps["small"], gaps["half"]) == (0.0, 0.01)
    assert [s.kind for s in result.plan] == ["requirement"] * 4 + ["competency"] * 4


def test_a_tie_up_to_floating_point_error_keeps_file_order(content_case):
    # a: target 0.3, level 0.1 (its option's level), gap 0.3 − 0.1 = 0.19999999999999998 in
    # binary; b: target 0.2, unassessed, gap 0.2. Both are 0.2: a tie, so file order (a, then
    # b), in the plan, the competency table and the cohort's top gaps alike.
    questions = """
        - {id: qa, type: single_choice, prompt: P, measures: a, options: [{value: x, label: X, level: 0.1}, {value: y, label: Y, level: 0}]}
    """
    role = role_yaml(
        "- {id: a, title: A, target: 0.3, importance: 1, source: S}\n"
        "- {id: b, title: B, target: 0.2, importance: 1, source: S}"
    )
    loaded = content_case(
        questionnaires={"skills.yaml": questionnaire_yaml(questions)},
        roles={"analyst.yaml": role},
    )
    result = score(loaded, {"qa": "x"})
    gaps = {c.id: c.gap for c in result.competencies}
    assert gaps["a"] != gaps["b"] and gaps["a"] == pytest.approx(gaps["b"])  # the premise
    assert [step.id for step in result.plan] == ["a", "b"]
    assert competency_table(result)["Competency"].tolist() == ["A", "B"]
    table = cohort_table(loaded, "analyst", [(1, 1, None, {"skills": {"qa": "x"}})])
    assert table[TOP_GAPS_COLUMN].tolist()[0].startswith("A")


def test_plan_steps_carry_actions(content_case):
    role = role_yaml(
        "- {id: communication, title: C, target: 3, importance: 4, source: S, actions: [Present weekly.]}",  # fmt: skip
        requirements="- {id: degree, title: D, source: S, action: Study., met_if: {question: skills.presenting, at_least: 5}}",  # fmt: skip
    )
    loaded = content_case(roles={"analyst.yaml": role})
    plan = score(loaded, {"presenting": 2}).plan
    assert [(s.id, s.status, s.actions) for s in plan] == [
        ("degree", "unmet", ["Study."]),
        ("communication", "gap", ["Present weekly."]),
    ]


# Many answer sets at once ---------------------------------------------------------------------


def random_answers(rng: random.Random) -> dict[str, Any]:
    choices = {
        "rate-a": [1, 2, 3, 4, 5],
        "rate-b": [1, 2, 3, 4, 5],
        "rate-uneven": [1, 2, 4, 8],
        "rate-centred": [-2, 0, 2],
        "pick": ["a", "b", "c"],
        "many": [[], ["x"], ["y", "z"], ["x", "y", "z"]],
        "drive": [True, False],
        "travel": [True, False],
        "years": [0, 1, 2.5, 3, 12],
        "gated": [1, 5],
        "notes": ["", "text"],
        "abroad-rate": [1, 3, 5],
        "chained": [2, 4],
    }
    return {q: rng.choice(values) for q, values in choices.items() if rng.random() < 0.8}


@pytest.mark.parametrize("role", ["analyst", "side"])
def test_a_batch_scores_each_row_as_if_alone(content, role):
    rng = random.Random(20261125)
    answer_sets = [{"skills": random_answers(rng)} for _ in range(300)]
    batch = score_answer_maps(content, role, answer_sets)
    for row, answers in enumerate(answer_sets):
        together = batch.result(row)
        alone = score_one(content, role, answers)
        assert together.to_json() == alone.to_json()
        assert [s.id for s in together.plan] == [s.id for s in alone.plan]
        # Unrounded numbers may differ in the last bit (a matrix product of n rows or of one);
        # the spec's 1e-9 tolerance on halves is what keeps the rounded results equal.
        assert together.readiness_exact == pytest.approx(alone.readiness_exact, rel=1e-12)
        for a, b in zip(together.competencies, alone.competencies, strict=True):
            assert (a.id, a.assessed, a.evidence) == (b.id, b.assessed, b.evidence)
            assert a.level == pytest.approx(b.level, rel=1e-12, abs=1e-12)


def test_an_empty_batch(content):
    batch = score_answer_maps(content, "analyst", [])
    assert batch.size == 0 and batch.readiness.shape == (0,)


def test_answers_to_other_questionnaires_are_ignored_by_scoring(content):
    assert score_one(content, "analyst", {"elsewhere": {"rate-a": 5}}).to_json() == score(content, {}).to_json()  # fmt: skip


# Answer sets are checked before scoring -------------------------------------------------------


def check_answers(content: Content, text: str):
    document = parse_document(text, "answers.yaml", expected="answers/1")
    validate_model(document)
    assert document.issues == []
    return answer_issues(document.model, content, "answers.yaml", document.lines)


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (
            "rate-a: 6",
            "6 is not a valid answer to 'rate-a': expected one of the scale values 1, 2, 3, 4, 5",
        ),  # fmt: skip
        ("rate-a: '3'", "'3' is not a valid answer"),
        ("rate-a: true", "true is not a valid answer"),
        ("pick: d", "expected one of 'a', 'b', 'c'"),
        ("pick: [a]", "expected one of"),
        ("many: x", "expected a list of options"),
        ("many: [x, w]", "'w' is not an option"),
        ("many: [x, x]", "each option may be listed once"),
        ("drive: 'yes'", "expected true or false"),
        ("drive: 1", "expected true or false"),
        ("years: ten", "expected a number"),
        ("years: .nan", "expected a number"),
        ("years: true", "expected a number"),
        ("notes: 3", "expected text"),
        # Checked before hidden answers are dropped: `gated` is hidden (drive is unanswered).
        ("gated: 9", "9 is not a valid answer to 'gated'"),
    ],
)
def test_bad_answer_values_are_located(content, answer, fragment):
    text = f'format: answers/1\nrole: analyst\nquestionnaires:\n  skills:\n    version: "1"\n    answers:\n      {answer}\n'  # fmt: skip
    question = answer.split(":")[0]
    assert_issues(
        check_answers(content, text),
        [
            (
                "answers.yaml",
                7,
                f"questionnaires.skills.answers.{question}",
                ErrorCode.ANSWER_BAD_VALUE,
                fragment,
            )
        ],  # fmt: skip
    )


def test_number_bounds_are_checked(content_case):
    loaded = content_case(questionnaires={"skills.yaml": questionnaire_yaml("- {id: years, type: number, prompt: P, min: 0, max: 50}")})  # fmt: skip
    text = 'format: answers/1\nrole: analyst\nquestionnaires:\n  skills: {version: "1", answers: {years: -1}}\n'  # fmt: skip
    assert_issues(check_answers(loaded, text), [("answers.yaml", 4, "questionnaires.skills.answers.years", ErrorCode.ANSWER_BAD_VALUE, "expected at least 0")])  # fmt: skip
    text = text.replace("-1", "50.5")
    assert_issues(check_answers(loaded, text), [("answers.yaml", 4, "questionnaires.skills.answers.years", ErrorCode.ANSWER_BAD_VALUE, "expected at most 50")])  # fmt: skip
    # A whole number beyond any float: over the bound, or of no usable size without one.
    huge = text.replace("50.5", "1" + "0" * 400)
    assert_issues(check_answers(loaded, huge), [("answers.yaml", 4, "questionnaires.skills.answers.years", ErrorCode.ANSWER_BAD_VALUE, "expected at most 50")])  # fmt: skip
    unbounded = content_case(questionnaires={"skills.yaml": questionnaire_yaml("- {id: years, type: number, prompt: P}")})  # fmt: skip
    assert_issues(check_answers(unbounded, huge), [("answers.yaml", 4, "questionnaires.skills.answers.years", ErrorCode.ANSWER_BAD_VALUE, "expected a number of ordinary size")])  # fmt: skip


@pytest.mark.parametrize(
    ("text", "line", "loc"),
    [
        ("format: answers/1\nrole: analyst\n", 1, "questionnaires"),
        ('format: answers/1\nrole: analyst\nquestionnaires:\n  skills:\n    version: "1"\n', 5, "questionnaires.skills.answers"),
    ],
)  # fmt: skip
def test_an_answer_set_lists_its_questionnaires_and_their_answers(text, line, loc):
    # The content format marks no key of an answer set optional; `{}` says nothing answered.
    document = parse_document(text, "answers.yaml", expected="answers/1")
    validate_model(document)
    assert [(i.line, i.loc, i.code) for i in document.issues] == [(line, loc, ErrorCode.MISSING)]
    empty = parse_document(text.replace('"1"\n', '"1"\n    answers: {}\n') + "questionnaires: {}\n" * (line == 1), "answers.yaml", expected="answers/1")  # fmt: skip
    validate_model(empty)
    assert empty.issues == []


def test_the_role_an_answer_set_records_is_an_id():
    document = parse_document("format: answers/1\nrole: Front Desk\nquestionnaires: {}\n", "answers.yaml", expected="answers/1")  # fmt: skip
    validate_model(document)
    assert [(i.line, i.loc) for i in document.issues] == [(2, "role")]
    assert "is not a valid id" in document.issues[0].message


def test_unknown_questionnaire_and_question_are_located_at_their_keys(content):
    text = """\
format: answers/1
role: analyst
questionnaires:
  skills:
    version: "1"
    answers:
      rate-a: 3
      rate-z: 3
  skils:
    version: "1"
    answers: {}
"""
    assert_issues(
        check_answers(content, text),
        [
            (
                "answers.yaml",
                8,
                "questionnaires.skills.answers.rate-z",
                ErrorCode.ANSWER_UNKNOWN_QUESTION,
            ),  # fmt: skip
            ("answers.yaml", 9, "questionnaires.skils", ErrorCode.ANSWER_UNKNOWN_QUESTIONNAIRE),
        ],
    )


def test_an_answer_to_a_questionnaire_whose_file_has_problems_says_so(content_case):
    broken = questionnaire_yaml("- {id: rate-a, type: rating, prompt: P, scale: nope}")
    loaded = content_case(
        questionnaires={"skills.yaml": broken},
        expected=[("skills.yaml", 16, "sections[0].questions[0].scale", ErrorCode.UNKNOWN_SCALE)],
    )
    assert "skills" not in loaded.questionnaires
    text = 'format: answers/1\nrole: analyst\nquestionnaires:\n  skills: {version: "1", answers: {rate-a: 3}}\n'  # fmt: skip
    assert_issues(check_answers(loaded, text), [("answers.yaml", 4, "questionnaires.skills", ErrorCode.ANSWER_UNKNOWN_QUESTIONNAIRE, "that loads: its file has problems (run validate)")])  # fmt: skip


def test_a_number_as_the_recorded_version_is_kept_as_text(content):
    # The set is scored whatever version it records, so another tool's `version: 2` is fine.
    text = 'format: answers/1\nrole: analyst\nquestionnaires:\n  skills: {version: 2.5, answers: {rate-a: 3}}\n'  # fmt: skip
    document = parse_document(text, "answers.yaml", expected="answers/1")
    validate_model(document)
    assert document.issues == []
    assert document.model.questionnaires["skills"].version == "2.5"


def test_null_and_empty_answers_are_allowed(content):
    text = 'format: answers/1\nrole: analyst\nquestionnaires:\n  skills: {version: "old", answers: {rate-a: null, many: [], notes: ""}}\n'  # fmt: skip
    assert check_answers(content, text) == []


def test_a_bad_answer_names_the_options_as_they_are_written_in_yaml():
    questionnaire = Questionnaire.model_validate(
        {"format": "questionnaire/1", "id": "q", "title": "Q", "version": "1", "sections": [
            {"id": "s", "title": "S", "questions": [
                {"id": "pick", "type": "single_choice", "prompt": "P",
                 "options": [{"value": True, "label": "Yes"}, {"value": 2, "label": "Two"}]},
                {"id": "many", "type": "multiple_choice", "prompt": "M",
                 "options": [{"value": False, "label": "No"}, {"value": "x", "label": "X"}]},
            ]},
        ]}
    )  # fmt: skip
    pick, many = questionnaire.question("pick"), questionnaire.question("many")
    assert check_answer("maybe", pick, questionnaire) == "expected one of true, 2"
    assert check_answer([None], many, questionnaire) == (
        "nothing is not an option; expected values from false, 'x'"
    )
