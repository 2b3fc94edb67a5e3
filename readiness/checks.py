"""Rules of the content format that need more than one value: ids unique, scales and options
consistent, conditions pointing at the right questions, bands in order, references across files.

Each check reads a validated model plus the file's line map and returns located issues; the
conditions it checks are compiled onto the model for scoring.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from readiness.conditions import ConditionParser, value_key
from readiness.messages import ErrorCode, Issue, did_you_mean, loc_to_dot
from readiness.schema import Questionnaire, RoleProfile
from readiness.yamlsafe import LineMap, Loc


class _Collector:
    def __init__(self, file: str, lines: LineMap):
        self.file, self.lines = file, lines
        self.issues: list[Issue] = []

    def add(self, loc: Loc, code: ErrorCode, *, key: bool = False, **values: Any) -> None:
        line = self.lines.line_of(loc, key=key)
        self.issues.append(Issue(self.file, line, loc_to_dot(loc), code, code.format(**values)))

    def unique(self, items: Iterable[tuple[Loc, Any]], what: str, *, code=ErrorCode.DUPLICATE_ID):
        first: dict[tuple[bool, Any], Loc] = {}
        for loc, value in items:
            key = value_key(value)  # true and 1 are different answers
            if key in first:
                first_line = self.lines.line_of(first[key])
                if code is ErrorCode.DUPLICATE_ID:
                    self.add(loc, code, what=what, id=value, first_line=first_line)
                else:
                    self.add(loc, code, what=what, value=value, first_line=first_line)
            else:
                first[key] = loc


def check_questionnaire(model: Questionnaire, file: str, lines: LineMap) -> list[Issue]:
    """Checks within one questionnaire; compiles its `show_if` conditions onto the model."""
    out = _Collector(file, lines)
    for name, entries in model.scales.items():
        out.unique(
            ((("scales", name, i, "value"), e.value) for i, e in enumerate(entries)),
            "scale value",
            code=ErrorCode.DUPLICATE_VALUE,
        )
    out.unique(
        ((("sections", s, "id"), section.id) for s, section in enumerate(model.sections)), "section"
    )
    out.unique(
        (
            (("sections", s, "questions", q, "id"), question.id)
            for s, section in enumerate(model.sections)
            for q, question in enumerate(section.questions)
        ),
        "question",
    )

    defined: dict[str, Any] = {}  # questions defined so far, for "earlier" in conditions
    positions = {
        question.id: ("sections", s, "questions", q)
        for s, section in enumerate(model.sections)
        for q, question in enumerate(section.questions)
    }

    def resolver(current: str | None):
        def resolve(name: str, line: int):
            if name == current:
                return ErrorCode.CONDITION_SELF, {}
            if name in defined:
                return model, defined[name]
            if name in positions:
                later_line = lines.line_of((*positions[name], "id"))
                return ErrorCode.CONDITION_LATER_QUESTION, {"target": name, "line": later_line}
            return ErrorCode.CONDITION_UNKNOWN_QUESTION, {
                "target": name,
                "where": " in this questionnaire",
            }

        return resolve

    for s, section in enumerate(model.sections):
        section_loc: Loc = ("sections", s)
        if section.show_if is not None:
            parser = ConditionParser(file, lines, resolver(None))
            section._show_if = parser.parse(section.show_if, (*section_loc, "show_if"))
            out.issues.extend(parser.issues)
        for q, question in enumerate(section.questions):
            loc: Loc = (*section_loc, "questions", q)
            if question.show_if is not None:
                parser = ConditionParser(file, lines, resolver(question.id))
                question._show_if = parser.parse(question.show_if, (*loc, "show_if"))
                out.issues.extend(parser.issues)
            _check_question(out, model, question, loc)
            defined.setdefault(question.id, question)
    return out.issues


def _check_question(out: _Collector, model: Questionnaire, question: Any, loc: Loc) -> None:
    kind = question.type
    if kind == "rating" and question.scale not in model.scales:
        names = ", ".join(repr(n) for n in model.scales) or "none are defined"
        out.add(
            (*loc, "scale"),
            ErrorCode.UNKNOWN_SCALE,
            name=question.scale,
            hint=f" (defined: {names})",
        )
    if kind in ("single_choice", "multiple_choice"):
        out.unique(
            (((*loc, "options", i, "value"), o.value) for i, o in enumerate(question.options)),
            "option value",
            code=ErrorCode.DUPLICATE_VALUE,
        )
        if question.measures:
            for i, option in enumerate(question.options):
                if option.level is None:
                    out.add(
                        # Located at the option that lacks it, named by the missing key.
                        (*loc, "options", i, "level"),
                        ErrorCode.LEVEL_REQUIRED,
                        competency=question.measures,
                    )
    if kind == "number":
        if question.min is not None and question.max is not None and question.min > question.max:
            out.add((*loc, "min"), ErrorCode.MIN_ABOVE_MAX, min=f"{question.min:g}",
                    max=f"{question.max:g}")  # fmt: skip
        thresholds = question.levels or []
        for i in range(1, len(thresholds)):
            if thresholds[i].at_least <= thresholds[i - 1].at_least:
                out.add(
                    (*loc, "levels", i, "at_least"),
                    ErrorCode.LEVELS_NOT_ASCENDING,
                    got=f"{thresholds[i].at_least:g}",
                    previous=f"{thresholds[i - 1].at_least:g}",
                )
        if question.measures and not thresholds:
            out.add((*loc, "levels"), ErrorCode.LEVELS_REQUIRED, competency=question.measures)
    if kind == "text" and question.measures:
        out.add((*loc, "measures"), ErrorCode.NOT_FOR_TYPE, field="measures", type="text")


def check_role(model: RoleProfile, file: str, lines: LineMap) -> list[Issue]:
    """Checks within one role profile (its `met_if` references are checked with the content)."""
    out = _Collector(file, lines)
    out.unique(
        [(("competencies", i, "id"), c.id) for i, c in enumerate(model.competencies)]
        + [(("requirements", i, "id"), r.id) for i, r in enumerate(model.requirements)],
        "competency or requirement",
    )
    bands = model.bands
    for i in range(1, len(bands)):
        if bands[i].at_least >= bands[i - 1].at_least:
            out.add(
                ("bands", i, "at_least"),
                ErrorCode.BANDS_NOT_DESCENDING,
                got=f"{bands[i].at_least:g}",
                previous=f"{bands[i - 1].at_least:g}",
            )
    if bands[-1].at_least != 0:
        out.add(
            ("bands", len(bands) - 1, "at_least"),
            ErrorCode.BANDS_NOT_ENDING_AT_ZERO,
            got=f"{bands[-1].at_least:g}",
        )
    return out.issues


ANY_ID = ""  # in `unreadable`: some questionnaire file did not say which id it defines


def check_role_references(
    model: RoleProfile,
    file: str,
    lines: LineMap,
    questionnaires: dict[str, Questionnaire],
    unreadable: set[str],
) -> list[Issue]:
    """Compiles `met_if` conditions against the content's questionnaires.

    A reference into a questionnaire that exists but failed its own checks is not reported
    again here: that file's issues say what to fix. `unreadable` holds the ids of such
    questionnaires (also of one defined twice), and `ANY_ID` if a questionnaire file could not
    be read as far as its id.
    """
    issues: list[Issue] = []
    for i, requirement in enumerate(model.requirements):
        skipped = False

        def resolve(name: str, line: int):
            nonlocal skipped
            questionnaire_id, dot, question_id = name.partition(".")
            if not dot or not question_id:
                return ErrorCode.CONDITION_REFERENCE_FORM, {"got": name}
            questionnaire = questionnaires.get(questionnaire_id)
            found = questionnaire is not None and questionnaire.question(question_id) is not None
            if not found and (questionnaire_id in unreadable or ANY_ID in unreadable):
                skipped = True
                return ErrorCode.UNKNOWN_QUESTIONNAIRE, {"id": questionnaire_id, "hint": ""}
            if questionnaire is None:
                hint = did_you_mean(questionnaire_id, questionnaires)
                return ErrorCode.UNKNOWN_QUESTIONNAIRE, {"id": questionnaire_id, "hint": hint}
            question = questionnaire.question(question_id)
            if question is None:
                where = f" in questionnaire {questionnaire_id!r}"
                return ErrorCode.CONDITION_UNKNOWN_QUESTION, {"target": question_id, "where": where}
            return questionnaire, question

        parser = ConditionParser(file, lines, resolve)
        requirement._met_if = parser.parse(requirement.met_if, ("requirements", i, "met_if"))
        if not skipped:
            issues.extend(parser.issues)
    return issues


def check_measures(
    model: Questionnaire, file: str, lines: LineMap, competencies: set[str]
) -> list[Issue]:
    out = _Collector(file, lines)
    for s, section in enumerate(model.sections):
        for q, question in enumerate(section.questions):
            if question.measures and question.measures not in competencies:
                hint = did_you_mean(question.measures, competencies)
                out.add(("sections", s, "questions", q, "measures"), ErrorCode.UNKNOWN_COMPETENCY,
                        competency=question.measures, hint=hint)  # fmt: skip
    return out.issues
