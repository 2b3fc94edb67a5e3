"""The one scoring definition (content-format.md, "Scoring"), for many answer sets at once.

Everything is computed on arrays with one row per answer set: the candidate's results page
scores a frame of one, the counselor's cohort view a frame of thousands, with the same code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from readiness.answers import AnswerFrame, AnswerMap, Column, answer_text
from readiness.conditions import evaluate, referenced_questions
from readiness.memory import collector_paused
from readiness.schema import MAX_LEVEL, Band, Requirement, RoleProfile

if TYPE_CHECKING:
    from readiness.content import Content

MET, UNMET, UNKNOWN = "met", "unmet", "unknown"
# A must-have's status as the report says it, on screen and in the PDF.
STATUS_WORDS = {MET: "Met", UNMET: "Not yet", UNKNOWN: "Not answered"}
NOT_ASKED_WORDS = "Not asked, given your other answers"
_HALF_TOLERANCE = 1e-9


def round_half_up(value: float | np.ndarray, digits: int = 0) -> Any:
    """Round half up; a value within 1e-9 of a half counts as the half (62.5 -> 63)."""
    scale = 10.0**digits
    return np.floor(np.asarray(value) * scale + 0.5 + _HALF_TOLERANCE) / scale


def question_levels(frame: AnswerFrame, columns: list[Column]) -> np.ndarray:
    """Level 0–4 of each answered, visible question in `columns`; NaN where it does not count."""
    levels = np.full((frame.size, len(columns)), np.nan)
    for position, column in enumerate(columns):
        question = column.question
        raw = frame.values[:, column.index]
        kind = question.type
        if kind == "rating":
            scale = [entry.value for entry in column.questionnaire.scales[question.scale]]
            low, high = min(scale), max(scale)
            level = MAX_LEVEL * (raw - low) / (high - low)
        elif kind == "single_choice":
            option_levels = np.array([_level(o.level) for o in question.options] + [np.nan])
            codes = np.where(np.isnan(raw), -1, raw).astype(int)
            level = option_levels[codes]
        elif kind == "multiple_choice":
            start = column.onehot_start
            chosen = frame.onehot[:, start : start + len(question.options)]
            option_levels = np.array([_level(o.level) for o in question.options])
            level = np.minimum(chosen.astype(float) @ option_levels, MAX_LEVEL)
        elif kind == "yes_no":
            level = raw * question.yes_level
        elif kind == "number":
            thresholds = question.levels or []
            at_least = np.array([t.at_least for t in thresholds])
            reached = np.searchsorted(at_least, np.nan_to_num(raw, nan=-np.inf), side="right") - 1
            threshold_levels = np.array([t.level for t in thresholds] + [0.0])
            level = threshold_levels[reached]  # index -1 is the appended 0: below the first
        else:  # text is never scored
            continue
        levels[:, position] = np.where(frame.answered[:, column.index], level, np.nan)
    return levels


def _level(value: float | None) -> float:
    return 0.0 if value is None else value


@dataclass
class Evidence:
    """One answer that counted towards a competency."""

    questionnaire: str
    question: str
    prompt: str
    answer: Any
    level: float
    weight: float
    answer_text: str = ""  # the answer as the candidate chose it: option labels, Yes or No


@dataclass
class CompetencyScore:
    id: str
    title: str
    level: float
    target: float
    gap: float
    importance: float
    assessed: bool
    attainment: float
    evidence: list[Evidence] = field(default_factory=list)
    source: str = ""  # the profile's reason for this target and importance
    asked: bool = True  # whether any question of the content measures it

    @property
    def level_rounded(self) -> float:
        return float(round_half_up(self.level, 2))

    @property
    def gap_rounded(self) -> float:
        return float(round_half_up(self.gap, 2))


@dataclass
class RequirementResult:
    id: str
    title: str
    status: str
    action: str | None
    source: str
    # Unknown only because the questions it depends on are hidden by earlier answers: the
    # candidate cannot answer them now, so "not answered yet" would mislead.
    not_asked: bool = False

    @property
    def words(self) -> str:
        """The status as the candidate reads it."""
        return NOT_ASKED_WORDS if self.not_asked else STATUS_WORDS[self.status]


@dataclass
class PlanStep:
    kind: str  # "requirement" or "competency"
    id: str
    title: str
    status: str  # requirement: unmet/unknown; competency: "gap"
    actions: list[str]
    gap: float | None = None


@dataclass
class ScoreResult:
    role_id: str
    role_title: str
    readiness: int
    readiness_exact: float
    band: Band
    competencies: list[CompetencyScore]
    requirements: list[RequirementResult]
    plan: list[PlanStep]

    def must_have_reason(self, step: PlanStep) -> str:
        """Why a must-have is in the plan, in the candidate's words."""
        if step.status == UNMET:
            return "must-have not met"
        if any(r.id == step.id and r.not_asked for r in self.requirements):
            return "must-have not asked, given your other answers"
        return "must-have not answered yet"

    def to_json(self) -> dict[str, Any]:
        """The CLI's `score` output, exactly as content-format.md defines it."""
        return {
            "role": self.role_id,
            "readiness": self.readiness,
            "band": self.band.label,
            "competencies": [
                {
                    "id": c.id,
                    "level": c.level_rounded,
                    "target": c.target,
                    "gap": c.gap_rounded,
                    "importance": c.importance,
                    "assessed": c.assessed,
                }
                for c in self.competencies
            ],
            "requirements": [{"id": r.id, "status": r.status} for r in self.requirements],
            "plan": [step.id for step in self.plan],
        }


