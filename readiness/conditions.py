"""Conditions (`show_if`, `met_if`): checking what an author wrote, and evaluating it for many
answer sets at once.

Evaluation returns two boolean arrays, `value` and `known`, one entry per answer set. `show_if` is
two-valued (a test on an unanswered question is simply false, so `known` is always true); `met_if`
is three-valued (such a test is unknown), and `all`/`any`/`not` follow the spec's tables.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from readiness.messages import ErrorCode, Issue, describe, did_you_mean, loc_to_dot
from readiness.yamlsafe import LineMap, Loc

if TYPE_CHECKING:
    from readiness.answers import AnswerFrame
    from readiness.schema import Question, Questionnaire

TESTS = ("equals", "in", "includes", "at_least", "at_most", "answered")
COMBINATORS = ("all", "any", "not")
_CONDITION_KEYS = frozenset({"question", *TESTS, *COMBINATORS})
FORMS = (
    "{question: Q, equals: V}, {question: Q, in: [V, ...]}, {question: Q, includes: V}, "
    "{question: Q, at_least: N}, {question: Q, at_most: N}, {question: Q, answered: true|false}, "
    "{all: [...]}, {any: [...]} or {not: ...}"
)


@dataclass(frozen=True)
class QuestionTest:
    questionnaire: str
    question: str
    test: str
    value: Any


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class NotOf:
    part: Condition


Condition = QuestionTest | AllOf | AnyOf | NotOf

# Finds the question a condition names, given the name and the line it is written on: returns
# (questionnaire, question), or an issue's code and values when the name does not resolve.
Resolver = Callable[[str, int], "tuple[Questionnaire, Question] | tuple[ErrorCode, dict[str, Any]]"]


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_finite_number(value: Any) -> bool:
    """A number that is neither NaN nor infinite, nor a whole number too large for a float."""
    if not is_number(value):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def value_key(value: Any) -> tuple[bool, Any]:
    """A dictionary key for an answer value that keeps `true` and `1` apart, as `same_value`
    does (Python hashes them alike)."""
    return (isinstance(value, bool), value)


def same_value(a: Any, b: Any) -> bool:
    """Answer equality of the spec: booleans equal only booleans (`true` never equals `1`)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return a == b


