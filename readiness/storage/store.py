"""`Store`: everything the app keeps, behind methods that say what they do in domain terms.

One `Store` per process (the app keeps it in `st.cache_resource`); it is thread-safe because
it holds nothing but the engine, and each method runs in its own short transaction. Writes on
SQLite take the write lock at BEGIN (see `engine.create_engine`), so concurrent writers wait
their turn instead of failing.

Staff methods take the staff member's id first and only ever see candidates shared with one
of that member's own cohorts: the ownership test is part of every staff query, not a check
a page has to remember.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from readiness import accounts, resume_codes
from readiness.accounts import AccountError, User
from readiness.memory import collector_paused
from readiness.schema import ANSWERS_FORMAT
from readiness.storage import tables as t
from readiness.storage.engine import WRITE, create_engine, database_url, migrate
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

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Limit:
    """Refuse for `lockout` seconds once `failures` failures fall within `window` seconds."""

    failures: int
    window: float
    lockout: float


# After this long, failure records no longer matter to any limit and are pruned.
RATE_EVENT_RETENTION = timedelta(hours=2)
RESUME, RESUME_ALL, LOGIN, LOGIN_CLIENT = "resume", "resume-all", "login", "login-client"
RATE_LIMIT_LOCK_KEY = 0x52415445  # "RATE": pg_advisory_xact_lock key of rate-limit checks
DEFAULT_ALIAS = "Anonymous candidate"


class Store:
    """The app's database. `Store(url)` connects and migrates the schema to the newest revision."""

    # Class attributes, so a deployment (or a test) can tune them.
    resume_limit = Limit(failures=5, window=600, lockout=600)  # per client
    # All clients together: a backstop against guessing from very many addresses. High, as
    # it locks out every candidate while it holds (a few hundred addresses must not suffice),
    # and 66-bit codes leave such guessing hopeless long before it.
    resume_global_limit = Limit(failures=10_000, window=600, lockout=600)
    login_limit = Limit(failures=5, window=900, lockout=900)  # per e-mail address
    login_client_limit = Limit(failures=30, window=900, lockout=900)  # per client

    def __init__(self, url: str | None = None, *, clock: Clock = utc_now, migrate: bool = True):
        self.url = url or database_url()
        self.engine = create_engine(self.url)
        self._writer = self.engine.execution_options(**WRITE)
        self.clock = clock
        if migrate:
            self.migrate()

    # Housekeeping ------------------------------------------------------------------------------

    def migrate(self) -> None:
        """Run the Alembic migrations to head (under a lock; concurrent starts are safe)."""
        migrate(self.engine)

    def dispose(self) -> None:
        """Close the pooled connections (before a database server stops, or at exit)."""
        self.engine.dispose()

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def _now(self) -> datetime:
        now = self.clock()
        return now if now.tzinfo else now.replace(tzinfo=UTC)

    def _upsert(
        self,
        table: sa.Table,
        keys: Sequence[str],
        update: Sequence[str],
        extra: Callable | None = None,
    ):
        """INSERT ... ON CONFLICT (keys) DO UPDATE the `update` columns (both backends have it);
        `extra(excluded)` may add more assignments."""
        insert = postgresql.insert if self.backend == "postgresql" else sqlite.insert
        statement = insert(table)
        assignments = {name: statement.excluded[name] for name in update}
        if extra is not None:
            assignments |= extra(statement.excluded)
        return statement.on_conflict_do_update(index_elements=list(keys), set_=assignments)

    # Candidates and attempts -------------------------------------------------------------------

    def start_candidate(self, role_id: str, alias: str | None = None) -> Session:
        """A new candidate with a fresh resume code and a first, empty attempt."""
        now = self._now()
        alias = _clean_alias(alias)
        with self._writer.begin() as connection:
            candidate_id, code = self._insert_candidate(connection, alias, now)
            attempt_id = self._insert_attempt(connection, candidate_id, role_id, now)
        return Session(candidate_id, attempt_id, code, role_id, 0, alias)

    def _insert_candidate(
        self, connection: sa.Connection, alias: str | None, now: datetime
    ) -> tuple[int, str]:
        for _ in range(5):
            code = resume_codes.new_code()
            code_digest = resume_codes.digest(code)
            taken = connection.execute(
                sa.select(t.candidates.c.id).where(t.candidates.c.resume_code_digest == code_digest)
            ).first()
            if taken is None:
                break
        else:  # 66 bits: five collisions in a row do not happen
            raise RuntimeError("could not draw an unused resume code")
        result = connection.execute(
            t.candidates.insert().values(
                resume_code_digest=code_digest, alias=alias, created_at=now
            )
        )
        return result.inserted_primary_key[0], code

    def _insert_attempt(
        self, connection: sa.Connection, candidate_id: int, role_id: str, now: datetime
    ) -> int:
        result = connection.execute(
            t.attempts.insert().values(
                candidate_id=candidate_id, role_id=role_id, step=0, started_at=now
            )
        )
        return result.inserted_primary_key[0]

    def resume(self, code: str, client: str = "") -> Session | None:
        """The session of the candidate's latest attempt, or None for an unknown code.

        Raises TooManyAttempts after too many unknown codes from `client` (or from everyone).
        """
        now = self._now()
        client_key = _rate_key(RESUME, client)
        attempt = self._count_attempt(
            now,
            [
                (RESUME, client_key, self.resume_limit),
                (RESUME_ALL, "*", self.resume_global_limit),
            ],
        )
        normalised = resume_codes.normalise(code)
        session = None
        if normalised is not None:
            with self.engine.connect() as connection:
                session = self._latest_session(connection, normalised)
        if session is not None:
            with self._writer.begin() as connection:
                self._forgive(connection, attempt)
        return session

    @staticmethod
    def _latest_session(connection: sa.Connection, code: str) -> Session | None:
        """The session of the latest attempt of the candidate whose normalised code is `code`."""
        c, a = t.candidates, t.attempts
        row = connection.execute(
            sa.select(c.c.id, c.c.alias, a.c.id, a.c.role_id, a.c.step)
            .join(a, a.c.candidate_id == c.c.id)
            .where(c.c.resume_code_digest == resume_codes.digest(code))
            .order_by(a.c.id.desc())
            .limit(1)
        ).first()
        if row is None:
            return None
        candidate_id, alias, attempt_id, role_id, step = row
        return Session(candidate_id, attempt_id, code, role_id, step, alias)

    @staticmethod
    def _candidate_alias(connection: sa.Connection, candidate_id: int) -> str | None:
        """The candidate's alias; CandidateGone if there is no such candidate (any more)."""
        candidate = connection.execute(
            sa.select(t.candidates.c.alias).where(t.candidates.c.id == candidate_id)
        ).first()
        if candidate is None:
            raise CandidateGone(f"there is no candidate {candidate_id}")
        return candidate[0]

    def new_attempt(self, session: Session, role_id: str) -> Session:
        """A re-assessment under the session's code, starting from a copy of the candidate's
        latest answers."""
        now = self._now()
        candidate_id = session.candidate_id
        with self._writer.begin() as connection:
            alias = self._candidate_alias(connection, candidate_id)
            previous = connection.execute(
                sa.select(sa.func.max(t.attempts.c.id)).where(
                    t.attempts.c.candidate_id == candidate_id
                )
            ).scalar()
            attempt_id = self._insert_attempt(connection, candidate_id, role_id, now)
            if previous is not None:
                self._copy_answers(connection, previous, attempt_id, now)
        return Session(candidate_id, attempt_id, session.resume_code, role_id, 0, alias)

    def _copy_answers(
        self, connection: sa.Connection, source: int, target: int, now: datetime
    ) -> None:
        aq, ans = t.attempt_questionnaires, t.answers
        connection.execute(
            aq.insert().from_select(
                ["attempt_id", "questionnaire_id", "version"],
                sa.select(sa.literal(target), aq.c.questionnaire_id, aq.c.version).where(
                    aq.c.attempt_id == source
                ),
            )
        )
        stamp = sa.literal(now, t.UTCDateTime)
        connection.execute(
            ans.insert().from_select(
                [
                    "attempt_id",
                    "questionnaire_id",
                    "question_id",
                    "value",
                    "created_at",
                    "updated_at",
                    "carried_over",
                ],  # fmt: skip
                sa.select(
                    sa.literal(target),
                    ans.c.questionnaire_id,
                    ans.c.question_id,
                    ans.c.value,
                    stamp,
                    stamp,
                    sa.true(),
                ).where(ans.c.attempt_id == source),
            )
        )

    def save_answer(
        self, attempt_id: int, questionnaire_id: str, version: str, question_id: str, value: Any
    ) -> None:
        """Save one answer (replacing any earlier one); a value of None deletes the answer."""
        self.save_answers(
            attempt_id,
            {questionnaire_id: {"version": version, "answers": {question_id: value}}},
        )

    def save_answers(self, attempt_id: int, answer_map_with_versions: Mapping[str, Any]) -> None:
        """Save many answers in one transaction.

        Takes `{questionnaire_id: {"version": ..., "answers": {question_id: value}}}` (the
        `questionnaires` part of an answers/1 dict, or the whole dict). Answers not named are
        kept; a value of None deletes the answer.
        """
        versions, upserts, deletes = self._answer_rows(attempt_id, answer_map_with_versions)
        if not versions:
            return
        try:
            with self._writer.begin() as connection:
                self._write_answers(connection, versions, upserts, deletes)
        except sa.exc.IntegrityError:
            if not self.attempt_exists(attempt_id):
                raise CandidateGone(f"there is no attempt {attempt_id}") from None
            raise

    def attempt_exists(self, attempt_id: int) -> bool:
        """False once the attempt is deleted (its candidate deleted everything)."""
        with self.engine.connect() as connection:
            found = connection.execute(
                sa.select(t.attempts.c.id).where(t.attempts.c.id == attempt_id)
            ).first()
        return found is not None

    def session_exists(self, session: Session) -> bool:
        """False once the session's candidate is deleted: its attempt must still be theirs and
        their code still the session's."""
        with self.engine.connect() as connection:
            found = connection.execute(
                sa.select(t.attempts.c.id)
                .join(t.candidates, t.candidates.c.id == t.attempts.c.candidate_id)
                .where(
                    t.attempts.c.id == session.attempt_id,
                    t.candidates.c.id == session.candidate_id,
                    t.candidates.c.resume_code_digest == resume_codes.digest(session.resume_code),
                )
            ).first()
        return found is not None

    def _answer_rows(
        self,
        attempt_id: int,
        answer_map_with_versions: Mapping[str, Any],
        *,
        carried_over: bool = False,
    ) -> tuple[list, list, list]:
        """The rows `save_answers` writes: versions, answers to upsert, answers to delete;
        `carried_over` marks answers not given in this attempt (see `answer_timestamps`)."""
        if isinstance(answer_map_with_versions.get("format"), str):  # a whole answers/1 dict
            questionnaires = answer_map_with_versions.get("questionnaires") or {}
        else:
            questionnaires = answer_map_with_versions
        now = self._now()
        versions, upserts, deletes = [], [], []
        for questionnaire_id, entry in questionnaires.items():
            versions.append(
                {
                    "attempt_id": attempt_id,
                    "questionnaire_id": questionnaire_id,
                    "version": str(entry.get("version") or ""),
                }  # fmt: skip
            )
            for question_id, value in (entry.get("answers") or {}).items():
                key = {"attempt_id": attempt_id, "questionnaire_id": questionnaire_id,
                       "question_id": question_id}  # fmt: skip
                if value is None:
                    deletes.append(key)
                else:
                    upserts.append(
                        key
                        | {
                            "value": _encode(value),
                            "created_at": now,
                            "updated_at": now,
                            "carried_over": carried_over,
                        }  # fmt: skip
                    )
        return versions, upserts, deletes

    def _write_answers(
        self, connection: sa.Connection, versions: list, upserts: list, deletes: list
    ) -> None:
        if not versions:
            return
        connection.execute(
            self._upsert(t.attempt_questionnaires, ["attempt_id", "questionnaire_id"], ["version"]),
            versions,
        )
        if upserts:
            connection.execute(
                self._upsert(
                    t.answers,
                    ["attempt_id", "questionnaire_id", "question_id"],
                    ["value", "updated_at", "carried_over"],
                    # A copied answer changed now is first answered now.
                    lambda excluded: {
                        "created_at": sa.case(
                            (t.answers.c.carried_over, excluded.created_at),
                            else_=t.answers.c.created_at,
                        )
                    },
                ),
                upserts,
            )
        if deletes:
            ans = t.answers
            connection.execute(
                ans.delete().where(
                    ans.c.attempt_id == sa.bindparam("b_attempt"),
                    ans.c.questionnaire_id == sa.bindparam("b_questionnaire"),
                    ans.c.question_id == sa.bindparam("b_question"),
                ),
                [
                    {
                        "b_attempt": d["attempt_id"],
                        "b_questionnaire": d["questionnaire_id"],
                        "b_question": d["question_id"],
                    }  # fmt: skip
                    for d in deletes
                ],
            )

    def _update_attempt(self, attempt_id: int, **values: Any) -> None:
        with self._writer.begin() as connection:
            result = connection.execute(
                t.attempts.update().where(t.attempts.c.id == attempt_id).values(**values)
            )
            if result.rowcount == 0:
                raise CandidateGone(f"there is no attempt {attempt_id}")

    def save_step(self, attempt_id: int, step: int) -> None:
        """Remember where in the questionnaire the candidate is, to resume exactly there."""
        self._update_attempt(attempt_id, step=int(step))

    def set_role(self, attempt_id: int, role_id: str) -> None:
        self._update_attempt(attempt_id, role_id=role_id)

    def finish_attempt(self, attempt_id: int) -> None:
        """Mark the attempt finished now (again, if the candidate changed answers after)."""
        self._update_attempt(attempt_id, finished_at=self._now())

    def answer_timestamps(self, attempt_id: int) -> AnswerTimes:
        """First and last time the candidate answered in this attempt, and how many answers
        they gave in it (answers copied from the last attempt or restored from a file not
        counted)."""
        ans = t.answers
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(
                    sa.func.min(ans.c.created_at), sa.func.max(ans.c.updated_at), sa.func.count()
                ).where(ans.c.attempt_id == attempt_id, ans.c.carried_over == sa.false())
            ).one()
        # min()/max() lose the column type on some backends: make them aware UTC again.
        return AnswerTimes(_as_utc(row[0]), _as_utc(row[1]), int(row[2]))

    def load_answer_set(self, attempt_id: int) -> dict[str, Any]:
        """The attempt as an answers/1 dict: {format, role, questionnaires: {qid: {version,
        answers}}}. CandidateGone if there is no such attempt."""
        with self.engine.connect() as connection:
            role_id = connection.execute(
                sa.select(t.attempts.c.role_id).where(t.attempts.c.id == attempt_id)
            ).scalar()
            if role_id is None:
                raise CandidateGone(f"there is no attempt {attempt_id}")
            sets = self._answer_sets(connection, [attempt_id], {attempt_id: role_id})
        return sets[attempt_id]

    def _answer_sets(
        self, connection: sa.Connection, attempt_ids: Sequence[int], roles: Mapping[int, str]
    ) -> dict[int, dict[str, Any]]:
        aq, ans = t.attempt_questionnaires, t.answers
        sets: dict[int, dict[str, Any]] = {
            attempt_id: {"format": ANSWERS_FORMAT, "role": roles[attempt_id], "questionnaires": {}}
            for attempt_id in attempt_ids
        }
        if not attempt_ids:
            return sets
        versions = connection.execute(
            sa.select(aq.c.attempt_id, aq.c.questionnaire_id, aq.c.version)
            .where(aq.c.attempt_id.in_(attempt_ids))
            .order_by(aq.c.attempt_id, aq.c.questionnaire_id)
        )
        for attempt_id, questionnaire_id, version in versions:
            sets[attempt_id]["questionnaires"][questionnaire_id] = {
                "version": version,
                "answers": {},
            }
        rows = connection.execute(
            sa.select(ans.c.attempt_id, ans.c.questionnaire_id, ans.c.question_id, ans.c.value)
            .where(ans.c.attempt_id.in_(attempt_ids))
            .order_by(ans.c.attempt_id, ans.c.questionnaire_id, ans.c.question_id)
        )
        for attempt_id, questionnaire_id, question_id, value in rows:
            entry = sets[attempt_id]["questionnaires"].setdefault(
                questionnaire_id, {"version": "", "answers": {}}
            )
            entry["answers"][question_id] = json.loads(value)
        return sets

    def attempts(self, candidate_id: int) -> list[AttemptInfo]:
        """The candidate's attempts, oldest first."""
        with self.engine.connect() as connection:
            return self._attempts(connection, [candidate_id]).get(candidate_id, [])

    def _attempts(
        self, connection: sa.Connection, candidate_ids: Iterable[int]
    ) -> dict[int, list[AttemptInfo]]:
        a = t.attempts
        found: dict[int, list[AttemptInfo]] = {}
        rows = connection.execute(
            sa.select(
                a.c.candidate_id, a.c.id, a.c.role_id, a.c.started_at, a.c.finished_at, a.c.step
            )  # fmt: skip
            .where(a.c.candidate_id.in_(list(candidate_ids)))
            .order_by(a.c.candidate_id, a.c.id)
        )
        for candidate_id, *info in rows:
            found.setdefault(candidate_id, []).append(AttemptInfo(*info))
        return found

    def import_answer_set(self, session: Session | None, answers: Mapping[str, Any]) -> Session:
        """A new attempt holding an answers/1 dict the caller has validated: the session's
        candidate's, or with no session a new candidate's (with a new resume code)."""
        now = self._now()
        role_id = str(answers["role"])
        with self._writer.begin() as connection:
            if session is None:
                candidate_id, code = self._insert_candidate(connection, None, now)
                alias = None
            else:
                candidate_id, code = session.candidate_id, session.resume_code
                alias = self._candidate_alias(connection, candidate_id)
            attempt_id = self._insert_attempt(connection, candidate_id, role_id, now)
            # In the same transaction: answers that cannot be written leave no empty attempt.
            # Carried over, as a re-assessment's copy is: restored all at one moment, they
            # say nothing of how fast the candidate answers.
            rows = self._answer_rows(
                attempt_id, answers.get("questionnaires") or {}, carried_over=True
            )
            self._write_answers(connection, *rows)
        return Session(candidate_id, attempt_id, code, role_id, 0, alias)

    def delete_candidate(self, candidate_id: int) -> None:
        """Delete the candidate and everything about them: attempts, answers, shares, notes."""
        attempt_ids = sa.select(t.attempts.c.id).where(t.attempts.c.candidate_id == candidate_id)
        with self._writer.begin() as connection:
            # Explicit, child tables first: correct even where cascades are not enforced.
            connection.execute(t.notes.delete().where(t.notes.c.candidate_id == candidate_id))
            connection.execute(t.shares.delete().where(t.shares.c.candidate_id == candidate_id))
            connection.execute(t.answers.delete().where(t.answers.c.attempt_id.in_(attempt_ids)))
            connection.execute(
                t.attempt_questionnaires.delete().where(
                    t.attempt_questionnaires.c.attempt_id.in_(attempt_ids)
                )
            )
            connection.execute(t.attempts.delete().where(t.attempts.c.candidate_id == candidate_id))
            connection.execute(t.candidates.delete().where(t.candidates.c.id == candidate_id))
        if self.engine.dialect.name == "sqlite":
            # The write-ahead log still holds the rows as they were until it is copied into
            # the file and emptied. Best effort: a reader still busy may keep it a moment.
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    # Sharing with a cohort (the candidate's side) ---------------------------------------------

    def share(self, candidate_id: int, cohort_code: str, alias: str) -> Cohort | None:
        """Share the candidate's results with the cohort of `cohort_code` under `alias`
        (sharing again changes the alias, and the date, which `cohort_revision` watches).
        None if there is no such cohort."""
        code = resume_codes.normalise_cohort_code(cohort_code)
        if code is None:
            return None
        alias = _clean_alias(alias) or DEFAULT_ALIAS
        now = self._now()
        with self._writer.begin() as connection:
            row = connection.execute(
                sa.select(*_cohort_columns()).where(t.cohorts.c.code == code)
            ).first()
            if row is None:
                return None
            cohort = Cohort(*row)
            self._candidate_alias(connection, candidate_id)  # CandidateGone once deleted
            connection.execute(
                self._upsert(t.shares, ["candidate_id", "cohort_id"], ["alias", "shared_at"]),
                {
                    "candidate_id": candidate_id,
                    "cohort_id": cohort.id,
                    "alias": alias,
                    "shared_at": now,
                },  # fmt: skip
            )
        return cohort

    def unshare(self, candidate_id: int, cohort_id: int) -> None:
        """Stop sharing with the cohort: its owner no longer sees the candidate, and their notes
        on the candidate are deleted unless another of their cohorts still has the share (a
        later share starts afresh rather than bring them back)."""
        s, c = t.shares, t.cohorts
        with self._writer.begin() as connection:
            owner = connection.execute(
                sa.select(c.c.owner_id).where(c.c.id == cohort_id)
            ).scalar_one_or_none()
            connection.execute(
                s.delete().where(s.c.candidate_id == candidate_id, s.c.cohort_id == cohort_id)
            )
            still_shared = connection.execute(
                sa.select(s.c.cohort_id)
                .join(c, c.c.id == s.c.cohort_id)
                .where(s.c.candidate_id == candidate_id, c.c.owner_id == owner)
                .limit(1)
            ).first()
            if owner is not None and still_shared is None:
                connection.execute(
                    t.notes.delete().where(
                        t.notes.c.candidate_id == candidate_id, t.notes.c.author_id == owner
                    )
                )

    def shares_of(self, candidate_id: int) -> list[ShareInfo]:
        s, c, u = t.shares, t.cohorts, t.users
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(
                    c.c.id,
                    c.c.name,
                    s.c.shared_at,
                    s.c.alias,
                    sa.func.coalesce(u.c.name, u.c.email),
                )  # fmt: skip
                .join(c, c.c.id == s.c.cohort_id)
                .join(u, u.c.id == c.c.owner_id)
                .where(s.c.candidate_id == candidate_id)
                .order_by(s.c.shared_at, c.c.id)
            )
            return [ShareInfo(*row) for row in rows]

    # Accounts ---------------------------------------------------------------------------------

    def add_user(self, email: str, password: str, role: str, name: str | None = None) -> User:
        """Create a staff account; AccountError if the request is invalid or the e-mail taken."""
        email = accounts.check_new_account(email, password, role)
        name = (name or "").strip() or None
        password_hash = accounts.hash_password(password)
        try:
            with self._writer.begin() as connection:
                result = connection.execute(
                    t.users.insert().values(
                        email=email,
                        name=name,
                        role=role,
                        password_hash=password_hash,
                        created_at=self._now(),
                    )  # fmt: skip
                )
        except IntegrityError:
            raise AccountError(f"there is already an account for {email}") from None
        return User(
            result.inserted_primary_key[0], email, name, role, accounts.credential_of(password_hash)
        )

    def set_password(self, email: str, password: str) -> User:
        """Give an existing account a new password (an operator's reset) and lift any sign-in
        lockout of its address; AccountError if there is no such account or the password is
        too short or too long."""
        accounts.check_password(password)
        email = accounts.normalise_email(email)
        u = t.users
        with self._writer.begin() as connection:
            row = connection.execute(
                sa.select(u.c.id, u.c.email, u.c.name, u.c.role).where(u.c.email == email)
            ).first()
            if row is None:
                raise AccountError(f"there is no account for {email}")
            password_hash = accounts.hash_password(password)
            connection.execute(
                u.update().where(u.c.id == row.id).values(password_hash=password_hash)
            )
            connection.execute(
                t.rate_events.delete().where(
                    t.rate_events.c.kind == LOGIN,
                    t.rate_events.c.key == _rate_key(LOGIN, email),
                )
            )
        return User(*row, accounts.credential_of(password_hash))

    def authenticate(self, email: str, password: str, client: str = "") -> User | None:
        """The user if the password is right, else None.

        Raises TooManyAttempts while the address is locked (5 failures in 15 minutes lock
        it for 15 minutes) or the client has failed too often. Unknown addresses cost the
        same hashing time as known ones.
        """
        now = self._now()
        email = accounts.normalise_email(email)
        email_key, client_key = _rate_key(LOGIN, email), _rate_key(LOGIN_CLIENT, client)
        attempt = self._count_attempt(
            now,
            [
                (LOGIN, email_key, self.login_limit),
                (LOGIN_CLIENT, client_key, self.login_client_limit),
            ],  # fmt: skip
        )
        u = t.users
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(u.c.id, u.c.email, u.c.name, u.c.role, u.c.password_hash).where(
                    u.c.email == email
                )
            ).first()
        if not accounts.verify_password(row.password_hash if row else None, password):
            return None
        with self._writer.begin() as connection:
            self._forgive(connection, attempt)
            # A success ends the address's run of failures.
            connection.execute(
                t.rate_events.delete().where(
                    t.rate_events.c.kind == LOGIN, t.rate_events.c.key == email_key
                )
            )
            password_hash = row.password_hash
            if accounts.needs_rehash(password_hash):
                password_hash = accounts.hash_password(password)
                connection.execute(
                    u.update().where(u.c.id == row.id).values(password_hash=password_hash)
                )
        return User(row.id, row.email, row.name, row.role, accounts.credential_of(password_hash))

    def signed_in_still(self, user: User) -> User | None:
        """The signed-in `user` as stored now, or None once their account is removed or has a
        new password (a reset ends the sessions opened with the old one)."""
        u = t.users
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(u.c.id, u.c.email, u.c.name, u.c.role, u.c.password_hash).where(
                    u.c.id == user.id
                )
            ).first()
        if row is None or accounts.credential_of(row.password_hash) != user.credential:
            return None
        return User(row.id, row.email, row.name, row.role, user.credential)

    def get_user(self, user_id: int) -> User | None:
        u = t.users
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(u.c.id, u.c.email, u.c.name, u.c.role).where(u.c.id == user_id)
            ).first()
        return User(*row) if row else None

    def user_by_email(self, email: str) -> User | None:
        u = t.users
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(u.c.id, u.c.email, u.c.name, u.c.role).where(
                    u.c.email == accounts.normalise_email(email)
                )
            ).first()
        return User(*row) if row else None

    def users(self) -> list[User]:
        u = t.users
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(u.c.id, u.c.email, u.c.name, u.c.role).order_by(u.c.id)
            )
            return [User(*row) for row in rows]

    # Rate limits ------------------------------------------------------------------------------

    def _check_limits(
        self,
        connection: sa.Connection,
        now: datetime,
        limits: Sequence[tuple[str, str, Limit]],
    ) -> None:
        blocked_until = now
        for kind, key, limit in limits:
            since = now - timedelta(seconds=limit.window + limit.lockout)
            times = list(
                connection.execute(
                    sa.select(t.rate_events.c.at)
                    .where(
                        t.rate_events.c.kind == kind,
                        t.rate_events.c.key == key,
                        t.rate_events.c.at > since,
                    )
                    .order_by(t.rate_events.c.at)
                ).scalars()
            )
            window, lockout = timedelta(seconds=limit.window), timedelta(seconds=limit.lockout)
            n = limit.failures
            for i in range(n - 1, len(times)):
                if times[i] - times[i - n + 1] <= window:
                    blocked_until = max(blocked_until, times[i] + lockout)
        if blocked_until > now:
            raise TooManyAttempts((blocked_until - now).total_seconds())

    def _count_attempt(self, now: datetime, limits: Sequence[tuple[str, str, Limit]]) -> list[int]:
        """Check the limits and count this attempt as a failure, in one step: the ids of its
        records, for `_forgive` once it succeeds.

        One step, so that attempts sent at the same moment cannot all pass the check before
        any of them is recorded (a writer transaction on SQLite, an advisory lock on
        PostgreSQL).
        """
        with self._writer.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": RATE_LIMIT_LOCK_KEY}
                )
            self._check_limits(connection, now, limits)
            ids = [
                connection.execute(
                    t.rate_events.insert().values(kind=kind, key=key, at=now)
                ).inserted_primary_key[0]
                for kind, key, _ in limits
            ]
            connection.execute(
                t.rate_events.delete().where(
                    t.rate_events.c.kind.in_([kind for kind, _, _ in limits]),
                    t.rate_events.c.at < now - RATE_EVENT_RETENTION,
                )
            )
        return ids

    @staticmethod
    def _forgive(connection: sa.Connection, attempt: list[int]) -> None:
        """Take back an attempt `_count_attempt` counted as a failure: it succeeded."""
        connection.execute(t.rate_events.delete().where(t.rate_events.c.id.in_(attempt)))

    # Cohorts and review (staff) ---------------------------------------------------------------

    def create_cohort(self, owner_id: int, name: str) -> Cohort:
        name = " ".join(name.split())
        if not name:
            raise ValueError("a cohort needs a name")
        now = self._now()
        for _ in range(5):
            code = resume_codes.new_cohort_code()
            try:
                with self._writer.begin() as connection:
                    result = connection.execute(
                        t.cohorts.insert().values(
                            owner_id=owner_id, name=name, code=code, created_at=now
                        )
                    )
                return Cohort(result.inserted_primary_key[0], name, code, owner_id, now)
            except IntegrityError:
                if self.get_user(owner_id) is None:
                    raise LookupError(f"there is no user {owner_id}") from None
        raise RuntimeError("could not draw an unused cohort code")

    def cohorts_of(self, owner_id: int) -> list[Cohort]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(*_cohort_columns())
                .where(t.cohorts.c.owner_id == owner_id)
                .order_by(t.cohorts.c.created_at, t.cohorts.c.id)
            )
            return [Cohort(*row) for row in rows]

    def cohort(self, owner_id: int, cohort_id: int) -> Cohort | None:
        """The cohort, if `owner_id` owns it; None otherwise (also for another's cohort)."""
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(*_cohort_columns()).where(
                    t.cohorts.c.id == cohort_id, t.cohorts.c.owner_id == owner_id
                )
            ).first()
        return Cohort(*row) if row else None

    def cohort_members(self, owner_id: int, cohort_id: int) -> list[Member]:
        """Candidates who shared with the owner's cohort, by alias; [] for another's cohort."""
        s, c = t.shares, t.cohorts
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(s.c.candidate_id, s.c.alias, s.c.shared_at)
                .join(c, c.c.id == s.c.cohort_id)
                .where(c.c.id == cohort_id, c.c.owner_id == owner_id)
                .order_by(sa.func.lower(s.c.alias), s.c.candidate_id)
            ).all()
            attempts = self._attempts(connection, [row.candidate_id for row in rows])
        members = []
        for candidate_id, alias, shared_at in rows:
            history = attempts.get(candidate_id, [])
            latest = history[-1].attempt_id if history else None
            members.append(Member(candidate_id, alias, shared_at, latest, history))
        return members

    def cohort_answer_sets(self, owner_id: int, cohort_id: int) -> list[CohortAnswerSet]:
        """Every attempt of every candidate shared with the owner's cohort, with its answers;
        ordered by candidate, then attempt (oldest first).

        Two queries: the attempts (with their dates), then the bare answer rows, which carry
        no typed columns so that hundreds of thousands of them load at driver speed.
        """
        s, c, a, ans = t.shares, t.cohorts, t.attempts, t.answers
        shared_attempts = (
            sa.select(a.c.id)
            .join(s, s.c.candidate_id == a.c.candidate_id)
            .join(c, c.c.id == s.c.cohort_id)
            .where(c.c.id == cohort_id, c.c.owner_id == owner_id)
        )
        attempt_query = (
            sa.select(
                s.c.candidate_id, s.c.alias, a.c.id, a.c.role_id, a.c.started_at, a.c.finished_at
            )
            .select_from(s)
            .join(c, c.c.id == s.c.cohort_id)
            .join(a, a.c.candidate_id == s.c.candidate_id)
            .where(c.c.id == cohort_id, c.c.owner_id == owner_id)
            .order_by(s.c.candidate_id, a.c.id)
        )
        # The database gathers each questionnaire's answers into one JSON object, so Python
        # decodes one document per attempt and questionnaire instead of one per answer.
        if self.engine.dialect.name == "postgresql":
            gathered = sa.func.json_object_agg(
                ans.c.question_id, sa.cast(ans.c.value, postgresql.JSON)
            )
        else:
            gathered = sa.func.json_group_object(ans.c.question_id, sa.func.json(ans.c.value))
        answer_query = (
            sa.select(ans.c.attempt_id, ans.c.questionnaire_id, sa.cast(gathered, sa.Text))
            .where(ans.c.attempt_id.in_(shared_attempts))
            .group_by(ans.c.attempt_id, ans.c.questionnaire_id)
        )
        sets: list[CohortAnswerSet] = []
        maps: dict[int, dict[str, dict[str, Any]]] = {}
        with self.engine.connect() as connection:
            for (
                candidate_id,
                alias,
                attempt_id,
                role_id,
                started_at,
                finished_at,
            ) in connection.execute(attempt_query):
                answer_map: dict[str, dict[str, Any]] = {}
                maps[attempt_id] = answer_map
                sets.append(
                    CohortAnswerSet(
                        candidate_id,
                        attempt_id,
                        finished_at,
                        answer_map,
                        alias,
                        role_id,
                        started_at,
                    )
                )
            with collector_paused():  # one document per attempt and questionnaire, all kept
                for attempt_id, questionnaire_id, raw in connection.execute(answer_query):
                    answer_map = maps.get(attempt_id)
                    if answer_map is not None:  # None: an attempt added between the queries
                        answer_map[questionnaire_id] = json.loads(raw)
        return sets

    def cohort_revision(self, owner_id: int, cohort_id: int) -> str:
        """Changes whenever what `cohort_answer_sets` returns may have changed (a share, a
        withdrawal, a deletion, a new or changed answer, a finished attempt): a cache key."""
        s, c, a, ans = t.shares, t.cohorts, t.attempts, t.answers
        shared = (
            sa.select(s.c.candidate_id)
            .join(c, c.c.id == s.c.cohort_id)
            .where(c.c.id == cohort_id, c.c.owner_id == owner_id)
        )
        attempt_ids = sa.select(a.c.id).where(a.c.candidate_id.in_(shared))
        with self.engine.connect() as connection:
            shares_part = connection.execute(
                sa.select(
                    sa.func.count(), sa.func.max(s.c.shared_at), sa.func.sum(s.c.candidate_id)
                )
                .join(c, c.c.id == s.c.cohort_id)
                .where(c.c.id == cohort_id, c.c.owner_id == owner_id)
            ).one()
            attempts_part = connection.execute(
                sa.select(sa.func.count(), sa.func.max(a.c.finished_at), sa.func.max(a.c.id)).where(
                    a.c.id.in_(attempt_ids)
                )
            ).one()
            answers_part = connection.execute(
                sa.select(sa.func.count(), sa.func.max(ans.c.updated_at)).where(
                    ans.c.attempt_id.in_(attempt_ids)
                )
            ).one()
        return repr((tuple(shares_part), tuple(attempts_part), tuple(answers_part)))

    def _visible_to(self, owner_id: int, candidate_id: int):
        """SQL condition: the candidate is shared with one of the owner's cohorts."""
        s, c = t.shares, t.cohorts
        return sa.exists(
            sa.select(s.c.candidate_id)
            .join(c, c.c.id == s.c.cohort_id)
            .where(s.c.candidate_id == candidate_id, c.c.owner_id == owner_id)
        )

    def candidate_for_staff(self, owner_id: int, candidate_id: int) -> CandidateView | None:
        """What the owner may see of a candidate shared with one of their cohorts; else None."""
        s, c = t.shares, t.cohorts
        with self.engine.connect() as connection:
            shares = connection.execute(
                sa.select(c.c.id, c.c.name, s.c.shared_at, s.c.alias)
                .join(c, c.c.id == s.c.cohort_id)
                .where(s.c.candidate_id == candidate_id, c.c.owner_id == owner_id)
                .order_by(s.c.shared_at, c.c.id)
            ).all()
            if not shares:
                return None
            history = self._attempts(connection, [candidate_id]).get(candidate_id, [])
            answer_sets = self._answer_sets(
                connection,
                [attempt.attempt_id for attempt in history],
                {attempt.attempt_id: attempt.role_id for attempt in history},
            )
        cohorts = [ShareInfo(*row) for row in shares]
        return CandidateView(candidate_id, cohorts[0].alias, cohorts, history, answer_sets)

    def add_note(self, author_id: int, candidate_id: int, text: str) -> Note:
        """Add a note about a candidate shared with one of the author's cohorts.

        Raises NotAllowed for any other candidate, ValueError for an empty note.
        """
        text = text.strip()
        if not text:
            raise ValueError("a note cannot be empty")
        now = self._now()
        with self._writer.begin() as connection:
            if not connection.execute(
                sa.select(self._visible_to(author_id, candidate_id))
            ).scalar():
                raise NotAllowed("this candidate has not shared their results with you")
            result = connection.execute(
                t.notes.insert().values(
                    author_id=author_id, candidate_id=candidate_id, text=text, created_at=now
                )
            )
            author = connection.execute(
                sa.select(t.users.c.email, t.users.c.name).where(t.users.c.id == author_id)
            ).one()
        return Note(result.inserted_primary_key[0], author.email, now, text, author.name)

    def notes(self, owner_id: int, candidate_id: int) -> list[Note]:
        """The owner's own notes about a candidate still shared with them, newest first."""
        n, u = t.notes, t.users
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(n.c.id, u.c.email, n.c.created_at, n.c.text, u.c.name)
                .join(u, u.c.id == n.c.author_id)
                .where(
                    n.c.candidate_id == candidate_id,
                    n.c.author_id == owner_id,
                    self._visible_to(owner_id, candidate_id),
                )
                .order_by(n.c.created_at.desc(), n.c.id.desc())
            )
            return [Note(*row) for row in rows]

    # Content history (the studio) -------------------------------------------------------------

    def record_content_change(
        self,
        user_id: int | None,
        path: str,
        kind: str,
        item_id: str,
        version: str | None,
        action: str,
        text: str | None,
    ) -> ContentChange:
        """Log who changed which content file, how, and the text it had afterwards."""
        now = self._now()
        with self._writer.begin() as connection:
            result = connection.execute(
                t.content_changes.insert().values(
                    user_id=user_id,
                    path=str(path),
                    kind=kind,
                    item_id=item_id,
                    version=None if version is None else str(version),
                    action=action,
                    text=text,
                    created_at=now,
                )  # fmt: skip
            )
            email = None
            if user_id is not None:
                email = connection.execute(
                    sa.select(t.users.c.email).where(t.users.c.id == user_id)
                ).scalar()
        return ContentChange(
            result.inserted_primary_key[0], email, now, str(path), kind, item_id,
            None if version is None else str(version), action, text, user_id,
        )  # fmt: skip

    def content_history(self, limit: int = 50) -> list[ContentChange]:
        """The latest content changes, newest first."""
        h, u = t.content_changes, t.users
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(
                    h.c.id,
                    u.c.email,
                    h.c.created_at,
                    h.c.path,
                    h.c.kind,
                    h.c.item_id,
                    h.c.version,
                    h.c.action,
                    h.c.text,
                    h.c.user_id,
                )  # fmt: skip
                .outerjoin(u, u.c.id == h.c.user_id)
                .order_by(h.c.created_at.desc(), h.c.id.desc())
                .limit(limit)
            )
            return [ContentChange(*row) for row in rows]

    def save_content_version(self, kind: str, item_id: str, version: str, text: str) -> None:
        """Keep the text of a questionnaire (or role) version, so old answer sets stay readable."""
        with self._writer.begin() as connection:
            connection.execute(
                self._upsert(
                    t.content_versions, ["kind", "item_id", "version"], ["text", "saved_at"]
                ),
                {
                    "kind": kind,
                    "item_id": item_id,
                    "version": str(version),
                    "text": text,
                    "saved_at": self._now(),
                },  # fmt: skip
            )

    def content_version(self, kind: str, item_id: str, version: str) -> str | None:
        v = t.content_versions
        with self.engine.connect() as connection:
            return connection.execute(
                sa.select(v.c.text).where(
                    v.c.kind == kind, v.c.item_id == item_id, v.c.version == str(version)
                )
            ).scalar()

    def content_versions(self, kind: str, item_id: str) -> list[tuple[str, datetime]]:
        """(version, saved_at) of every kept version of an item, newest first."""
        v = t.content_versions
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(v.c.version, v.c.saved_at)
                .where(v.c.kind == kind, v.c.item_id == item_id)
                .order_by(v.c.saved_at.desc(), v.c.version.desc())
            )
            return [(row[0], row[1]) for row in rows]

    # Counts, for the demo summary and health checks --------------------------------------------

    def counts(self) -> dict[str, int]:
        names = ("users", "candidates", "attempts", "answers", "cohorts", "shares", "notes")
        with self.engine.connect() as connection:
            return {
                name: connection.execute(
                    sa.select(sa.func.count()).select_from(t.metadata.tables[name])
                ).scalar_one()
                for name in names
            }


def _cohort_columns() -> tuple:
    c = t.cohorts
    return (c.c.id, c.c.name, c.c.code, c.c.owner_id, c.c.created_at)


def _clean_alias(alias: str | None) -> str | None:
    if alias is None:
        return None
    alias = " ".join(alias.split())[:200]
    return alias or None


def _encode(value: Any) -> str:
    if not isinstance(value, (str, int, float, bool, list)):
        raise TypeError(f"an answer is text, a number, true/false or a list (got {value!r})")
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _rate_key(kind: str, key: str) -> str:
    # Hashed: the table must not become a log of e-mail addresses and client addresses.
    return hashlib.sha256(f"{kind}\0{key}".encode()).hexdigest()


def _as_utc(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