class BatchScores:
    """Scores of every answer set in a frame against one role, as arrays (row = answer set)."""

    def __init__(self, frame: AnswerFrame, role: RoleProfile):
        self.frame, self.role = frame, role
        catalog = frame.catalog
        competency_ids = [c.id for c in role.competencies]
        position = {cid: i for i, cid in enumerate(competency_ids)}
        self.columns = [
            column
            for column in catalog.columns
            if column.question.measures in position and column.question.type != "text"
        ]
        weights = np.zeros((len(self.columns), len(competency_ids)))
        for row, column in enumerate(self.columns):
            weights[row, position[column.question.measures]] = column.question.weight
        self.question_levels = question_levels(frame, self.columns)
        counted = ~np.isnan(self.question_levels)
        self.assessed = counted.astype(float) @ (weights > 0) > 0
        # A weighted mean is the same with its weights scaled. Scaled below 1, weights as large
        # as 1e308 (finite, so allowed) add up without overflowing; scaled by a power of two,
        # every level comes out exactly as it would unscaled.
        _, exponents = np.frexp(weights.max(axis=0, initial=0.0))
        scaled = np.ldexp(weights, -exponents)
        weighted_sum = np.nan_to_num(self.question_levels) @ scaled
        weight_total = counted.astype(float) @ scaled
        with np.errstate(invalid="ignore", divide="ignore"):
            self.levels = np.where(weight_total > 0, weighted_sum / weight_total, 0.0)
        # Weights over 1e308 times smaller than a skill's largest vanish when scaled: where
        # only such answers count, their mean is taken at their own scale.
        for row, competency in zip(*np.nonzero(self.assessed & (weight_total == 0)), strict=True):
            answered = counted[row] & (weights[:, competency] > 0)
            own = weights[answered, competency] / weights[answered, competency].max()
            self.levels[row, competency] = self.question_levels[row, answered] @ own / own.sum()
        targets = np.array([c.target for c in role.competencies])
        importances = np.array([c.importance for c in role.competencies])
        self.targets, self.importances = targets, importances
        self.gaps = np.maximum(0.0, targets - self.levels)
        with np.errstate(invalid="ignore", divide="ignore"):
            attainment = np.minimum(self.levels, targets) / targets
        self.attainment = np.where(targets == 0, 1.0, attainment)
        self.readiness_exact = 100.0 * (self.attainment @ importances) / importances.sum()
        self.readiness = np.clip(round_half_up(self.readiness_exact), 0, 100).astype(int)
        band_floors = np.array([band.at_least for band in role.bands])
        # bands are highest first: the first whose floor is reached
        self.band_index = np.argmax(self.readiness[:, None] >= band_floors[None, :], axis=1)
        self.requirement_status = np.empty((frame.size, len(role.requirements)), dtype=object)
        for index, requirement in enumerate(role.requirements):
            value, known = evaluate(requirement._met_if, frame, three_valued=True)
            self.requirement_status[:, index] = np.where(
                known, np.where(value, MET, UNMET), UNKNOWN
            )

    @property
    def size(self) -> int:
        return self.frame.size

    def result(self, row: int) -> ScoreResult:
        """The full result of one answer set, with evidence and plan."""
        role = self.role
        competency_titles, requirement_titles = role.competency_titles(), role.requirement_titles()
        asked = {column.question.measures for column in self.columns}
        competencies = []
        for index, competency in enumerate(role.competencies):
            evidence = [
                self._evidence(row, position, column)
                for position, column in enumerate(self.columns)
                if column.question.measures == competency.id
                and not math.isnan(self.question_levels[row, position])
            ]
            competencies.append(
                CompetencyScore(
                    id=competency.id,
                    title=competency_titles[competency.id],
                    level=float(self.levels[row, index]),
                    target=competency.target,
                    gap=float(self.gaps[row, index]),
                    importance=competency.importance,
                    assessed=bool(self.assessed[row, index]),
                    attainment=float(self.attainment[row, index]),
                    evidence=evidence,
                    source=competency.source,
                    asked=competency.id in asked,
                )
            )
        requirements = [
            RequirementResult(
                r.id,
                requirement_titles[r.id],
                status := str(self.requirement_status[row, i]),
                r.action,
                r.source,
                not_asked=status == UNKNOWN and self._only_hidden_unanswered(r, row),
            )
            for i, r in enumerate(role.requirements)
        ]
        return ScoreResult(
            role_id=role.id,
            role_title=role.title,
            readiness=int(self.readiness[row]),
            readiness_exact=float(self.readiness_exact[row]),
            band=role.bands[int(self.band_index[row])],
            competencies=competencies,
            requirements=requirements,
            plan=build_plan(role, competencies, requirements),
        )

    def _only_hidden_unanswered(self, requirement: Requirement, row: int) -> bool:
        """Whether every question of the requirement's met_if left unanswered is hidden."""
        frame = self.frame
        for test in referenced_questions(requirement._met_if):
            index = frame.catalog.column(test.questionnaire, test.question).index
            if not frame.answered[row, index] and frame.visible[row, index]:
                return False
        return True

    def _evidence(self, row: int, position: int, column: Column) -> Evidence:
        answer, answer_text = self._answer(row, column)
        return Evidence(
            questionnaire=column.questionnaire.id,
            question=column.question.id,
            prompt=column.question.prompt,
            answer=answer,
            level=float(self.question_levels[row, position]),
            weight=column.question.weight,
            answer_text=answer_text,
        )

    def _answer(self, row: int, column: Column) -> tuple[Any, str]:
        """The answer as saved, and in the words the candidate chose it by."""
        question = column.question
        value = self.frame.values[row, column.index]
        if question.type == "single_choice":
            answer: Any = question.options[int(value)].value
        elif question.type == "multiple_choice":
            start = column.onehot_start
            chosen = self.frame.onehot[row, start : start + len(question.options)]
            answer = [o.value for o, hot in zip(question.options, chosen, strict=True) if hot]
        elif question.type == "yes_no":
            answer = bool(value)
        else:
            answer = float(value)
        return answer, answer_text(answer, question, column.questionnaire)


