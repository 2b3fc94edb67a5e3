"""Signs that answers may not reflect the candidate well, worded kindly for the results page."""

from __future__ import annotations

from readiness.answers import AnswerMap, is_answered
from readiness.content import Content

MIN_RATINGS_FOR_PATTERN = 6
MIN_SECONDS_PER_ANSWER = 2.0


def quality_notes(
    content: Content,
    answers: AnswerMap,
    seconds_spent: float | None = None,
    answers_given: int | None = None,
) -> list[str]:
    """Notes (possibly none) on answers that look unreliable.

    `seconds_spent`: from the first answer saved to the last. None or 0 means the pace is
    unknown (answers restored from a file are saved in one go, at one time).
    `answers_given`: how many answers that time was spent on, when not all of `answers` (a
    re-assessment begins with a copy of the last attempt's, and the candidate changes some).
    """
    notes = []
    ratings = [
        value
        for questionnaire_id, given in answers.items()
        if questionnaire_id in content.questionnaires
        for question_id, value in given.items()
        if is_answered(value)
        and (question := content.questionnaires[questionnaire_id].question(question_id)) is not None
        and question.type == "rating"
    ]
    if len(ratings) >= MIN_RATINGS_FOR_PATTERN and len(set(ratings)) == 1:
        notes.append(
            f"You gave the same rating to all {len(ratings)} skill questions. That can be true, "
            "but it is worth a second look: picking the description that fits each skill best "
            "makes your gaps and plan more useful."
        )
    answered = (
        answers_given
        if answers_given is not None
        else sum(1 for given in answers.values() for value in given.values() if is_answered(value))
    )
    if seconds_spent and answered >= MIN_RATINGS_FOR_PATTERN:
        if seconds_spent < answered * MIN_SECONDS_PER_ANSWER:
            notes.append(
                f"You answered {answered} questions in {seconds_spent:.0f} seconds. If you went "
                "quickly, the result may be rougher than it looks; you can go back and adjust any "
                "answer at any time."
            )
    return notes
