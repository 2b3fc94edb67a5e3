"""The counselor's cohort view: one row per candidate, the cohort's gaps, and the CSV export.

Every answer set of the cohort (all attempts of all candidates) is scored in one call of the
vectorised `score_answer_maps`; the table and the summary are array operations on the result.
Rows come from `Store.cohort_answer_sets`, or are plain `(candidate_id, attempt_id,
finished_at, answer_map)` tuples.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from readiness.answers import AnswerMap, answers_that_fit
from readiness.scoring import (
    UNKNOWN,
    UNMET,
    BatchScores,
    ScoreResult,
    plan_priority,
    round_half_up,
    score_answer_maps,
    score_one,
)

if TYPE_CHECKING:
    from readiness.content import Content
    from readiness.storage.models import Member

TOP_GAPS = 3
LIST_SEPARATOR = "; "
# Cells a spreadsheet would read as a formula (or that hide one behind a control character).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# Column names of `cohort_table` (competency gap columns are `gap_column(title)`).
CANDIDATE_ID = "candidate_id"
ALIAS, DATE, STATUS, ATTEMPTS = "Alias", "Date", "Status", "Attempts"
READINESS, BAND, TOP_GAPS_COLUMN, UNMET_COLUMN = (
    "Readiness",
    "Band",
    "Top gaps",
    "Must-haves not met",
)
FINISHED, IN_PROGRESS = "Finished", "In progress"
ROLE_COLUMN = "Scored against"  # in the export only: the page's choice of role


def gap_column(competency_title: str) -> str:
    return f"Gap: {competency_title}"


@dataclass(frozen=True)
class _Row:
    candidate_id: int
    attempt_id: int
    finished_at: datetime | None
    answer_map: Any
    alias: str
    started_at: datetime | None


def _rows(rows: Iterable[Any], members: Sequence[Member] | None) -> list[_Row]:
    aliases = {m.candidate_id: m.alias for m in members or ()}
    found = []
    for row in rows:
        candidate_id, attempt_id, finished_at, answer_map = tuple(row)[:4]
        alias = (
            aliases.get(candidate_id) or getattr(row, "alias", "") or f"Candidate {candidate_id}"
        )
        found.append(
            _Row(
                candidate_id,
                attempt_id,
                finished_at,
                answer_map,
                alias,
                getattr(row, "started_at", None),
            )  # fmt: skip
        )
    if members is not None:  # only those still shared
        found = [row for row in found if row.candidate_id in aliases]
    return found


@dataclass
class CohortScores:
    """Every attempt of a cohort scored at once, and which row is whose first and latest."""

    rows: list[_Row]
    batch: BatchScores
    candidate_ids: list[int]  # ascending
    first: np.ndarray  # row index of each candidate's first finished attempt (else first)
    latest: np.ndarray  # row index of each candidate's latest (finished, if any) attempt
    attempt_counts: np.ndarray
    finished_counts: np.ndarray  # finished attempts per candidate: 2 or more is a re-assessment


@dataclass
class ScoredAttempt:
    """One of a candidate's attempts, scored on the answers the content can still take."""

    attempt: Any  # a storage attempt (attempt_id, role_id, started_at, finished_at)
    stored: AnswerMap  # as saved
    result: ScoreResult


def score_attempts(
    content: Content, attempts: Iterable[Any], load_answers: Callable[[int], AnswerMap]
) -> list[ScoredAttempt]:
    """Each attempt at a role the content still offers, oldest first."""
    scored = []
    for attempt in attempts:
        if attempt.role_id in content.roles:
            stored = load_answers(attempt.attempt_id)
            fitting, _ = answers_that_fit(content.catalog, stored)
            scored.append(ScoredAttempt(attempt, stored, score_one(content, attempt.role_id, fitting)))  # fmt: skip
    return scored


def shown_attempt(scored: Sequence[ScoredAttempt]) -> ScoredAttempt:
    """The attempt a counselor is shown, as in the cohort table: the latest finished one, or
    the latest when none is finished (a re-assessment in progress does not hide a result)."""
    finished = [s for s in scored if s.attempt.finished_at is not None]
    return (finished or list(scored))[-1]