# A gap's weight in the plan. Products that differ only by floating-point error (importance 1
# × (0.3 − 0.1) against 1 × 0.2) are a tie, so they keep file order as the format says.
_PRIORITY_DIGITS = 9


def plan_priority(importance: Any, gap: Any) -> Any:
    """importance × gap, for ordering the plan (and anything shown in the plan's order)."""
    return np.round(np.multiply(importance, gap), _PRIORITY_DIGITS)


def in_plan_order(competencies: list[CompetencyScore]) -> list[CompetencyScore]:
    """Largest importance × gap first, ties in file order: the plan's order, which the
    competency chart and tables follow too."""
    return sorted(competencies, key=lambda c: -plan_priority(c.importance, c.gap))  # stable


def build_plan(
    role: RoleProfile,
    competencies: list[CompetencyScore],
    requirements: list[RequirementResult],
) -> list[PlanStep]:
    """Unmet must-haves, then unknown ones, then gaps by importance × gap (ties: file order)."""
    actions = {r.id: r.action for r in role.requirements}
    steps = [
        PlanStep("requirement", r.id, r.title, r.status, [actions[r.id]] if actions[r.id] else [])
        for status in (UNMET, UNKNOWN)
        for r in requirements
        if r.status == status
    ]
    role_actions = {c.id: list(c.actions) for c in role.competencies}
    gaps = in_plan_order([c for c in competencies if c.gap_rounded >= 0.01])
    steps += [
        PlanStep("competency", c.id, c.title, "gap", role_actions[c.id], gap=c.gap) for c in gaps
    ]
    return steps


def score_answer_maps(content: Content, role_id: str, answer_maps: list[AnswerMap]) -> BatchScores:
    """Score many answer sets against one role of the content."""
    with collector_paused():  # thousands of answer sets: many objects, none to free
        frame = AnswerFrame(content.catalog, answer_maps)
        return BatchScores(frame, content.roles[role_id])


def compare_roles(content: Content, answers: AnswerMap) -> list[dict[str, Any]]:
    """The same answers scored against every role of the content, in its order: one row each
    with the Role, its Readiness, Band and how many Must-haves are not met."""
    rows = []
    for role_id, role in content.roles.items():
        scores = score_answer_maps(content, role_id, [answers])
        rows.append(
            {
                "Role": content.role_titles[role_id],
                "Readiness": int(scores.readiness[0]),
                "Band": role.bands[int(scores.band_index[0])].label,
                "Must-haves not met": int((scores.requirement_status[0] == UNMET).sum()),
            }
        )
    return rows


def score_one(content: Content, role_id: str, answers: AnswerMap) -> ScoreResult:
    return score_answer_maps(content, role_id, [answers]).result(0)
