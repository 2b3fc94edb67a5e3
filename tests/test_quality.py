"""Answer-quality notes: shown when answers look unreliable, never when they do not."""

from __future__ import annotations

import copy

import pytest

from readiness.quality import MIN_RATINGS_FOR_PATTERN, MIN_SECONDS_PER_ANSWER, quality_notes
from tests.fixtures.sample import SAMPLE_ANSWERS

SKILLS = "liaison-skills"


def rating_ids(content) -> list[str]:
    return [q.id for q in content.questionnaires[SKILLS].questions() if q.type == "rating"]


def all_rated(content, value: int) -> dict:
    answers = copy.deepcopy(SAMPLE_ANSWERS)
    answers[SKILLS] = {question_id: value for question_id in rating_ids(content)}
    return answers


def answered(answers: dict) -> int:
    return sum(len(given) for given in answers.values())


def test_the_same_rating_everywhere_gets_a_kind_note(content) -> None:
    answers = all_rated(content, 3)
    (note,) = quality_notes(content, answers)
    assert note.startswith(f"You gave the same rating to all {len(rating_ids(content))} skill")


def test_varied_ratings_and_too_few_ratings_get_no_note(content) -> None:
    assert quality_notes(content, SAMPLE_ANSWERS) == []
    few = {SKILLS: dict.fromkeys(rating_ids(content)[: MIN_RATINGS_FOR_PATTERN - 1], 2)}
    assert quality_notes(content, few) == []


def test_ratings_of_an_unknown_questionnaire_do_not_count(content) -> None:
    stray = {"retired-questionnaire": {f"q{i}": 2 for i in range(10)}}
    assert quality_notes(content, stray) == []


def test_answering_implausibly_fast_gets_a_note_with_the_figures(content) -> None:
    count = answered(SAMPLE_ANSWERS)
    hurried = count * MIN_SECONDS_PER_ANSWER - 1
    (note,) = quality_notes(content, SAMPLE_ANSWERS, hurried)
    assert note.startswith(f"You answered {count} questions in {hurried:.0f} seconds.")
    assert quality_notes(content, SAMPLE_ANSWERS, count * MIN_SECONDS_PER_ANSWER) == []


def test_the_pace_counts_only_the_answers_given_in_that_time(content) -> None:
    # A re-assessment begins with the last attempt's answers; changing 3 in 20 s is no hurry,
    # though all of them are answered.
    count = answered(SAMPLE_ANSWERS)
    assert count * MIN_SECONDS_PER_ANSWER > 20
    assert quality_notes(content, SAMPLE_ANSWERS, 20, answers_given=3) == []
    # Giving many in that time still is.
    (note,) = quality_notes(content, SAMPLE_ANSWERS, 20, answers_given=count)
    assert note.startswith(f"You answered {count} questions in 20 seconds.")


@pytest.mark.parametrize("seconds", [None, 0], ids=["unknown", "saved at once"])
def test_no_pace_note_when_the_pace_is_unknown(content, seconds) -> None:
    # Answers restored from a file are saved in one go: they share one timestamp.
    assert quality_notes(content, SAMPLE_ANSWERS, seconds) == []