class ConditionParser:
    """Turns a condition as written into a `Condition`, collecting located issues."""

    def __init__(self, file: str, lines: LineMap, resolve: Resolver):
        self.file, self.lines, self.resolve = file, lines, resolve
        self.issues: list[Issue] = []

    def parse(self, spec: Any, loc: Loc) -> Condition | None:
        if not isinstance(spec, dict) or not spec:
            return self._fail(loc, ErrorCode.CONDITION_SHAPE, forms=FORMS, got=describe(spec))
        keys = set(spec)
        unknown = sorted(keys - _CONDITION_KEYS, key=str)
        if unknown:
            # A misspelt key (`equal:`) is named on its own line, as elsewhere in a file.
            key = unknown[0]
            hint = did_you_mean(str(key), _CONDITION_KEYS) or f"; a condition is one of {FORMS}"
            return self._fail((*loc, key), ErrorCode.UNKNOWN_KEY, at_key=True, key=key, hint=hint)
        if keys & set(COMBINATORS):
            if len(keys) != 1:
                return self._fail(loc, ErrorCode.CONDITION_SHAPE, forms=FORMS, got=_keys(spec))
            (combinator,) = keys
            inner = spec[combinator]
            if combinator == "not":
                part = self.parse(inner, (*loc, "not"))
                return NotOf(part) if part is not None else None
            if not isinstance(inner, list) or not inner:
                return self._fail(
                    (*loc, combinator),
                    ErrorCode.WRONG_TYPE,
                    field=combinator,
                    expected="a non-empty list of conditions",
                    got=describe(inner),
                )
            parts = [self.parse(item, (*loc, combinator, i)) for i, item in enumerate(inner)]
            if any(part is None for part in parts):
                return None
            return (AllOf if combinator == "all" else AnyOf)(tuple(parts))
        tests = keys & set(TESTS)
        if "question" not in keys or len(tests) != 1 or len(keys) != 2:
            return self._fail(loc, ErrorCode.CONDITION_SHAPE, forms=FORMS, got=_keys(spec))
        (test,) = tests
        name = spec["question"]
        if not isinstance(name, str):
            return self._fail(
                (*loc, "question"), ErrorCode.WRONG_TYPE, field="question",
                expected="a question id", got=describe(name),
            )  # fmt: skip
        resolved = self.resolve(name, self.lines.line_of((*loc, "question")))
        if isinstance(resolved[0], ErrorCode):
            code, values = resolved
            return self._fail((*loc, "question"), code, **values)
        questionnaire, question = resolved
        value = spec[test]
        if not self._check_value(test, value, questionnaire, question, name, (*loc, test)):
            return None
        if test == "in":
            value = tuple(value)
        return QuestionTest(questionnaire.id, question.id, test, value)

    def _check_value(
        self,
        test: str,
        value: Any,
        questionnaire: Questionnaire,
        question: Question,
        name: str,
        loc: Loc,
    ) -> bool:
        check = possible_answers(question, questionnaire)
        kind = question.type
        if test == "answered":
            if not isinstance(value, bool):
                self._fail(loc, ErrorCode.WRONG_TYPE, field=test, expected="true or false",
                           got=describe(value))  # fmt: skip
                return False
            return True
        if test in ("at_least", "at_most"):
            if kind not in ("number", "rating"):
                advice = (
                    "use includes to test one chosen option"
                    if kind == "multiple_choice"
                    else "use equals or in instead"
                )
                self._fail(loc, ErrorCode.CONDITION_TYPE_MISMATCH, test=test, type=kind,
                           target=name, advice=advice)  # fmt: skip
                return False
            if not is_finite_number(value):
                self._fail(loc, ErrorCode.WRONG_TYPE, field=test, expected="a number",
                           got=describe(value))  # fmt: skip
                return False
            return True
        if test == "includes":
            if kind != "multiple_choice":
                advice = "includes is for multiple_choice questions; use equals or in"
                self._fail(loc, ErrorCode.CONDITION_TYPE_MISMATCH, test=test, type=kind,
                           target=name, advice=advice)  # fmt: skip
                return False
            return self._check_possible(value, check, name, loc)
        if test == "in":
            if not isinstance(value, list) or not value:
                self._fail(loc, ErrorCode.WRONG_TYPE, field="in", expected="a non-empty list",
                           got=describe(value))  # fmt: skip
                return False
            if kind == "multiple_choice":
                advice = "use includes to test one chosen option"
                self._fail(loc, ErrorCode.CONDITION_TYPE_MISMATCH, test=test, type=kind,
                           target=name, advice=advice)  # fmt: skip
                return False
            return all(
                self._check_possible(item, check, name, (*loc, i)) for i, item in enumerate(value)
            )
        # equals
        if kind == "multiple_choice":
            advice = "use includes to test one chosen option"
            self._fail(loc, ErrorCode.CONDITION_TYPE_MISMATCH, test=test, type=kind,
                       target=name, advice=advice)  # fmt: skip
            return False
        return self._check_possible(value, check, name, loc)

    def _check_possible(
        self, value: Any, check: Callable[[Any], tuple[bool, str]], name: str, loc: Loc
    ) -> bool:
        ok, description = check(value)
        if not ok:
            self._fail(loc, ErrorCode.CONDITION_BAD_VALUE, got=value, target=name,
                       expected=description)  # fmt: skip
        return ok

    def _fail(self, loc: Loc, code: ErrorCode, *, at_key: bool = False, **values: Any) -> None:
        """Records the issue on the line of the value at `loc` (of its key, if `at_key`)."""
        line = self.lines.line_of(loc, key=at_key)
        self.issues.append(Issue(self.file, line, loc_to_dot(loc), code, code.format(**values)))
        return None


