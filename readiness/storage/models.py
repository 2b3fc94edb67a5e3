"""What the store hands out: plain, immutable records (no database objects leak out)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from readiness.accounts import User
from readiness.messages import counted

__all__ = [
    "AnswerTimes",
    "AttemptInfo",
    "CandidateView",
    "Cohort",
    "CohortAnswerSet",
    "ContentChange",
    "Member",
    "Note",
    "NotAllowed",
    "Session",
    "ShareInfo",
    "TooManyAttempts",
    "CandidateGone",
    "User",
]


class TooManyAttempts(Exception):
    """Too many failed attempts: refuse until `retry_after` seconds have passed."""

    def __init__(self, retry_after_seconds: float):
        self.retry_after = max(1, math.ceil(retry_after_seconds))
        super().__init__(f"too many failed attempts; try again in {self.wait}")

    @property
    def wait(self) -> str:
        """The wait in whole minutes, rounded up, as told to a reader: 600 seconds is
        "10 minutes", 601 is "11 minutes", 30 is "1 minute"."""
        minutes = math.ceil(self.retry_after / 60)
        return counted(minutes, "minute")


class CandidateGone(LookupError):
    """The candidate's data was deleted (by their own choice, perhaps on another device)."""


class NotAllowed(PermissionError):
    """A staff member asked for something about a candidate not shared with them."""


@dataclass
class Session:
    """Where a candidate is: their attempt, the code to come back with, and their position.

    Mutable, so a page can keep its copy in step (`session.step = ...`) after saving."""

    candidate_id: int
    attempt_id: int
    resume_code: str
    role_id: str
    step: int
    alias: str | None


@dataclass(frozen=True)
class AttemptInfo:
    attempt_id: int
    role_id: str
    started_at: datetime
    finished_at: datetime | None
    step: int

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    @property
    def taken_on(self) -> date:
        """The day a report of this attempt is dated: when it was finished, or begun if it is
        still in progress (as the review table dates it), never the day of the download."""
        return (self.finished_at or self.started_at).date()


class AnswerTimes(NamedTuple):
    """When the candidate gave the first and the last answer of an attempt, and how many they
    gave (copied answers of a re-assessment do not count until changed); times are None when
    nothing was answered yet."""

    first: datetime | None
    last: datetime | None
    given: int = 0


@dataclass(frozen=True)
class Cohort:
    id: int
    name: str
    code: str  # the share code candidates type, as `XXXXX-XXXXX`
    owner_id: int
    created_at: datetime


@dataclass(frozen=True)
class ShareInfo:
    cohort_id: int
    cohort_name: str
    shared_at: datetime
    alias: str = ""
    owner_name: str = ""


@dataclass(frozen=True)
class Member:
    """A candidate who shared with a cohort, with every attempt (oldest first)."""

    candidate_id: int
    alias: str
    shared_at: datetime
    latest_attempt_id: int | None
    attempts: list[AttemptInfo] = field(default_factory=list)


@dataclass(frozen=True)
class CohortAnswerSet:
    """One attempt of a shared candidate, for the cohort computations.

    Unpacks as the 4-tuple `(candidate_id, attempt_id, finished_at, answer_map)`; the other
    fields are there for the cohort table (the alias) and for dates.
    """

    candidate_id: int
    attempt_id: int
    finished_at: datetime | None
    answer_map: dict[str, dict[str, Any]]
    alias: str = ""
    role_id: str = ""
    started_at: datetime | None = None

    def _as_tuple(self) -> tuple:
        return (self.candidate_id, self.attempt_id, self.finished_at, self.answer_map)

    def __iter__(self) -> Iterator:
        return iter(self._as_tuple())

    def __len__(self) -> int:
        return 4

    def __getitem__(self, index: int) -> Any:
        return self._as_tuple()[index]


@dataclass(frozen=True)
class CandidateView:
    """What a staff member may see of a candidate shared with one of their cohorts."""

    candidate_id: int
    alias: str
    cohorts: list[ShareInfo]
    attempts: list[AttemptInfo]
    # attempt id -> answers/1 dict, for every attempt
    answer_sets: dict[int, dict[str, Any]]

    @property
    def latest_attempt_id(self) -> int | None:
        return self.attempts[-1].attempt_id if self.attempts else None

    @property
    def shared_at(self) -> datetime:
        """When the candidate first shared with one of the viewer's cohorts."""
        return self.cohorts[0].shared_at


@dataclass(frozen=True)
class Note:
    id: int
    author_email: str
    created_at: datetime
    text: str
    author_name: str | None = None


@dataclass(frozen=True)
class ContentChange:
    id: int
    user_email: str | None
    created_at: datetime
    path: str
    kind: str
    item_id: str
    version: str | None
    action: str
    text: str | None
    user_id: int | None = None