def score_cohort(
    content: Content, role_id: str, rows: Iterable[Any], members: Sequence[Member] | None = None
) -> CohortScores:
    """Score all rows against the role in one vectorised call and index each candidate's
    first and latest attempt. The latest is the newest finished attempt, or the newest one
    when none is finished (a re-assessment in progress does not hide the finished one); the
    first is the oldest finished one, or the oldest."""
    found = _rows(rows, members)
    batch = score_answer_maps(content, role_id, [row.answer_map for row in found])
    count = len(found)
    candidate = np.fromiter((row.candidate_id for row in found), dtype=np.int64, count=count)
    attempt = np.fromiter((row.attempt_id for row in found), dtype=np.int64, count=count)
    finished = np.fromiter((row.finished_at is not None for row in found), dtype=bool, count=count)
    # Sort by candidate, then attempt; each candidate is then one run of positions.
    order = np.lexsort((attempt, candidate))
    sorted_candidates = candidate[order]
    starts = np.flatnonzero(np.r_[True, sorted_candidates[1:] != sorted_candidates[:-1]])
    if count == 0:
        starts = np.zeros(0, dtype=np.int64)
    ends = np.r_[starts[1:], count].astype(np.int64)
    finished_in_order = finished[order]
    positions = np.where(finished_in_order, np.arange(count), -1)
    last_finished = np.maximum.reduceat(positions, starts) if count else np.zeros(0, dtype=np.int64)
    latest = order[np.where(last_finished >= 0, last_finished, ends - 1)]
    positions = np.where(finished_in_order, np.arange(count), count)
    first_finished = (
        np.minimum.reduceat(positions, starts) if count else np.zeros(0, dtype=np.int64)
    )
    first = order[np.where(first_finished < ends, first_finished, starts)]
    finished_counts = (
        np.add.reduceat(finished_in_order.astype(np.int64), starts)
        if count
        else np.zeros(0, dtype=np.int64)
    )
    return CohortScores(
        found,
        batch,
        sorted_candidates[starts].tolist(),
        first,
        latest,
        ends - starts,
        finished_counts,
    )


def cohort_table(
    content: Content,
    role_id: str,
    rows: Iterable[Any],
    members: Sequence[Member] | None = None,
    *,
    scores: CohortScores | None = None,
) -> pd.DataFrame:
    """One row per candidate (their latest attempt), best readiness first.

    Columns: candidate_id, Alias, Date, Status, Attempts, Readiness, Band, Top gaps (the
    three competency titles the plan puts first), Must-haves not met (titles), then one
    "Gap: <competency title>" column per competency (rounded to 2 decimals). The index is
    the attempt id shown. `members` (from `Store.cohort_members`) supplies current aliases.
    """
    scores = scores or score_cohort(content, role_id, rows, members)
    role = content.roles[role_id]
    batch, latest = scores.batch, scores.latest
    competency_titles = np.array(list(role.competency_titles().values()), dtype=object)
    requirement_titles = np.array(list(role.requirement_titles().values()), dtype=object)

    gaps = batch.gaps[latest] if len(latest) else np.zeros((0, len(role.competencies)))
    gaps_rounded = round_half_up(gaps, 2)
    # The plan's order: importance × unrounded gap, largest first, ties in file order.
    priority = np.where(gaps_rounded >= 0.01, plan_priority(batch.importances, gaps), -np.inf)
    order = np.argsort(-priority, axis=1, kind="stable")[:, :TOP_GAPS]
    shown = np.take_along_axis(priority, order, axis=1) > -np.inf
    top = _joined_titles(np.where(shown, order, -1), competency_titles)
    if len(latest):
        unmet = batch.requirement_status[latest] == UNMET
    else:
        unmet = np.zeros((0, len(role.requirements)), dtype=bool)
    positions = np.arange(len(role.requirements))
    unmet_text = _joined_titles(np.where(unmet, positions, -1), requirement_titles)
    band_labels = np.array([band.label for band in role.bands], dtype=object)

    picked = [scores.rows[i] for i in latest]
    table = pd.DataFrame(
        {
            CANDIDATE_ID: pd.array([r.candidate_id for r in picked], dtype="int64"),
            ALIAS: pd.array([r.alias for r in picked], dtype="str"),
            DATE: pd.to_datetime([r.finished_at or r.started_at for r in picked], utc=True),
            STATUS: pd.array(
                [FINISHED if r.finished_at else IN_PROGRESS for r in picked], dtype="str"
            ),
            ATTEMPTS: scores.attempt_counts.astype("int64"),
            READINESS: batch.readiness[latest].astype("int64"),
            BAND: pd.array(list(band_labels[batch.band_index[latest]]), dtype="str"),
            TOP_GAPS_COLUMN: pd.array(top, dtype="str"),
            UNMET_COLUMN: pd.array(unmet_text, dtype="str"),
        },
        index=pd.Index([r.attempt_id for r in picked], name="attempt_id", dtype="int64"),
    )
    for position, title in enumerate(competency_titles):
        table[gap_column(title)] = gaps_rounded[:, position].astype(float)
    return table.sort_values(
        [READINESS, ALIAS], ascending=[False, True], kind="stable", key=_sort_key
    )


