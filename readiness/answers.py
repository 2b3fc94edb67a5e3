"""Answer sets: checking one against the content, and encoding many as arrays for scoring.

An `AnswerFrame` holds n answer sets as columns, one per question of the content root, so that
visibility, conditions and levels are computed for every candidate at once (the counselor's
cohort view scores thousands of sets in one pass; a single candidate is a frame of one).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from readiness.conditions import (
    QuestionTest,
    evaluate,
    is_finite_number,
    is_number,
    same_value,
    value_key,
)
from readiness.messages import ErrorCode, Issue, describe, loc_to_dot
from readiness.schema import AnswerSet, Question, Questionnaire

if TYPE_CHECKING:
    from readiness.content import Content
    from readiness.yamlsafe import LineMap

# {questionnaire id: {question id: raw answer}}
AnswerMap = Mapping[str, Mapping[str, Any]]


def answer_map(answer_set: AnswerSet) -> dict[str, dict[str, Any]]:
    return {qid: dict(entry.answers) for qid, entry in answer_set.questionnaires.items()}


def answers_of(document: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The answer map of an answers/1 document held as plain data (as storage returns it)."""
    return {
        questionnaire_id: dict(entry.get("answers") or {})
        for questionnaire_id, entry in (document.get("questionnaires") or {}).items()
    }


def is_answered(value: Any) -> bool:
    """The spec's *answered*: not missing, not null, not an empty list."""
    return value is not None and value != []


def check_answer(value: Any, question: Question, questionnaire: Questionnaire) -> str | None:
    """None if `value` is a possible answer to `question`, else what the question expects."""
    if value is None:
        return None
    kind = question.type
    if kind == "rating":
        values = [entry.value for entry in questionnaire.scales.get(question.scale, [])]
        if is_number(value) and value in values:
            return None
        return "expected one of the scale values " + ", ".join(f"{v:g}" for v in values)
    if kind == "single_choice":
        if _option_index(question, value) is not None:
            return None
        return "expected one of " + ", ".join(describe(o.value) for o in question.options)
    if kind == "multiple_choice":
        # As written in YAML: true, not Python's True.
        allowed = ", ".join(describe(o.value) for o in question.options)
        if not isinstance(value, list):
            return f"expected a list of options from {allowed}"
        for item in value:
            if _option_index(question, item) is None:
                return f"{describe(item)} is not an option; expected values from {allowed}"
        indexes = [_option_index(question, item) for item in value]
        if len(set(indexes)) != len(indexes):
            return "each option may be listed once"
        return None
    if kind == "yes_no":
        return None if isinstance(value, bool) else "expected true or false"
    if kind == "number":
        if not is_number(value) or isinstance(value, float) and not math.isfinite(value):
            return "expected a number"
        if question.min is not None and value < question.min:
            return f"expected at least {question.min:g}"
        if question.max is not None and value > question.max:
            return f"expected at most {question.max:g}"
        if not is_finite_number(value):  # a whole number beyond any float, such as 10**400
            return "expected a number of ordinary size (at most about 1.8e308)"
        return None
    return None if isinstance(value, str) else "expected text"


def answer_text(value: Any, question: Question, questionnaire: Questionnaire) -> str:
    """An answer (one the question can take) in the words it was chosen by: option labels,
    Yes or No, a scale's label with its value, a number as written."""
    kind = question.type
    if kind == "single_choice":
        return question.options[_option_index(question, value)].label
    if kind == "multiple_choice":
        chosen = {_option_index(question, item) for item in value}
        return ", ".join(o.label for i, o in enumerate(question.options) if i in chosen)
    if kind == "yes_no":
        return "Yes" if value else "No"
    if kind == "text":
        return value
    label = None
    if kind == "rating":
        scale = questionnaire.scales.get(question.scale, [])
        label = next((entry.label for entry in scale if entry.value == value), None)
    number = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{label} ({number})" if label is not None else number