def possible_answers(
    question: Question, questionnaire: Questionnaire
) -> Callable[[Any], tuple[bool, str]]:
    """A check of one raw (single) value against what `question` accepts, with a description."""
    kind = question.type
    if kind == "rating":
        scale = questionnaire.scales.get(question.scale, [])
        values = [entry.value for entry in scale]
        text = "one of the scale values " + ", ".join(f"{v:g}" for v in values)
        return lambda v: (is_number(v) and v in values, text)
    if kind in ("single_choice", "multiple_choice"):
        values = [option.value for option in question.options]
        text = "one of " + ", ".join(repr(v) for v in values)
        return lambda v: (any(same_value(v, known) for known in values), text)
    if kind == "yes_no":
        return lambda v: (isinstance(v, bool), "true or false")
    if kind == "number":
        return lambda v: (is_finite_number(v), "a number")
    return lambda v: (isinstance(v, str), "text")


def _keys(spec: dict) -> str:
    return "keys " + ", ".join(sorted(spec))


# In words ------------------------------------------------------------------------------------

_TEST_WORDS = {
    "equals": "is",
    "in": "is one of",
    "includes": "includes",
    "at_least": "is at least",
    "at_most": "is at most",
}


def condition_text(condition: Condition, *, qualified: bool = True) -> str:
    """A condition as a sentence an author can check against the file, values as written:
    `liaison-background.education is one of "bachelor", "master"`. `qualified` names
    questions as a role profile does (`QUESTIONNAIRE.QUESTION`), else by id alone."""
    if isinstance(condition, QuestionTest):
        name = (
            f"{condition.questionnaire}.{condition.question}" if qualified else condition.question
        )
        if condition.test == "answered":
            return f"{name} is {'answered' if condition.value else 'not answered'}"
        if condition.test == "in":
            shown = ", ".join(_value_text(value) for value in condition.value)
        else:
            shown = _value_text(condition.value)
        return f"{name} {_TEST_WORDS[condition.test]} {shown}"
    if isinstance(condition, NotOf):
        return f"not ({condition_text(condition.part, qualified=qualified)})"
    joiner = " and " if isinstance(condition, AllOf) else " or "
    return joiner.join(_part_text(part, qualified) for part in condition.parts)


def _part_text(part: Condition, qualified: bool) -> str:
    # Brackets keep "a and (b or c)" unambiguous; a single test or a `not` needs none.
    text = condition_text(part, qualified=qualified)
    return f"({text})" if isinstance(part, AllOf | AnyOf) else text


def _value_text(value: Any) -> str:
    # As YAML or JSON would write it: strings quoted, booleans lower case, 3.0 as 3.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return json.dumps(value, ensure_ascii=False)


# Evaluation ----------------------------------------------------------------------------------


def evaluate(
    condition: Condition, frame: AnswerFrame, *, three_valued: bool
) -> tuple[np.ndarray, np.ndarray]:
    """(value, known) for every answer set of `frame`, on its current visible answers."""
    if isinstance(condition, QuestionTest):
        answered = frame.answered_of(condition.questionnaire, condition.question)
        if condition.test == "answered":
            value = answered if condition.value else ~answered
            return value, np.ones_like(answered)
        value = answered & frame.test(condition)
        known = answered if three_valued else np.ones_like(answered)
        return value, known
    if isinstance(condition, NotOf):
        value, known = evaluate(condition.part, frame, three_valued=three_valued)
        return ~value & known, known
    results = [evaluate(part, frame, three_valued=three_valued) for part in condition.parts]
    values = np.array([value for value, _ in results])
    knowns = np.array([known for _, known in results])
    any_unknown = (~knowns).any(axis=0)
    if isinstance(condition, AllOf):
        any_false = (knowns & ~values).any(axis=0)
        return ~any_false & ~any_unknown, any_false | ~any_unknown
    any_true = (knowns & values).any(axis=0)
    return any_true, any_true | ~any_unknown


def referenced_questions(condition: Condition) -> list[QuestionTest]:
    if isinstance(condition, QuestionTest):
        return [condition]
    if isinstance(condition, NotOf):
        return referenced_questions(condition.part)
    return [test for part in condition.parts for test in referenced_questions(part)]