def filter_table(
    table: pd.DataFrame,
    *,
    bands: Sequence[str] = (),
    missing: str | None = None,
    below: str | None = None,
) -> pd.DataFrame:
    """The rows of `cohort_table` in one of `bands` (any, if none), lacking the must-have
    titled `missing`, and below target in the competency titled `below` (titles as shown)."""
    shown = table
    if bands:
        shown = shown[shown[BAND].isin(list(bands))]
    if missing is not None:
        # A whole title of the list: "Licence" is not missed by who lacks "Licence renewal".
        lacking = shown[UNMET_COLUMN].map(lambda titles: missing in titles.split(LIST_SEPARATOR))
        shown = shown[lacking.astype(bool)]
    if below is not None:
        shown = shown[shown[gap_column(below)] > 0]
    return shown


def _joined_titles(indexes: np.ndarray, titles: np.ndarray) -> list[str]:
    """Per row, the titles at the row's indexes (-1: none) joined; each distinct row once."""
    if indexes.shape[1] == 0:
        return [""] * len(indexes)
    if len(indexes) == 0:
        return []
    distinct, inverse = np.unique(indexes, axis=0, return_inverse=True)
    labels = np.array(
        [LIST_SEPARATOR.join(titles[i] for i in row if i >= 0) for row in distinct], dtype=object
    )
    return labels[inverse.ravel()].tolist()


def _sort_key(column: pd.Series) -> pd.Series:
    return column.astype("str").str.lower() if column.name == ALIAS else column


@dataclass
class CohortSummary:
    """The cohort at a glance (latest attempt of each candidate unless said otherwise).

    - `readiness`: readiness per candidate (index: candidate id), the histogram's input.
    - `bands`: `band`, `at_least`, `candidates`, highest band first.
    - `mean_gaps`: `competency_id`, `competency` (title), `target`, `mean_level`, `mean_gap`,
      `below_target` (candidates with a gap).
    - `missing`: `requirement_id`, `requirement` (title), `unmet`, `unknown`, `candidates`.
    - `changes`: for candidates with two or more attempts, the mean level per competency at
      their first (`before`) and latest (`after`) attempt: `competency_id`, `competency`,
      `before`, `after`, `change`, `candidates`; empty when nobody re-assessed.
    - `candidate_changes`: per candidate with two or more attempts: `candidate_id`, `alias`,
      `first_attempt_id`, `latest_attempt_id`, `first_readiness`, `latest_readiness`,
      `change`, `first_band`, `latest_band`.
    """

    size: int
    readiness: pd.Series
    bands: pd.DataFrame
    mean_gaps: pd.DataFrame
    missing: pd.DataFrame
    changes: pd.DataFrame
    candidate_changes: pd.DataFrame

    @property
    def mean_readiness(self) -> float:
        return float(self.readiness.mean()) if self.size else math.nan