def answers_that_fit(
    catalog: Catalog, answers: AnswerMap
) -> tuple[dict[str, dict[str, Any]], list[tuple[str, str]]]:
    """The answers the content's questions can still take, and (questionnaire, question) of
    each that they no longer can: stored answers outlive a change of content (a question
    removed, an option or a scale value gone, a new range)."""
    fitting: dict[str, dict[str, Any]] = {}
    stale: list[tuple[str, str]] = []
    for questionnaire_id, given in answers.items():
        for question_id, value in given.items():
            if not is_answered(value):
                continue
            column = catalog.by_key.get((questionnaire_id, question_id))
            if column is None or check_answer(value, column.question, column.questionnaire):
                stale.append((questionnaire_id, question_id))
            else:
                fitting.setdefault(questionnaire_id, {})[question_id] = value
    return fitting, stale


def _option_index(question: Question, value: Any) -> int | None:
    return next(
        (i for i, option in enumerate(question.options) if same_value(option.value, value)), None
    )


def answer_issues(
    answer_set: AnswerSet, content: Content, file: str, lines: LineMap
) -> list[Issue]:
    """Located problems of an answer set against the content's current questionnaires."""
    issues: list[Issue] = []

    def add(loc: tuple, code: ErrorCode, *, key: bool = False, **values: Any) -> None:
        line = lines.line_of(loc, key=key)
        issues.append(Issue(file, line, loc_to_dot(loc), code, code.format(**values)))

    for questionnaire_id, entry in answer_set.questionnaires.items():
        loc = ("questionnaires", questionnaire_id)
        questionnaire = content.questionnaires.get(questionnaire_id)
        if questionnaire is None:
            hint = (
                " that loads: its file has problems (run validate)"
                if content.file_has_problems(questionnaire_id)
                else ""
            )
            add(loc, ErrorCode.ANSWER_UNKNOWN_QUESTIONNAIRE, key=True, id=questionnaire_id,
                hint=hint)  # fmt: skip
            continue
        for question_id, value in entry.answers.items():
            answer_loc = (*loc, "answers", question_id)
            question = questionnaire.question(question_id)
            if question is None:
                add(answer_loc, ErrorCode.ANSWER_UNKNOWN_QUESTION, key=True,
                    questionnaire=questionnaire_id, id=question_id)  # fmt: skip
                continue
            problem = check_answer(value, question, questionnaire)
            if problem:
                add(answer_loc, ErrorCode.ANSWER_BAD_VALUE, got=value, id=question_id,
                    expected=problem)  # fmt: skip
    return issues


# Encoding ------------------------------------------------------------------------------------


@dataclass
class Column:
    """Where one question's answers live in an `AnswerFrame`."""

    index: int
    questionnaire: Questionnaire
    question: Question
    onehot_start: int = -1  # multiple_choice: first of its option columns
    text_index: int = -1  # text: its column among the text answers
    option_codes: dict[tuple[bool, Any], int] = field(default_factory=dict)

    kind: str = field(init=False)  # the question's type, read once per answer when filling

    def __post_init__(self) -> None:
        self.kind = self.question.type

    def code_of(self, value: Any) -> int | None:
        return self.option_codes.get(value_key(value))


