"""What the results page and the report say about pay, growth and the next career step.

Every number here is a row of the market files (`data/market/*.csv`), carried with its source and
period; nothing is computed, rounded into a new figure or filled in. Where no row backs
something, the answer is a `NoSourcedFigure` marker so the page says so instead of guessing.

Groups of rows are tied to a role in two ways:
- the role's own rows: the CSV `role` value named by the profile's `market` key;
- related rows: any other CSV `role` whose source text names one of the profile's
  `related_occupations` SOC codes (e.g. "BLS OEWS May 2019, 11-9111 ..."). The rows themselves
  say which occupation they describe, so no mapping has to be kept in step with the CSV.
Caveats come from the source text too (see `caveats`), never from figures typed into the code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from readiness.content import Content
from readiness.market import (
    METRIC_LABELS,
    SALARY_METRICS,
    UNIT_NOT_GIVEN,
    amount_as_given,
    empty_market,
    number_as_given,
)
from readiness.schema import Occupation, RoleProfile

THIS_ROLE, RELATED, CAREER_STEP = "this role", "related occupation", "career step"

# The attribution O*NET's licence (CC BY 4.0) asks for wherever its ratings are used, in the
# wording O*NET suggests; the PDF says "This report" instead of "This page".
ONET_ATTRIBUTION = (
    "This page includes information from O*NET OnLine by the U.S. Department of Labor, "
    "Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 license."
)


def uses_onet(role: RoleProfile) -> bool:
    """Whether the role's targets draw on O*NET ratings (their sources say so): where its
    attribution is due."""
    return cites_onet(competency.source for competency in role.competencies)


def cites_onet(sources: Iterable[str]) -> bool:
    """Whether any of these sources of targets names O*NET (see `uses_onet`)."""
    return any("O*NET" in source for source in sources)


OLD_EDITION = "An old edition: compare it with newer figures with care."
OLD_DOLLARS = "Its dollars are those of its own year."  # of an old edition's pay, after it
# Caveats a row's source text calls for: (pattern in the source, what to tell the reader).
CAVEAT_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"all occupations", re.IGNORECASE),
        "This is not a figure for this role: its source notes that it matches the growth "
        "projected for all occupations in that period.",
    ),
    (re.compile(r"old edition", re.IGNORECASE), OLD_EDITION),
)


@dataclass(frozen=True)
class CareerStep:
    """One advancement from a role, and the occupation whose figures stand in for it."""

    title: str
    soc: str
    basis: str


def career_steps(profile: RoleProfile) -> tuple[CareerStep, ...]:
    """The role's `career_steps` (an optional key of the role profile), in file order."""
    return tuple(
        CareerStep(title=step.title, soc=step.soc or "", basis=step.source)
        for step in profile.career_steps
    )


@dataclass(frozen=True)
class NoSourcedFigure:
    """Nothing in the market files backs this: show `message`, not a number."""

    what: str

    @property
    def message(self) -> str:
        return f"No sourced figure for {self.what}."


@dataclass(frozen=True)
class Figure:
    """One market row: a value with its unit, period, region and source."""

    market_role: str
    metric: str
    value: float
    unit: str
    period: str
    region: str
    source: str
    url: str
    retrieved: str
    caveats: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return METRIC_LABELS.get(self.metric, self.metric)

    @property
    def display(self) -> str:
        """The value as the source gives it: "$60,000 a year", "8%", "244,550 jobs"."""
        money = self.metric in SALARY_METRICS
        number = (amount_as_given if money else number_as_given)(self.value)
        unit = self.unit.strip()
        if unit == "USD per year":
            return f"${number} a year"
        if unit.startswith("USD"):
            return f"${number} {unit[3:].strip()}".strip()
        if unit == "percent":
            return f"{'+' if self.metric == 'growth_pct' and self.value > 0 else ''}{number}%"
        return f"{number} {unit or UNIT_NOT_GIVEN}"


@dataclass
class FigureGroup:
    """The figures of one CSV `role` value, for the candidate's role or one related to it."""

    market_role: str | None
    title: str
    relation: str  # THIS_ROLE, RELATED or CAREER_STEP
    figures: list[Figure] | NoSourcedFigure
    soc: str | None = None
    # the market rows behind `figures`, e.g. for `charts.salary_chart`; no rows when none
    rows: pd.DataFrame = field(default_factory=empty_market)

    @property
    def sourced(self) -> bool:
        return not isinstance(self.figures, NoSourcedFigure)

    @property
    def heading(self) -> str:
        occupation = f"{self.title} ({self.soc})" if self.soc else self.title
        if self.relation == THIS_ROLE:
            return f"{self.title} (this role)"
        if self.relation == CAREER_STEP:
            return f"Career step: {occupation}"
        return f"Related occupation: {occupation}"


@dataclass
class Outlook:
    """The figures of one kind (salary or growth) for a role and the occupations around it."""

    role: FigureGroup
    related: list[FigureGroup]

    @property
    def groups(self) -> list[FigureGroup]:
        return [self.role, *self.related]

    @property
    def rows(self) -> pd.DataFrame:
        """The market rows of every group, the role's first (the input of the salary chart)."""
        frames = [g.rows for g in self.groups if not g.rows.empty]
        return pd.concat(frames, ignore_index=True) if frames else empty_market()

    @property
    def figures(self) -> list[Figure]:
        return [f for g in self.groups if g.sourced for f in g.figures]


@dataclass
class CareerStepOutlook:
    step: CareerStep
    occupation: str | None  # e.g. "Medical and Health Services Managers (11-9111)"
    salary: list[Figure] | NoSourcedFigure
    growth: list[Figure] | NoSourcedFigure
    caveat: str | None