def cohort_summary(
    content: Content,
    role_id: str,
    rows: Iterable[Any],
    members: Sequence[Member] | None = None,
    *,
    scores: CohortScores | None = None,
) -> CohortSummary:
    """Readiness distribution, mean gap per competency, how many miss each must-have, and the
    change between first and latest attempt, from one vectorised scoring of every attempt."""
    scores = scores or score_cohort(content, role_id, rows, members)
    role = content.roles[role_id]
    batch, first, latest = scores.batch, scores.first, scores.latest
    size = len(latest)
    competency_ids = [c.id for c in role.competencies]
    competency_titles = list(role.competency_titles().values())

    readiness = pd.Series(
        batch.readiness[latest].astype("int64"),
        index=pd.Index(scores.candidate_ids, name="candidate_id", dtype="int64"),
        name="readiness",
    )
    band_counts = np.bincount(batch.band_index[latest], minlength=len(role.bands))
    bands = pd.DataFrame(
        {
            "band": [b.label for b in role.bands],
            "at_least": [b.at_least for b in role.bands],
            "candidates": band_counts.astype("int64"),
        }
    )

    levels = batch.levels[latest]
    gaps = batch.gaps[latest]
    mean_gaps = pd.DataFrame(
        {
            "competency_id": competency_ids,
            "competency": competency_titles,
            "target": batch.targets,
            "mean_level": levels.mean(axis=0) if size else np.zeros(len(competency_ids)),
            "mean_gap": gaps.mean(axis=0) if size else np.zeros(len(competency_ids)),
            "below_target": (round_half_up(gaps, 2) >= 0.01).sum(axis=0).astype("int64"),
        }
    )

    status = batch.requirement_status[latest]
    missing = pd.DataFrame(
        {
            "requirement_id": [r.id for r in role.requirements],
            "requirement": list(role.requirement_titles().values()),
            "unmet": (status == UNMET).sum(axis=0).astype("int64"),
            "unknown": (status == UNKNOWN).sum(axis=0).astype("int64"),
            "candidates": size,
        }
    )

    # A change needs two results: an attempt in progress is not one yet.
    again = scores.finished_counts > 1
    first_again, latest_again = first[again], latest[again]
    if first_again.size:
        before = batch.levels[first_again].mean(axis=0)
        after = batch.levels[latest_again].mean(axis=0)
        changes = pd.DataFrame(
            {
                "competency_id": competency_ids,
                "competency": competency_titles,
                "before": before,
                "after": after,
                "change": after - before,
                "candidates": int(first_again.size),
            }
        )
    else:
        changes = pd.DataFrame(
            columns=["competency_id", "competency", "before", "after", "change", "candidates"]
        )

    band_labels = np.array([b.label for b in role.bands], dtype=object)
    first_readiness = batch.readiness[first_again].astype("int64")
    latest_readiness = batch.readiness[latest_again].astype("int64")
    candidate_changes = pd.DataFrame(
        {
            "candidate_id": np.array(scores.candidate_ids, dtype="int64")[again],
            "alias": [scores.rows[i].alias for i in latest_again],
            "first_attempt_id": [scores.rows[i].attempt_id for i in first_again],
            "latest_attempt_id": [scores.rows[i].attempt_id for i in latest_again],
            "first_readiness": first_readiness,
            "latest_readiness": latest_readiness,
            "change": latest_readiness - first_readiness,
            "first_band": band_labels[batch.band_index[first_again]],
            "latest_band": band_labels[batch.band_index[latest_again]],
        }
    )
    return CohortSummary(size, readiness, bands, mean_gaps, missing, changes, candidate_changes)


# CSV export ----------------------------------------------------------------------------------


def neutralise_cell(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def export_table(table: pd.DataFrame, role_title: str) -> pd.DataFrame:
    """`cohort_table` as exported: without the internal candidate id, and with the role its
    readiness, band and gaps were scored against on every row, after the alias. The page
    shows that role in a picker; a file kept or shared later has only its own columns."""
    exported = table.drop(columns=[CANDIDATE_ID])
    exported.insert(1, ROLE_COLUMN, pd.array([role_title] * len(exported), dtype="str"))
    return exported


def cohort_csv(df: pd.DataFrame) -> bytes:
    """The table as CSV for Excel and other spreadsheets: UTF-8 with a byte-order mark, dates
    as ISO 8601, and text cells that start like a formula (= + - @ tab CR) neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise_cell(str(column)) for column in df.columns])
    columns = [_csv_values(df[column]) for column in df.columns]
    for values in zip(*columns, strict=True):
        writer.writerow(values)
    return buffer.getvalue().encode("utf-8-sig")


def _csv_values(column: pd.Series) -> list[Any]:
    values = []
    for value in column.tolist():
        if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
            values.append("")
        elif isinstance(value, (pd.Timestamp, datetime)):
            values.append(value.isoformat())
        elif isinstance(value, (list, tuple)):
            values.append(neutralise_cell(LIST_SEPARATOR.join(map(str, value))))
        elif isinstance(value, bool):
            values.append("yes" if value else "no")
        else:
            values.append(neutralise_cell(value))
    return values