class Catalog:
    """Every question of a content root, in file order, with its place in an `AnswerFrame`."""

    def __init__(self, questionnaires: Sequence[Questionnaire]):
        self.questionnaires = list(questionnaires)
        self.columns: list[Column] = []
        self.by_key: dict[tuple[str, str], Column] = {}
        # questionnaire id -> question id -> column: two plain look-ups per answer when filling
        self.by_questionnaire: dict[str, dict[str, Column]] = {}
        option_columns = text_columns = 0
        for questionnaire in self.questionnaires:
            for question in questionnaire.questions():
                column = Column(len(self.columns), questionnaire, question)
                if question.type in ("single_choice", "multiple_choice"):
                    column.option_codes = {
                        value_key(o.value): i for i, o in enumerate(question.options)
                    }
                if question.type == "multiple_choice":
                    column.onehot_start = option_columns
                    option_columns += len(question.options)
                if question.type == "text":
                    column.text_index = text_columns
                    text_columns += 1
                self.columns.append(column)
                self.by_key[(questionnaire.id, question.id)] = column
                self.by_questionnaire.setdefault(questionnaire.id, {})[question.id] = column
        self.option_columns, self.text_columns = option_columns, text_columns
        # What ratings and numbers may hold, as arrays for `AnswerFrame`: each rating
        # column's scale values (a row each, NaN-padded), each bounded number's min and max.
        ratings = [c for c in self.columns if c.kind == "rating"]
        scales = [[e.value for e in c.questionnaire.scales.get(c.question.scale, [])] for c in ratings]  # fmt: skip
        width = max((len(values) for values in scales), default=0)
        self.rating_indexes = np.array([c.index for c in ratings], dtype=int)
        self.rating_values = np.array(
            [values + [math.nan] * (width - len(values)) for values in scales], dtype=float
        ).reshape(len(ratings), width)
        bounded = [c for c in self.columns if c.kind == "number"
                   and (c.question.min is not None or c.question.max is not None)]  # fmt: skip
        self.bounded_indexes = np.array([c.index for c in bounded], dtype=int)
        self.number_minimums = np.array(
            [-math.inf if c.question.min is None else c.question.min for c in bounded], dtype=float
        )
        self.number_maximums = np.array(
            [math.inf if c.question.max is None else c.question.max for c in bounded], dtype=float
        )

    def column(self, questionnaire_id: str, question_id: str) -> Column:
        return self.by_key[(questionnaire_id, question_id)]


