"""A reproducible demo: staff accounts and a cohort of fictional candidates with plausible answers.

`fill_demo` works with whatever content is shipped: each candidate gets an ability between 0
and 1, and every question is answered from it with some noise (ratings near the ability,
choices with levels near it, more years of experience, more certifications). A few candidates
come out near ready, most are developing, some lack must-haves (no degree, no experience, no
licence), about 30% re-assess weeks later with better answers, and some carry counselor notes.
The same seed always gives the same answers; running it again adds nothing.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from readiness.accounts import COUNSELOR, INSTRUCTOR, User
from readiness.content import Content
from readiness.journey import steps, visible_answers
from readiness.schema import Question, Questionnaire

if TYPE_CHECKING:
    from readiness.storage import Store

DEMO_COUNSELOR = ("counselor@example.org", "demo-counselor-2026", "Dana Demo (counselor)")
DEMO_INSTRUCTOR = ("instructor@example.org", "demo-instructor-2026", "Ivo Demo (instructor)")
DEMO_EMAILS = {DEMO_COUNSELOR[0], DEMO_INSTRUCTOR[0]}

# (share of candidates, ability range)
PROFILES = {
    "near ready": (0.15, (0.62, 0.80)),
    "developing": (0.65, (0.22, 0.42)),
    "foundations": (0.20, (0.05, 0.22)),
}
SECOND_ATTEMPT_SHARE = 0.3
IN_PROGRESS_SHARE = 0.1
NOTE_SHARE = 0.3

FIRST_NAMES = [
    "Amara", "Ben", "Carmen", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonah", "Kemi",
    "Luis", "Maya", "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Victor",
    "Wen", "Ximena", "Yusuf", "Zoe",
]  # fmt: skip
GOALS = [
    "Working as a physician liaison for a regional hospital.",
    "Moving from the front desk into outreach.",
    "Leading a small referral development team.",
    "Using my nursing background in a business role.",
    "I am not sure yet; exploring options.",
]
NOTES = [
    "Strong interpersonal skills in the workshop; suggested the CRM trailhead module.",
    "Discussed the degree requirement: looking at evening bachelor's programs.",
    "Asked about shadowing a liaison next month. Follow up in two weeks.",
    "Ready to apply; reviewed interview examples for territory planning.",
    "Needs a driver's license before applying to field roles.",
    "Good progress since the first attempt, especially in presenting.",
]


class DemoRefused(Exception):
    """The database holds real accounts: demo accounts with public passwords would be a risk."""


@dataclass
class DemoSummary:
    seed: int
    role_title: str
    cohort_name: str
    cohort_code: str
    counselor: tuple[str, str]
    instructor: tuple[str, str]
    created: bool
    candidates: int = 0
    second_attempts: int = 0
    in_progress: int = 0
    notes: int = 0
    profiles: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        state = "Created" if self.created else "Already present (nothing added)"
        lines = [
            f"{state}: demo cohort {self.cohort_name!r} (seed {self.seed}), share code "
            f"{self.cohort_code}, scored against {self.role_title}.",
        ]
        if self.created:
            mix = ", ".join(f"{n} {name}" for name, n in self.profiles.items())
            lines.append(
                f"  {self.candidates} candidates ({mix}); {self.second_attempts} re-assessed, "
                f"{self.in_progress} still in progress; {self.notes} notes."
            )
        lines += [
            "Demo accounts (their passwords are public: use this database for demos only):",
            f"  counselor   {self.counselor[0]}   password: {self.counselor[1]}",
            f"  instructor  {self.instructor[0]}   password: {self.instructor[1]}",
        ]
        return lines


def fill_demo(
    store: Store, content: Content, *, candidates: int = 40, seed: int = 1, force: bool = False
) -> DemoSummary:
    """Create (once per seed) the demo accounts and a cohort of `candidates` fictional people."""
    others = [user.email for user in store.users() if user.email not in DEMO_EMAILS]
    if others and not force:
        raise DemoRefused(
            f"the database already has {len(others)} real account(s); the demo accounts have "
            "public passwords. Use another database (READINESS_DATABASE_URL) or pass --force."
        )
    counselor = _account(store, DEMO_COUNSELOR, COUNSELOR)
    _account(store, DEMO_INSTRUCTOR, INSTRUCTOR)
    role = next(iter(content.roles.values()))
    name = f"Demo cohort (seed {seed})"
    summary_args = dict(
        seed=seed,
        role_title=role.title,
        cohort_name=name,
        counselor=DEMO_COUNSELOR[:2],
        instructor=DEMO_INSTRUCTOR[:2],
    )
    existing = next((c for c in store.cohorts_of(counselor.id) if c.name == name), None)
    if existing is not None:
        return DemoSummary(cohort_code=existing.code, created=False, **summary_args)

    cohort = store.create_cohort(counselor.id, name)
    summary = DemoSummary(cohort_code=cohort.code, created=True, **summary_args)
    rng = random.Random(seed)
    now = store.clock()
    profiles = _profiles(candidates, rng)
    for index, profile in enumerate(profiles):
        low, high = PROFILES[profile][1]
        ability = rng.uniform(low, high)
        alias = f"{FIRST_NAMES[index % len(FIRST_NAMES)]} {chr(65 + rng.randrange(26))}."
        if index >= len(FIRST_NAMES):
            alias += f" {index // len(FIRST_NAMES) + 1}"
        started = now - timedelta(days=rng.uniform(25, 70), minutes=rng.uniform(0, 600))
        in_progress = rng.random() < IN_PROGRESS_SHARE
        again = not in_progress and rng.random() < SECOND_ATTEMPT_SHARE
        answers = generate_answers(content, role.id, ability, rng)
        with _clock(store, started):
            session = store.start_candidate(role.id, alias=alias)
        finished = _answer(store, content, role, session.attempt_id, answers, started, rng,
                           partial=in_progress)  # fmt: skip
        summary.in_progress += in_progress
        if again:
            when = finished + timedelta(days=rng.uniform(14, 21))
            with _clock(store, when):
                second = store.new_attempt(session, role.id)
            changed = improve_answers(content, answers, rng)
            _answer(store, content, role, second.attempt_id, changed, when, rng, partial=False,
                    merged=visible_answers(content, _merge(answers, changed)))  # fmt: skip
            summary.second_attempts += 1
        with _clock(store, started + timedelta(minutes=rng.uniform(1, 30))):
            store.share(session.candidate_id, cohort.code, alias)
        if rng.random() < NOTE_SHARE:
            with _clock(store, min(now, finished + timedelta(days=rng.uniform(1, 5)))):
                store.add_note(counselor.id, session.candidate_id, rng.choice(NOTES))
            summary.notes += 1
        summary.candidates += 1
        summary.profiles[profile] = summary.profiles.get(profile, 0) + 1
    return summary


def _account(store, account: tuple[str, str, str], role: str) -> User:
    email, password, name = account
    return store.user_by_email(email) or store.add_user(email, password, role, name)


def _profiles(count: int, rng: random.Random) -> list[str]:
    names = list(PROFILES)
    counts = [math.floor(count * PROFILES[name][0]) for name in names]
    counts[names.index("developing")] += count - sum(counts)
    profiles = [name for name, n in zip(names, counts, strict=True) for _ in range(n)]
    rng.shuffle(profiles)
    return profiles


@contextmanager
def _clock(store, when: datetime) -> Iterator[None]:
    saved = store.clock
    store.clock = lambda: when
    try:
        yield
    finally:
        store.clock = saved


def _merge(base: dict[str, dict[str, Any]], changes: dict[str, dict[str, Any]]) -> dict:
    merged = {q: dict(a) for q, a in base.items()}
    for questionnaire_id, given in changes.items():
        merged.setdefault(questionnaire_id, {}).update(given)
    return merged


def _answer(
    store,
    content: Content,
    role,
    attempt_id: int,
    answers: dict[str, dict[str, Any]],
    started: datetime,
    rng: random.Random,
    *,
    partial: bool,
    merged: dict | None = None,
) -> datetime:
    """Save `answers` step by step, a minute or two apart; return when the attempt ended."""
    path = steps(content, role, merged or answers)
    if partial:
        path = path[: rng.randrange(1, max(2, len(path)))]
    when = started
    for number, step in enumerate(path):
        when += timedelta(seconds=rng.uniform(40, 240))
        given = {
            q.id: answers[step.questionnaire.id][q.id]
            for q in step.questions
            if q.id in answers.get(step.questionnaire.id, {})
        }
        with _clock(store, when):
            if given:
                version = step.questionnaire.version
                store.save_answers(attempt_id, {step.questionnaire.id: {"version": version,
                                                                       "answers": given}})  # fmt: skip
            store.save_step(attempt_id, number)
    if not partial:
        with _clock(store, when):
            store.finish_attempt(attempt_id)
    return when


# Answer patterns ------------------------------------------------------------------------------


def generate_answers(
    content: Content,
    role_id: str,
    ability: float,
    rng: random.Random,
    *,
    drop_hidden: bool = True,
) -> dict[str, dict[str, Any]]:
    """A plausible answer map for someone of `ability` (0–1), hidden questions left out
    (unless `drop_hidden` is false: scoring ignores them anyway, and it is faster)."""
    answers: dict[str, dict[str, Any]] = {}
    for questionnaire in content.questionnaires.values():
        for question in questionnaire.questions():
            value = answer_question(question, questionnaire, ability, rng)
            if value is not None:
                answers.setdefault(questionnaire.id, {})[question.id] = value
    return visible_answers(content, answers) if drop_hidden else answers


def answer_question(
    question: Question, questionnaire: Questionnaire, ability: float, rng: random.Random
) -> Any:
    if not question.is_required and rng.random() < 0.3:
        return None
    kind = question.type
    if kind == "rating":
        values = sorted(entry.value for entry in questionnaire.scales[question.scale])
        index = round(ability * (len(values) - 1) + rng.gauss(0, 0.7))
        return _number(values[min(max(index, 0), len(values) - 1)])
    if kind == "single_choice":
        options = question.options
        if question.measures and all(o.level is not None for o in options):
            wanted = ability * 4 + rng.gauss(0, 0.8)
            return min(options, key=lambda o: abs(o.level - wanted)).value
        # Background facts (education) depend less on skill than skills do.
        index = round((0.35 + 0.65 * ability) * (len(options) - 1) + rng.gauss(0, 0.9))
        return options[min(max(index, 0), len(options) - 1)].value
    if kind == "multiple_choice":
        chosen = [o.value for o in question.options if rng.random() < 0.1 + 0.35 * ability]
        return chosen or None
    if kind == "yes_no":
        chance = ability if question.measures else 0.8 + 0.17 * ability
        return rng.random() < chance
    if kind == "number":
        high = question.levels[-1].at_least * 1.4 if question.levels else 10
        value = max(0.0, ability * high + rng.gauss(0, 0.25 * high + 0.5) - 0.15 * high)
        if question.min is not None:
            value = max(value, question.min)
        if question.max is not None:
            value = min(value, question.max)
        return round(value)
    return rng.choice(GOALS) if rng.random() < 0.4 else None


def improve_answers(
    content: Content, answers: dict[str, dict[str, Any]], rng: random.Random
) -> dict[str, dict[str, Any]]:
    """What a candidate changes weeks later: some ratings up a step, some more experience."""
    changed: dict[str, dict[str, Any]] = {}
    for questionnaire_id, given in answers.items():
        questionnaire = content.questionnaires[questionnaire_id]
        for question_id, value in given.items():
            question = questionnaire.question(question_id)
            new = value
            if question.type == "rating" and rng.random() < 0.45:
                values = sorted(e.value for e in questionnaire.scales[question.scale])
                position = values.index(value)
                step = 1 if rng.random() < 0.9 else -1
                new = _number(values[min(max(position + step, 0), len(values) - 1)])
            elif question.type == "number" and question.measures and rng.random() < 0.5:
                new = value + 1 if question.max is None else min(value + 1, question.max)
            if new != value:
                changed.setdefault(questionnaire_id, {})[question_id] = new
    return changed


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
