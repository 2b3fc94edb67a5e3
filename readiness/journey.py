"""The candidate's path through an assessment: which questionnaires a role needs, the steps
(one visible section each), what is still required, and reading an uploaded answers file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from readiness.answers import (
    AnswerFrame,
    AnswerMap,
    answer_issues,
    answer_text,
    answers_that_fit,
    is_answered,
)
from readiness.conditions import referenced_questions
from readiness.content import Content
from readiness.loader import Document, parse_document, validate_model
from readiness.messages import ErrorCode, Issue
from readiness.schema import (
    ANSWERS_FORMAT,
    AnswerSet,
    Question,
    Questionnaire,
    RoleProfile,
    Section,
)
from readiness.yamlsafe import decode_text

if TYPE_CHECKING:
    from readiness.storage.models import AttemptInfo


@dataclass
class Step:
    questionnaire: Questionnaire
    section: Section
    questions: list[Question]  # the visible ones

    @property
    def key(self) -> str:
        return f"{self.questionnaire.id}/{self.section.id}"


def opens_questionnaire(steps: list[Step], index: int) -> bool:
    """Whether step `index` is the first shown of its questionnaire: where the questionnaire's
    description goes ("shown before the first section")."""
    return index == 0 or steps[index - 1].questionnaire.id != steps[index].questionnaire.id


def questionnaires_for(content: Content, role: RoleProfile) -> list[Questionnaire]:
    """Questionnaires that measure the role's competencies or decide its must-haves."""
    competencies = {c.id for c in role.competencies}
    needed = {
        test.questionnaire
        for requirement in role.requirements
        if requirement._met_if is not None
        for test in referenced_questions(requirement._met_if)
    }
    return [
        questionnaire
        for questionnaire in content.questionnaires.values()
        if questionnaire.id in needed
        or any(q.measures in competencies for q in questionnaire.questions())
    ]


def visibility(content: Content, answers: AnswerMap) -> AnswerFrame:
    """A frame of one answer set: `visible` tells which questions the candidate sees."""
    return AnswerFrame(content.catalog, [answers])


def steps(content: Content, role: RoleProfile, answers: AnswerMap) -> list[Step]:
    """One step per section that has at least one visible question, in file order."""
    return questionnaire_steps(content, questionnaires_for(content, role), answers)


def questionnaire_steps(
    content: Content, questionnaires: list[Questionnaire], answers: AnswerMap
) -> list[Step]:
    frame = visibility(content, answers)
    catalog = content.catalog
    result = []
    for questionnaire in questionnaires:
        for section in questionnaire.sections:
            shown = [
                question
                for question in section.questions
                if frame.visible[0, catalog.column(questionnaire.id, question.id).index]
            ]
            if shown:
                result.append(Step(questionnaire, section, shown))
    return result


def missing_required(step: Step, answers: AnswerMap) -> list[str]:
    """Ids of visible required questions of the step that have no answer yet."""
    given = answers.get(step.questionnaire.id, {})
    return [q.id for q in step.questions if q.is_required and not is_answered(given.get(q.id))]


def attempt_to_compare(
    attempts: Sequence[AttemptInfo], attempt_id: int, role_id: str
) -> AttemptInfo | None:
    """The attempt a re-assessment is compared with: the latest finished one at the same role
    before `attempt_id`, as the cohort's change counts finished attempts only (one left half
    done would compare with half the answers). None if there is none."""
    earlier = [
        a for a in attempts if a.attempt_id < attempt_id and a.role_id == role_id and a.finished
    ]
    return earlier[-1] if earlier else None


def visible_answers(content: Content, answers: AnswerMap) -> dict[str, dict[str, Any]]:
    """The answers without those of hidden questions (the spec drops stale answers)."""
    frame = visibility(content, answers)
    kept: dict[str, dict[str, Any]] = {}
    for questionnaire_id, given in answers.items():
        for question_id, value in given.items():
            column = content.catalog.by_key.get((questionnaire_id, question_id))
            if column is not None and frame.visible[0, column.index] and is_answered(value):
                kept.setdefault(questionnaire_id, {})[question_id] = value
    return kept


def answer_rows(content: Content, stored: AnswerMap) -> list[dict[str, str]]:
    """Every stored answer as a reader checks it: Questionnaire, Question and Answer in the
    chosen words, questions in file order; an answer that does not count says why (its
    question hidden by other answers, changed since, or gone)."""
    fitting, _ = answers_that_fit(content.catalog, stored)
    frame = visibility(content, fitting)
    rows: list[dict[str, str]] = []
    for questionnaire in content.questionnaires.values():
        given = stored.get(questionnaire.id, {})
        for question in questionnaire.questions():
            if not is_answered(given.get(question.id)):
                continue
            value = given[question.id]
            if question.id not in fitting.get(questionnaire.id, {}):
                answer = f"{_raw(value)} (no longer fits this question, so not counted)"
            elif not frame.visible[0, content.catalog.column(questionnaire.id, question.id).index]:
                answer = f"{answer_text(value, question, questionnaire)} (hidden by other answers, so not counted)"  # fmt: skip
            else:
                answer = answer_text(value, question, questionnaire)
            rows.append({"Questionnaire": questionnaire.title, "Question": question.prompt, "Answer": answer})  # fmt: skip
    for questionnaire_id, given in stored.items():
        questionnaire = content.questionnaires.get(questionnaire_id)
        for question_id, value in given.items():
            if is_answered(value) and (questionnaire_id, question_id) not in content.catalog.by_key:
                rows.append(
                    {
                        "Questionnaire": questionnaire.title if questionnaire else questionnaire_id,
                        "Question": question_id,
                        "Answer": f"{_raw(value)} (question removed, so not counted)",
                    }
                )
    return rows


def _raw(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def to_answer_set(content: Content, role_id: str, answers: AnswerMap) -> dict[str, Any]:
    """An answers/1 document with each questionnaire's current version."""
    return {
        "format": ANSWERS_FORMAT,
        "role": role_id,
        "questionnaires": {
            questionnaire_id: {
                "version": content.questionnaires[questionnaire_id].version,
                "answers": dict(given),
            }
            for questionnaire_id, given in answers.items()
            if questionnaire_id in content.questionnaires
        },
    }


def answers_file_text(content: Content, role_id: str, answers: AnswerMap) -> str:
    """The candidate's answers file (answers/1 JSON): answers of hidden questions left out,
    text kept as written (not escaped to ASCII)."""
    answer_set = to_answer_set(content, role_id, visible_answers(content, answers))
    return json.dumps(answer_set, indent=2, ensure_ascii=False)


# An answers file is a few kilobytes (every answer, each text at most 2,000 characters); a
# larger upload is refused before it is read, which takes seconds for megabytes of YAML.
MAX_ANSWERS_BYTES = 256 * 1024


def read_uploaded_answers(
    raw: bytes, name: str, content: Content
) -> tuple[AnswerSet | None, list[Issue]]:
    """An uploaded answers/1 file (JSON or YAML), checked against the content."""
    if len(raw) > MAX_ANSWERS_BYTES:
        message = ErrorCode.ANSWERS_TOO_LARGE.format(size=len(raw), limit=MAX_ANSWERS_BYTES)
        return None, [Issue(name, 1, "", ErrorCode.ANSWERS_TOO_LARGE, message)]
    text = decode_text(raw, name)
    if isinstance(text, Issue):
        return None, [text]
    document: Document = parse_document(text, name, expected=ANSWERS_FORMAT)
    validate_model(document)
    if document.ok:
        document.issues += answer_issues(document.model, content, name, document.lines)
    if not document.ok:
        return None, document.issues
    return document.model, []