class AnswerFrame:
    """n answer sets as arrays, with visibility applied (hidden answers count as unanswered).

    values[:, j]: a rating's or number's raw value, 1/0 for yes/no, the option index for a
    single choice; onehot: chosen options of multiple choices; texts: text answers.
    """

    def __init__(self, catalog: Catalog, answer_maps: Sequence[AnswerMap]):
        self.catalog = catalog
        n, width = len(answer_maps), len(catalog.columns)
        self.size = n
        self.values = np.full((n, width), np.nan)
        self.answered = np.zeros((n, width), dtype=bool)
        self.onehot = np.zeros((n, catalog.option_columns), dtype=bool)
        self.texts = np.full((n, catalog.text_columns), None, dtype=object)
        self._fill(answer_maps)
        self.given = self.answered.copy()
        self.visible = np.ones((n, width), dtype=bool)
        self._apply_visibility()

    def _fill(self, answer_maps: Sequence[AnswerMap]) -> None:
        # The one loop over every given answer (hundreds of thousands for a large cohort): plain
        # dictionary look-ups and exact type tests; all later work is on whole columns.
        rows: list[int] = []
        cols: list[int] = []
        numbers: list[float] = []
        hot_rows: list[int] = []
        hot_cols: list[int] = []
        by_questionnaire = self.catalog.by_questionnaire
        no_columns: dict[str, Column] = {}
        add_row, add_col, add_number = rows.append, cols.append, numbers.append
        for row, answers_by_questionnaire in enumerate(answer_maps):
            for questionnaire_id, answers in answers_by_questionnaire.items():
                columns = by_questionnaire.get(questionnaire_id, no_columns)
                for question_id, value in answers.items():
                    column = columns.get(question_id)
                    if column is None or value is None:
                        continue
                    kind = column.kind
                    if kind == "rating" or kind == "number":
                        value_type = type(value)
                        if value_type is not int and value_type is not float:
                            if not is_number(value):  # int and float subclasses other than bool
                                continue
                        number = float(value)
                    elif kind == "yes_no":
                        if value is True:
                            number = 1.0
                        elif value is False:
                            number = 0.0
                        else:
                            continue
                    elif kind == "single_choice":
                        code = column.code_of(value)
                        if code is None:
                            continue
                        number = float(code)
                    elif kind == "multiple_choice":
                        if not isinstance(value, list):
                            continue
                        codes = [column.code_of(item) for item in value]
                        # As `check_answer`: one option gone, or one listed twice, and the
                        # whole answer no longer fits (it counts as unanswered).
                        if not codes or None in codes or len(set(codes)) < len(codes):
                            continue
                        hot_rows.extend([row] * len(codes))
                        hot_cols.extend(column.onehot_start + code for code in codes)
                        number = math.nan
                    else:
                        if not isinstance(value, str):
                            continue
                        self.texts[row, column.text_index] = value
                        number = math.nan
                    add_row(row)
                    add_col(column.index)
                    add_number(number)
        self.values[rows, cols] = numbers
        self.answered[rows, cols] = True
        self.onehot[hot_rows, hot_cols] = True
        self._drop_values_out_of_bounds()

    def _drop_values_out_of_bounds(self) -> None:
        """A rating off its scale or a number outside min–max (a stored answer the content
        has changed under) counts as unanswered, as `check_answer` would refuse it: a level
        below 0 or a threshold never meant must not reach the score."""
        catalog = self.catalog
        if len(catalog.rating_indexes):
            given = self.values[:, catalog.rating_indexes]
            fits = (given[:, :, None] == catalog.rating_values[None, :, :]).any(axis=2)
            self.answered[:, catalog.rating_indexes] &= fits | np.isnan(given)
        if len(catalog.bounded_indexes):
            given = self.values[:, catalog.bounded_indexes]
            with np.errstate(invalid="ignore"):
                fits = (given >= catalog.number_minimums) & (given <= catalog.number_maximums)
            self.answered[:, catalog.bounded_indexes] &= fits | np.isnan(given)

    def _apply_visibility(self) -> None:
        # Conditions only name earlier questions, so one pass in file order settles visibility.
        for questionnaire in self.catalog.questionnaires:
            for section in questionnaire.sections:
                section_visible = None
                if section._show_if is not None:
                    section_visible, _ = evaluate(section._show_if, self, three_valued=False)
                for question in section.questions:
                    column = self.catalog.column(questionnaire.id, question.id)
                    visible = section_visible
                    if question._show_if is not None:
                        shown, _ = evaluate(question._show_if, self, three_valued=False)
                        visible = shown if visible is None else visible & shown
                    if visible is not None:
                        self.visible[:, column.index] = visible
                        self.answered[:, column.index] &= visible

    def answered_of(self, questionnaire_id: str, question_id: str) -> np.ndarray:
        return self.answered[:, self.catalog.column(questionnaire_id, question_id).index]

    def test(self, test: QuestionTest) -> np.ndarray:
        """The test's outcome where the question is answered (callers mask the rest)."""
        column = self.catalog.column(test.questionnaire, test.question)
        candidates = test.value if test.test == "in" else (test.value,)
        if test.test == "at_least":
            return self.values[:, column.index] >= test.value
        if test.test == "at_most":
            return self.values[:, column.index] <= test.value
        if test.test == "includes":
            code = column.code_of(test.value)
            if code is None:
                return np.zeros(self.size, dtype=bool)
            return self.onehot[:, column.onehot_start + code]
        result = np.zeros(self.size, dtype=bool)
        for candidate in candidates:
            result |= self._equals(column, candidate)
        return result

    def _equals(self, column: Column, value: Any) -> np.ndarray:
        kind = column.question.type
        values = self.values[:, column.index]
        if kind in ("rating", "number"):
            return values == value if is_number(value) else np.zeros(self.size, dtype=bool)
        if kind == "yes_no":
            if not isinstance(value, bool):
                return np.zeros(self.size, dtype=bool)
            return values == (1.0 if value else 0.0)
        if kind == "single_choice":
            code = column.code_of(value)
            return values == code if code is not None else np.zeros(self.size, dtype=bool)
        if kind == "text":
            return self.texts[:, column.text_index] == value
        return np.zeros(self.size, dtype=bool)
