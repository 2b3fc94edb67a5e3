"""The app's database: candidates and their answers, staff accounts, cohorts, notes and the
content history. `Store` is the one way in; see `readiness.storage.store`."""

from readiness.accounts import AccountError, User
from readiness.storage.engine import DATABASE_URL_VARIABLE, create_engine, database_url
from readiness.storage.models import (
    AnswerTimes,
    AttemptInfo,
    CandidateGone,
    CandidateView,
    Cohort,
    CohortAnswerSet,
    ContentChange,
    Member,
    NotAllowed,
    Note,
    Session,
    ShareInfo,
    TooManyAttempts,
)
from readiness.storage.store import Limit, Store

__all__ = [
    "DATABASE_URL_VARIABLE",
    "AccountError",
    "AnswerTimes",
    "AttemptInfo",
    "CandidateGone",
    "CandidateView",
    "Cohort",
    "CohortAnswerSet",
    "ContentChange",
    "Limit",
    "Member",
    "NotAllowed",
    "Note",
    "Session",
    "ShareInfo",
    "Store",
    "TooManyAttempts",
    "User",
    "create_engine",
    "database_url",
]