@dataclass
class CareerPath:
    """The role, then each step the content knows of; `steps` is empty when none is recorded."""

    start: str
    steps: list[CareerStepOutlook]

    @property
    def titles(self) -> list[str]:
        return [self.start, *(s.step.title for s in self.steps)]


def caveats(source: str, metric: str = "") -> tuple[str, ...]:
    """What a row's source text says the reader must know (see `CAVEAT_RULES`); of an old
    edition's pay, also that its dollars are of their year (a count of jobs has none)."""
    found = [text for pattern, text in CAVEAT_RULES if pattern.search(source or "")]
    if metric in SALARY_METRICS and OLD_EDITION in found:
        found.append(OLD_DOLLARS)
    return tuple(found)


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def figures_of(rows: pd.DataFrame) -> list[Figure]:
    """Each row as a `Figure`, in file order."""
    return [
        Figure(
            market_role=_text(row["role"]),
            metric=_text(row["metric"]),
            value=float(row["value"]),
            unit=_text(row["unit"]),
            period=_text(row["period"]),
            region=_text(row["region"]),
            source=_text(row["source"]),
            url=_text(row["url"]),
            retrieved=_text(row["retrieved"]),
            caveats=caveats(_text(row["source"]), _text(row["metric"])),
        )
        for _, row in rows.iterrows()
        if pd.notna(row["value"])
    ]


def _role(content: Content, role: RoleProfile | str) -> RoleProfile:
    return content.roles[role] if isinstance(role, str) else role


def _mentions(source: str, soc: str) -> bool:
    return re.search(rf"(?<![\d-]){re.escape(soc)}(?![\d-])", source) is not None


def related_occupations_in_market(
    content: Content, role: RoleProfile | str
) -> list[tuple[Occupation, str]]:
    """(occupation, CSV role value) for each related occupation whose code a market group's
    source text names, in the profile's order; the role's own rows are never listed."""
    profile = _role(content, role)
    market = content.market
    found: list[tuple[Occupation, str]] = []
    others = market[market["role"] != profile.market]
    sources = others.groupby("role", sort=False)["source"].apply(
        lambda texts: " | ".join(_text(t) for t in texts)
    )
    for occupation in profile.related_occupations:
        for market_role, text in sources.items():
            if _mentions(text, occupation.soc) and all(m != market_role for _, m in found):
                found.append((occupation, str(market_role)))
    return found


def _group(
    content: Content,
    market_role: str | None,
    title: str,
    relation: str,
    metrics: tuple[str, ...],
    what: str,
    soc: str | None = None,
) -> FigureGroup:
    market = content.market
    rows = market[
        (market["role"] == market_role) & market["metric"].isin(metrics) & market["value"].notna()
    ].reset_index(drop=True)
    figures = figures_of(rows)
    return FigureGroup(
        market_role=market_role,
        title=title,
        relation=relation,
        figures=figures or NoSourcedFigure(f"{what} of {title}"),
        soc=soc,
        rows=rows,
    )


def _outlook(
    content: Content, role: RoleProfile | str, metrics: tuple[str, ...], what: str
) -> Outlook:
    profile = _role(content, role)
    step_codes = {step.soc for step in career_steps(profile) if step.soc}
    own = _group(content, profile.market, profile.title, THIS_ROLE, metrics, what)
    related = [
        _group(
            content,
            market_role,
            occupation.title,
            CAREER_STEP if occupation.soc in step_codes else RELATED,
            metrics,
            what,
            soc=occupation.soc,
        )
        for occupation, market_role in related_occupations_in_market(content, profile)
    ]
    return Outlook(role=own, related=related)


def salary_outlook(content: Content, role: RoleProfile | str) -> Outlook:
    """Salary figures of the role's own market rows, then of each related occupation the market
    files hold (a career step among them marked as such). A group without any salary row has a
    `NoSourcedFigure` instead of figures."""
    return _outlook(content, role, SALARY_METRICS, "salary")


def growth_outlook(content: Content, role: RoleProfile | str) -> Outlook:
    """Employment growth and employment rows (`growth_pct`, `employment`) grouped like
    `salary_outlook`, each with its period and source, and a caveat where the source says a
    growth figure is the all-occupations rate."""
    return _outlook(content, role, ("growth_pct", "employment"), "employment growth")


def career_path(content: Content, role: RoleProfile | str) -> CareerPath:
    """The role, then each of its `career_steps` with the salary and growth figures of
    the occupation that stands in for it, or `NoSourcedFigure` where the market files hold none."""
    profile = _role(content, role)
    occupations = {o.soc: o for o in profile.related_occupations}
    in_market = {
        o.soc: market_role for o, market_role in related_occupations_in_market(content, profile)
    }
    steps = []
    for step in career_steps(profile):
        occupation = occupations.get(step.soc)
        name = f"{occupation.title} ({step.soc})" if occupation else step.soc
        market_role = in_market.get(step.soc)
        salary = _group(content, market_role, step.title, CAREER_STEP, SALARY_METRICS, "salary")
        growth = _group(
            content, market_role, step.title, CAREER_STEP, ("growth_pct",), "employment growth"
        )
        caveat = (
            f"The figures are for the whole occupation {name}, not for the title "
            f"{step.title.lower()} alone."
            if market_role
            else None
        )
        steps.append(
            CareerStepOutlook(
                step=step,
                occupation=name,
                salary=salary.figures,
                growth=growth.figures,
                caveat=caveat,
            )
        )
    return CareerPath(start=profile.title, steps=steps)
