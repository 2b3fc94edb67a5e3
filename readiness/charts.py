"""Altair chart builders for the results page, the counselor's cohort view and the PDF report.

Every builder is a pure function of its inputs that returns an unrendered chart. The
candidate's pages and the PDF show it as an image rendered here (`chart_svg`, `chart_png`); the
counselor's cohort page draws it in the browser, where its tooltips help to explore a cohort.
Each chart has a matching `*_table` function giving the same figures as a DataFrame, for the
accessible table shown beside it: the chart's own data *is* that table (plus helper columns
for labels and placement), so the two cannot disagree.

Accessibility: every chart has a title, axis titles and a `description` (read by screen
readers), uses the Okabe–Ito colour-blind-safe palette, and never carries meaning by colour
alone: each bar or point also has a text label, and the target or attempt is a distinct shape.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import altair as alt
import numpy as np
import pandas as pd

from readiness.market import (
    METRIC_LABELS,
    SALARY_METRICS,
    UNIT_NOT_GIVEN,
    amount_as_given,
    period_and_region,
)
from readiness.schema import MAX_LEVEL
from readiness.scoring import in_plan_order

if TYPE_CHECKING:
    from readiness.scoring import ScoreResult

# Okabe & Ito (2008), "Color Universal Design": distinguishable with any common colour-vision
# deficiency, and in greyscale print.
BLUE, ORANGE, GREEN, SKY, VERMILLION, PURPLE, BLACK = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#56B4E9",
    "#D55E00",
    "#CC79A7",
    "#000000",
)

MEETS, BELOW, NOT_ASSESSED = "Meets target", "Below target", "Not assessed"
STATUS_COLOURS = {MEETS: BLUE, BELOW: ORANGE, NOT_ASSESSED: "#E4E4E4"}

# One competency: its name on a line, then its bar.
COMPETENCY_ROW = 44
COMPETENCY_BAR = 16
CHART_WIDTH = 420
# The salary chart on a phone: each row's source above its line, across the whole width.
NARROW_CHART_WIDTH = 330
NARROW_LABEL_CHARS = 52
NARROW_LINE_HEIGHT = 13
LABEL_FONT = 12

# Short names of salary metrics, used as point labels in the salary chart.
SALARY_SHORT_LABELS = {
    "salary_entry": "entry",
    "salary_p10": "p10",
    "salary_p25": "p25",
    "salary_median": "median",
    "salary_mean": "mean",
    "salary_p75": "p75",
    "salary_p90": "p90",
    "salary_low": "low",
    "salary_high": "high",
    "salary_senior": "senior",
}
# Neighbouring figures of one row alternate above and below the line so their labels do not
# collide (a median and a mean are often a few thousand dollars apart).
_LABEL_BELOW = {"salary_p25", "salary_mean", "salary_p75", "salary_high", "salary_senior"}


def _axis(title: str | None, **kwargs) -> alt.Axis:
    return alt.Axis(title=title, labelFontSize=LABEL_FONT, titleFontSize=LABEL_FONT, **kwargs)


def _title(text: str, subtitle: str | Sequence[str] | None = None) -> alt.TitleParams:
    return alt.TitleParams(
        text=text,
        subtitle=subtitle or "",
        anchor="start",
        fontSize=15,
        subtitleFontSize=12,
        subtitleColor="#333333",
    )


def _level(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value == round(value, 1) else f"{value:.2f}"


def _signed_int(value: int) -> str:
    return f"+{value}" if value >= 0 else f"\u2212{abs(value)}"


def _signed(value: float) -> str:
    if abs(value) < 0.005:
        return "no change"
    return f"+{value:.2f}" if value > 0 else f"\u2212{abs(value):.2f}"


# ---------------------------------------------------------------------------------------------
# One candidate: level against target


def _row_names(field: str, y: alt.Y, *, lines: int = 1) -> alt.Chart:
    """Each row's name written above its marks, across the whole width: a left margin of
    names would leave a phone no room for the bars. The marks take `yOffset=BELOW_NAME`; a
    name of several `lines` (split at "\n") starts that many lines higher. A line longer than
    the chart is cut with an ellipsis (the table beside the chart has it whole): else the
    figure would widen and be shrunk to fit, bars and all."""
    return (
        alt.Chart()
        .mark_text(
            align="left",
            baseline="bottom",
            fontSize=LABEL_FONT,
            color=BLACK,
            lineBreak="\n",
            limit=CHART_WIDTH,
            yOffset=-2 - (lines - 1) * (LABEL_FONT + 2),
            aria=False,  # the marks' own descriptions name the row: not read out twice
        )
        .encode(x=alt.value(0), y=y, text=f"{field}:N")
    )


# Marks sit in the lower half of each row, under the row's name (see `_row_names`).
BELOW_NAME = COMPETENCY_BAR / 2


def competency_table(result: ScoreResult) -> pd.DataFrame:
    """One row per competency, largest importance × gap first (ties: file order).

    Columns: Competency, Your level, Target, Gap, Importance, Assessed ("Yes"/"No"); levels and
    gaps rounded to 2 decimals, as everywhere else the score is shown.
    """
    ordered = in_plan_order(result.competencies)
    return pd.DataFrame(
        {
            "Competency": [c.title for c in ordered],
            "Your level": [c.level_rounded for c in ordered],
            "Target": [float(c.target) for c in ordered],
            "Gap": [c.gap_rounded for c in ordered],
            "Importance": [float(c.importance) for c in ordered],
            "Assessed": ["Yes" if c.assessed else "No" for c in ordered],
        },
        columns=["Competency", "Your level", "Target", "Gap", "Importance", "Assessed"],
    )


def competency_chart(result: ScoreResult) -> alt.LayerChart:
    """Horizontal bars of the candidate's level (0–4) with a black tick at each target.

    Rows are in `competency_table` order; each row is labelled with its level and target, and
    competencies no answer measured are labelled "not assessed" and drawn grey.
    """
    table = competency_table(result)
    data = table.copy()
    data["Status"] = [
        NOT_ASSESSED if assessed == "No" else (MEETS if gap < 0.01 else BELOW)
        for assessed, gap in zip(data["Assessed"], data["Gap"], strict=True)
    ]
    # Short enough to sit right of the bar on a phone: level / target.
    data["Label"] = [
        "not assessed"
        if status == NOT_ASSESSED
        else f"{level:.2f} / {_level(target)}" + (" met" if status == MEETS else "")
        for status, level, target in zip(
            data["Status"], data["Your level"], data["Target"], strict=True
        )
    ]
    data["Label at"] = np.maximum(data["Your level"], data["Target"])
    # an unassessed competency is drawn as a pale dashed outline up to its target: unknown ground
    data["Bar end"] = np.where(data["Assessed"] == "No", data["Target"], data["Your level"])
    order = list(dict.fromkeys(data["Competency"]))
    # Names stand above their bars, across the whole width, rather than in a left margin that
    # would leave a phone no room for the bars.
    y = alt.Y("Competency:N", sort=order, axis=None)
    # Room right of level 4 for the value labels.
    x_scale = alt.Scale(domain=[0, MAX_LEVEL + 0.9], nice=False)
    x_axis = _axis("Level (0 = none, 4 = expert)", values=[0, 1, 2, 3, 4], format="d")

    def x(field: str) -> alt.X:
        return alt.X(f"{field}:Q", scale=x_scale, axis=x_axis)

    unassessed_test = "datum.Assessed === 'No'"
    tooltip = [
        alt.Tooltip("Competency:N"),
        alt.Tooltip("Your level:Q", format=".2f"),
        alt.Tooltip("Target:Q"),
        alt.Tooltip("Gap:Q", format=".2f"),
        alt.Tooltip("Importance:Q"),
        alt.Tooltip("Assessed:N"),
    ]
    bars = (
        alt.Chart()
        .mark_bar(height=COMPETENCY_BAR, strokeWidth=1.5, yOffset=BELOW_NAME)
        .encode(
            x=x("Bar end"),
            y=y,
            stroke=alt.condition(unassessed_test, alt.value("#666666"), alt.value(None)),
            strokeDash=alt.condition(unassessed_test, alt.value([4, 3]), alt.value([1, 0])),
            color=alt.Color(
                "Status:N",
                scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
                legend=alt.Legend(
                    title="Your level",
                    orient="bottom",
                    direction="vertical",
                    labelFontSize=LABEL_FONT,
                ),
            ),
            tooltip=tooltip,
        )
    )
    targets = (
        alt.Chart()
        .mark_tick(color=BLACK, thickness=3, size=COMPETENCY_BAR + 8, yOffset=BELOW_NAME)
        .encode(x=x("Target"), y=y, tooltip=tooltip)
    )
    labels = (
        alt.Chart()
        .mark_text(
            align="left", dx=6, fontSize=LABEL_FONT - 1, color=BLACK, yOffset=BELOW_NAME, aria=False
        )
        .encode(x=x("Label at"), y=y, text="Label:N")
    )
    names = _row_names("Competency", y)
    unassessed = [
        t for t, a in zip(table["Competency"], table["Assessed"], strict=True) if a == "No"
    ]
    below = int((data["Status"] == BELOW).sum())
    description = (
        f"Horizontal bar chart of your level, on a scale of 0 to 4, in each of {len(table)} "
        f"competencies of the {result.role_title} role, with a black tick at the level the job "
        f"needs. Ordered by importance times gap, largest first: {', '.join(order)}. "
        f"{below} below target"
        + (f"; not assessed: {', '.join(unassessed)}" if unassessed else "")
        + ". The same figures are in the table beside the chart."
    )
    return alt.layer(bars, targets, labels, names, data=data).properties(
        width=CHART_WIDTH,
        height=alt.Step(COMPETENCY_ROW),  # fixed rows: Streamlit does not keep a numeric height
        title=_title(
            "Your level and the job's target",
            [
                "Bars: your level; black tick: the target.",
                "Dashed outline: not assessed. Largest weighted gaps first.",
            ],
        ),
        description=description,
    )


# ---------------------------------------------------------------------------------------------
# Salary figures of one or more sources


# The salary chart's one axis: figures in any other unit are listed, not drawn on it.
SALARY_CHART_UNIT = "USD per year"


def salary_chart_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The salary rows `salary_chart` can draw: those in `SALARY_CHART_UNIT`."""
    units = rows["unit"].fillna("").astype(str).str.strip()
    return rows[rows["metric"].isin(SALARY_METRICS) & (units == SALARY_CHART_UNIT)]


def _money(value: float, unit: str | None) -> str:
    """A salary figure with its unit, its number as the source gives it: "$65,360" for US
    dollars a year, else "11.44 GBP per hour" (never a dollar sign on another currency)."""
    unit = (unit or "").strip()
    amount = amount_as_given(value)
    if unit == SALARY_CHART_UNIT:
        return f"${amount}"
    if unit.startswith("USD"):
        return f"${amount} ({unit})"
    return f"{amount} {unit or UNIT_NOT_GIVEN}"


def source_row_label(source: str, period: str, region: str = "") -> str:
    """The label of one source/period row: the source up to its first colon, with the period
    and the region where the source's name does not already say them."""
    short = source.split(":", 1)[0].strip()
    for part in (period, region):
        part = (part or "").strip()
        if part and part.lower() not in short.lower():
            short = f"{short}, {part}"
    return short


def _wrap(text: str, width: int = 48) -> str:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


def _salary_frame(rows: pd.DataFrame, label_chars: int = 48) -> pd.DataFrame:
    """The salary rows as `salary_table` columns plus the chart's helper columns."""
    salary = rows[rows["metric"].isin(SALARY_METRICS) & rows["value"].notna()]
    # Where a figure applies is part of its period, as on the page: figures of two regions
    # are two rows of the chart, not one line.
    regions = (
        salary["region"].fillna("").astype(str).tolist()
        if "region" in salary
        else [""] * len(salary)
    )
    periods = salary["period"].fillna("").astype(str).tolist()
    period = [period_and_region(p, r) for p, r in zip(periods, regions, strict=True)]
    source = salary["source"].fillna("").astype(str).tolist()
    # A chart row names its region only where the rows' regions differ.
    row_regions = regions if len(set(regions)) > 1 else [""] * len(regions)
    group = [
        source_row_label(s, p, r) for s, p, r in zip(source, periods, row_regions, strict=True)
    ]
    order = {label: i for i, label in enumerate(dict.fromkeys(group))}
    frame = pd.DataFrame(
        {
            "Figure": [METRIC_LABELS[m] for m in salary["metric"]],
            "Amount": [
                _money(v, u)
                for v, u in zip(salary["value"], salary["unit"].fillna(""), strict=True)
            ],
            "Period": period,
            "Source": source,
            "Value": salary["value"].astype(float).tolist(),
            "Short": [SALARY_SHORT_LABELS[m] for m in salary["metric"]],
            "Below": [m in _LABEL_BELOW for m in salary["metric"]],
            "Row": [_wrap(g, label_chars) for g in group],
            "_group": [order[g] for g in group],
        }
    )
    # one block per source and period, in order of first appearance; file order within
    frame = frame.sort_values("_group", kind="stable").drop(columns="_group")
    return frame.reset_index(drop=True)


SALARY_TABLE_COLUMNS = ["Figure", "Amount", "Period", "Source"]


def salary_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The salary figures among market `rows`: Figure, Amount (formatted $), Period, Source.

    Grouped by source and period in order of first appearance, figures in file order within.
    """
    return _salary_frame(rows)[SALARY_TABLE_COLUMNS]


def salary_chart(
    rows: pd.DataFrame, *, title: str = "Salary figures by source", narrow: bool = False
) -> alt.LayerChart:
    """Each source and period on its own row: a point per figure, labelled p10/median/…, and a
    line from the lowest to the highest figure of the row. Source and period are in the row
    label and in every tooltip; the amounts are in the tooltips and in `salary_table`.

    `narrow`: the same chart for a phone, each row's label above its line rather than in a
    margin that would leave the figures no room.
    """
    data = _salary_frame(salary_chart_rows(rows), NARROW_LABEL_CHARS if narrow else 48)
    table = data[SALARY_TABLE_COLUMNS]
    row_order = list(dict.fromkeys(data["Row"]))
    lines_per_row = max((label.count("\n") + 1 for label in row_order), default=1)
    row_height = max(46, 15 * lines_per_row + 4)
    # Narrow rows, top to bottom: the label's lines, the names above the points, the points,
    # the names below them. `shift` moves the figures from the row's middle to their place.
    shift = 0.0
    if narrow:
        label_height = NARROW_LINE_HEIGHT * lines_per_row
        row_height = label_height + 60
        shift = 12 + label_height + 26 - row_height / 2
    y = alt.Y(
        "Row:N",
        sort=row_order,
        axis=None
        if narrow
        else _axis(
            None,
            labelExpr="split(datum.label, '\\n')",
            labelLimit=320,
            labelPadding=6,
            labelBaseline="middle",
            # lines of a wrapped label run downwards from the tick: lift it to centre the block
            labelOffset={
                "condition": [
                    {"test": f"length(split(datum.label, '\\n')) == {n}", "value": -7 * (n - 1)}
                    for n in range(2, lines_per_row + 1)
                ],
                "value": 0,
            },
        ),
    )
    x = alt.X(
        "Value:Q",
        axis=_axis("Annual pay (US dollars)", format="$,.0f", tickCount=6),
        scale=alt.Scale(zero=True, nice=True),
    )
    tooltip = [
        alt.Tooltip("Figure:N"),
        alt.Tooltip("Amount:N"),
        alt.Tooltip("Period:N"),
        alt.Tooltip("Source:N"),
    ]
    ranges = (
        alt.Chart()
        .mark_rule(color=SKY, strokeWidth=3, yOffset=shift)
        .encode(x=alt.X("min(Value):Q"), x2=alt.X2("max(Value):Q"), y=y)
    )
    points = (
        alt.Chart()
        .mark_point(filled=True, size=70, color=BLUE, opacity=1, yOffset=shift)
        .encode(
            x=x,
            y=y,
            shape=alt.Shape(
                "Figure:N",
                legend=None,
                scale=alt.Scale(
                    domain=[METRIC_LABELS[m] for m in SALARY_SHORT_LABELS],
                    range=[
                        "triangle-right",
                        "circle",
                        "circle",
                        "diamond",
                        "square",
                        "circle",
                        "circle",
                        "triangle-right",
                        "triangle-left",
                        "triangle-left",
                    ],
                ),
            ),
            tooltip=tooltip,
        )
    )
    above = (
        alt.Chart()
        .transform_filter("!datum.Below")
        .mark_text(dy=-13, yOffset=shift, fontSize=LABEL_FONT - 2, color=BLACK, aria=False)
        .encode(x=x, y=y, text="Short:N")
    )
    below = (
        alt.Chart()
        .transform_filter("datum.Below")
        .mark_text(dy=14, yOffset=shift, fontSize=LABEL_FONT - 2, color=BLACK, aria=False)
        .encode(x=x, y=y, text="Short:N")
    )
    # Not every row's source: those are long, and the table beside the chart reads them out.
    description = (
        f"Dot plot of {len(table)} salary figures from {len(row_order)} sources or periods, one "
        "row each, on a scale of annual pay in US dollars. Each point is one figure, labelled "
        "with its name (p10 is the 10th percentile, p90 the 90th); a line joins the lowest and "
        "highest figure of a row. The same figures, with their sources and periods, are in "
        "the table beside the chart."
    )
    layers = [ranges, points, above, below]
    if narrow:
        names = (
            alt.Chart()
            .transform_aggregate(groupby=["Row"])
            .mark_text(
                align="left",
                baseline="top",
                lineBreak="\n",
                lineHeight=NARROW_LINE_HEIGHT,
                fontSize=LABEL_FONT - 1,
                color=BLACK,
                yOffset=12 - row_height / 2,
                aria=False,
            )
            .encode(x=alt.datum(0), y=y, text="Row:N")
        )
        layers.append(names)
    return alt.layer(*layers, data=data).properties(
        width=NARROW_CHART_WIDTH if narrow else CHART_WIDTH,
        height=alt.Step(row_height),
        title=_title(
            title,
            "Each row is one source and period."
            + (" Figures differ between sources." if data["Source"].nunique() > 1 else ""),
        ),
        description=description,
    )


# ---------------------------------------------------------------------------------------------
# Counselor's cohort view

HISTOGRAM_BINS = [(0, 9), (10, 19), (20, 29), (30, 39), (40, 49), (50, 59), (60, 69), (70, 79), (80, 89), (90, 100)]  # fmt: skip


def readiness_histogram_table(readiness: pd.Series) -> pd.DataFrame:
    """How many candidates scored in each ten-point readiness range: Readiness, Candidates."""
    values = pd.to_numeric(pd.Series(readiness), errors="coerce").dropna()
    counts = [
        int(((values >= low) & (values <= high + 0.999)).sum()) for low, high in HISTOGRAM_BINS
    ]
    return pd.DataFrame(
        {
            "Readiness": [f"{low}\u2013{high}" for low, high in HISTOGRAM_BINS],
            "Candidates": counts,
        }
    )


def readiness_histogram(readiness: pd.Series) -> alt.Chart:
    """Vertical bars: candidates per ten-point readiness range, each labelled with its count."""
    table = readiness_histogram_table(readiness)
    total = int(table["Candidates"].sum())
    x = alt.X(
        "Readiness:N",
        sort=list(table["Readiness"]),
        axis=_axis("Readiness score (0\u2013100)", labelAngle=0),
    )
    y = alt.Y("Candidates:Q", axis=_axis("Candidates", tickMinStep=1))
    tooltip = [alt.Tooltip("Readiness:N"), alt.Tooltip("Candidates:Q")]
    bars = alt.Chart().mark_bar(color=BLUE).encode(x=x, y=y, tooltip=tooltip)
    labels = (
        alt.Chart()
        .mark_text(dy=-7, fontSize=LABEL_FONT - 1, color=BLACK, aria=False)
        .encode(x=x, y=y, text="Candidates:Q")
    )
    # Every range of the highest count: naming only the first of a tie would tell a screen
    # reader that one range stands out when it does not.
    busiest = list(table.loc[table["Candidates"] == table["Candidates"].max(), "Readiness"])
    if not total:
        most_common = ""
    elif len(busiest) == 1:
        most_common = f"; the most common range is {busiest[0]}"
    else:
        most_common = f"; the most common ranges are {', '.join(busiest[:-1])} and {busiest[-1]}"
    description = (
        f"Histogram of the readiness scores of {total} candidates in ten-point ranges from 0 to "
        "100, each bar labelled with its count"
        + most_common
        + ". The same counts are in the table beside the chart."
    )
    return alt.layer(bars, labels, data=table).properties(
        width=CHART_WIDTH,
        height=220,
        title=_title("Readiness scores of the cohort", f"{total} candidates"),
        description=description,
    )


def mean_gap_table(df: pd.DataFrame) -> pd.DataFrame:
    """`df` has columns `competency` (title) and `mean_gap`; returns Competency, Mean gap,
    largest gap first (ties keep `df`'s order), gaps rounded to 2 decimals."""
    table = pd.DataFrame(
        {
            "Competency": df["competency"].astype(str).to_numpy(),
            "Mean gap": [float(round(v, 2)) for v in df["mean_gap"].astype(float)],
        }
    )
    return table.sort_values("Mean gap", ascending=False, kind="stable").reset_index(drop=True)


def mean_gap_chart(df: pd.DataFrame) -> alt.LayerChart:
    """Horizontal bars of the cohort's mean gap to target per competency, largest first."""
    table = mean_gap_table(df)
    data = table.copy()
    # The figure goes with the name above the bar: nothing needs room right of the bars.
    data["Name"] = [f"{c}: {g:.2f}" for c, g in zip(data["Competency"], data["Mean gap"], strict=True)]  # fmt: skip
    order = list(dict.fromkeys(data["Competency"]))
    y = alt.Y("Competency:N", sort=order, axis=None)
    x = alt.X("Mean gap:Q", axis=_axis("Mean gap to target (levels)"), scale=alt.Scale(zero=True))
    tooltip = [alt.Tooltip("Competency:N"), alt.Tooltip("Mean gap:Q", format=".2f")]
    bars = (
        alt.Chart()
        .mark_bar(color=ORANGE, height=COMPETENCY_BAR, yOffset=BELOW_NAME)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    labels = _row_names("Name", y)
    description = (
        f"Horizontal bar chart of the mean gap between the cohort's level and the target in "
        f"{len(table)} competencies, largest first: "
        + "; ".join(
            f"{c} {g:.2f}" for c, g in zip(table["Competency"], table["Mean gap"], strict=True)
        )
        + ". The same figures are in the table beside the chart."
    )
    return alt.layer(bars, labels, data=data).properties(
        width=CHART_WIDTH,
        height=alt.Step(COMPETENCY_ROW),
        title=_title("Where the cohort is furthest from the target", "Mean gap, largest first"),
        description=description,
    )


def requirement_missing_table(df: pd.DataFrame) -> pd.DataFrame:
    """`df` has columns `requirement` (title), `unmet` and `unknown` (candidate counts) and,
    optionally, `candidates` (the cohort size). Returns Requirement, Unmet, Unknown and, with
    `candidates`, "Missing (%)": the share not met or not known, most missing first."""
    table = pd.DataFrame(
        {
            "Requirement": df["requirement"].astype(str).to_numpy(),
            "Unmet": df["unmet"].astype(int).to_numpy(),
            "Unknown": df["unknown"].astype(int).to_numpy(),
        }
    )
    if "candidates" in df:
        total = df["candidates"].astype(float).to_numpy()
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(total > 0, 100 * (table["Unmet"] + table["Unknown"]) / total, 0.0)
        table["Missing (%)"] = [float(round(v, 1)) for v in share]
    missing = table["Unmet"] + table["Unknown"]
    order = missing.sort_values(ascending=False, kind="stable").index
    return table.loc[order].reset_index(drop=True)


def requirement_missing_chart(df: pd.DataFrame) -> alt.LayerChart:
    """Stacked horizontal bars per must-have: candidates for whom it is unmet, then unknown."""
    table = requirement_missing_table(df)
    data = table.copy()
    data["Missing"] = data["Unmet"] + data["Unknown"]
    data["Label"] = [
        f"{u} unmet, {k} unknown" for u, k in zip(data["Unmet"], data["Unknown"], strict=True)
    ]
    # Name and counts on two lines: on one, a long must-have would run past a phone's edge.
    data["Name"] = [f"{r}\n{lab}" for r, lab in zip(data["Requirement"], data["Label"], strict=True)]  # fmt: skip
    order = list(dict.fromkeys(data["Requirement"]))
    y = alt.Y("Requirement:N", sort=order, axis=None)
    status_order = ["Unmet", "Unknown"]
    bars = (
        alt.Chart()
        .transform_fold(status_order, as_=["Status", "Candidates"])
        .transform_filter("datum.Candidates > 0")
        .transform_calculate(status_rank="datum.Status === 'Unmet' ? 0 : 1")
        .mark_bar(height=COMPETENCY_BAR, stroke=BLACK, strokeWidth=0.5, yOffset=BELOW_NAME)
        .encode(
            x=alt.X("Candidates:Q", stack="zero", axis=_axis("Candidates", tickMinStep=1)),
            y=y,
            color=alt.Color(
                "Status:N",
                scale=alt.Scale(domain=status_order, range=[VERMILLION, SKY]),
                legend=alt.Legend(title="Must-have", orient="bottom", labelFontSize=LABEL_FONT),
            ),
            order=alt.Order("status_rank:Q"),
            tooltip=[
                alt.Tooltip("Requirement:N"),
                alt.Tooltip("Status:N"),
                alt.Tooltip("Candidates:Q"),
            ],
        )
    )
    labels = _row_names("Name", y, lines=2)  # the counts go with the name, above the bar
    description = (
        f"Stacked bar chart of {len(table)} must-have requirements: for each, how many "
        "candidates do not meet it (unmet, first segment) and how many did not answer enough to "
        "tell (unknown, second segment), most missing first: "
        + "; ".join(
            f"{r}: {lab}" for r, lab in zip(data["Requirement"], data["Label"], strict=True)
        )
        + ". The same counts are in the table beside the chart."
    )
    return alt.layer(bars, labels, data=data).properties(
        width=CHART_WIDTH,
        height=alt.Step(COMPETENCY_ROW + LABEL_FONT + 2),
        title=_title("Must-haves not met", "Unmet or not known, most missing first"),
        description=description,
    )


# ---------------------------------------------------------------------------------------------
# Change between two attempts (one candidate) or first and latest attempts (a cohort)


def _change_chart(
    table: pd.DataFrame,
    before: str,
    after: str,
    *,
    title: str,
    subtitle: str,
    description: str,
    labels: Sequence[str] | None = None,
) -> alt.LayerChart:
    data = table.copy()
    data["Label"] = (
        list(labels)
        if labels is not None
        else ["new" if math.isnan(c) else _signed(c) for c in data["Change"].astype(float)]
    )
    data["Label at"] = data[[before, after]].max(axis=1)
    order = list(dict.fromkeys(data["Competency"]))
    # Names stand above their bars, across the whole width, rather than in a left margin that
    # would leave a phone no room for the bars.
    y = alt.Y("Competency:N", sort=order, axis=None)
    # Room right of level 4 for the value labels.
    x_scale = alt.Scale(domain=[0, MAX_LEVEL + 0.9], nice=False)
    x_axis = _axis("Level (0 = none, 4 = expert)", values=[0, 1, 2, 3, 4], format="d")
    legend = alt.Legend(title=None, orient="bottom", labelFontSize=LABEL_FONT, symbolStrokeWidth=2)
    tooltip = [
        alt.Tooltip("Competency:N"),
        alt.Tooltip(f"{before}:Q", format=".2f"),
        alt.Tooltip(f"{after}:Q", format=".2f"),
        alt.Tooltip("Change:Q", format="+.2f"),
    ]
    rule = (
        alt.Chart()
        .mark_rule(color="#555555", strokeWidth=2, yOffset=BELOW_NAME)
        .encode(x=alt.X(f"{before}:Q", scale=x_scale, axis=x_axis), x2=f"{after}:Q", y=y)
    )
    points = (
        alt.Chart()
        .transform_fold([before, after], as_=["Attempt", "Level"])
        .mark_point(size=90, strokeWidth=2, opacity=1, yOffset=BELOW_NAME)
        .encode(
            x=alt.X("Level:Q", scale=x_scale, axis=x_axis),
            y=y,
            shape=alt.Shape(
                "Attempt:N",
                scale=alt.Scale(domain=[before, after], range=["circle", "diamond"]),
                legend=legend,
            ),
            color=alt.Color(
                "Attempt:N",
                scale=alt.Scale(domain=[before, after], range=[SKY, BLUE]),
                legend=legend,
            ),
            fill=alt.Fill(
                "Attempt:N",
                scale=alt.Scale(domain=[before, after], range=["white", BLUE]),
                legend=legend,
            ),
            tooltip=tooltip,
        )
    )
    labels = (
        alt.Chart()
        .mark_text(
            align="left", dx=9, fontSize=LABEL_FONT - 1, color=BLACK, yOffset=BELOW_NAME, aria=False
        )
        .encode(x=alt.X("Label at:Q", scale=x_scale), y=y, text="Label:N")
    )
    names = _row_names("Competency", y)
    return alt.layer(rule, points, labels, names, data=data).properties(
        width=CHART_WIDTH,
        height=alt.Step(COMPETENCY_ROW),
        title=_title(title, subtitle),
        description=description,
    )


PREVIOUS, CURRENT = "Last time", "This time"


def change_since_last_table(previous: ScoreResult, current: ScoreResult) -> pd.DataFrame:
    """Per competency of `current` (in `competency_table` order): Competency, Last time, This
    time, Change, Target. A competency the earlier attempt did not have gets an empty Last time
    and Change."""
    before = {c.id: c for c in previous.competencies}
    ordered = in_plan_order(current.competencies)
    last = [before[c.id].level_rounded if c.id in before else math.nan for c in ordered]
    now = [c.level_rounded for c in ordered]
    return pd.DataFrame(
        {
            "Competency": [c.title for c in ordered],
            PREVIOUS: last,
            CURRENT: now,
            "Change": [
                round(n - p, 2) if not math.isnan(p) else math.nan
                for p, n in zip(last, now, strict=True)
            ],
            "Target": [float(c.target) for c in ordered],
        }
    )


def change_since_last_chart(previous: ScoreResult, current: ScoreResult) -> alt.LayerChart:
    """Per competency, a hollow circle at last time's level and a filled diamond at this time's,
    joined by a line and labelled with the change (+0.50, −0.33, no change)."""
    table = change_since_last_table(previous, current)
    earlier = {c.id: c for c in previous.competencies}
    ordered = in_plan_order(current.competencies)
    labels = []
    for competency, change in zip(ordered, table["Change"], strict=True):
        before = earlier.get(competency.id)
        if not competency.assessed:
            # Beside last time's marker when that one was assessed: say which attempt lacks it.
            was_assessed = before is not None and before.assessed
            labels.append("not assessed this time" if was_assessed else "not assessed")
        elif before is None or not before.assessed:
            labels.append("first assessed now")
        else:
            labels.append(_signed(change))
    changes = table["Change"].dropna()
    up, down = int((changes >= 0.005).sum()), int((changes <= -0.005).sum())
    score_change = current.readiness - previous.readiness
    description = (
        f"Dot plot comparing your level in {len(table)} competencies last time (hollow circle) "
        f"and this time (filled diamond), on a scale of 0 to 4. {up} went up, {down} went down. "
        f"Your readiness went from {previous.readiness} to {current.readiness} "
        f"({_signed_int(score_change)}). "
        "The same figures are in the table beside the chart."
    )
    return _change_chart(
        table,
        PREVIOUS,
        CURRENT,
        title="What changed since last time",
        subtitle=f"Readiness {previous.readiness} \u2192 {current.readiness}",
        description=description,
        labels=labels,
    )


FIRST, LATEST = "First attempt", "Latest attempt"


def change_table(df: pd.DataFrame) -> pd.DataFrame:
    """`df` has columns `competency` (title), `before` and `after`: the cohort's mean level at
    its first and latest attempts. Returns Competency, First attempt, Latest attempt, Change
    (levels rounded to 2 decimals), in `df`'s order."""
    first = [float(round(v, 2)) for v in df["before"].astype(float)]
    latest = [float(round(v, 2)) for v in df["after"].astype(float)]
    return pd.DataFrame(
        {
            "Competency": df["competency"].astype(str).to_numpy(),
            FIRST: first,
            LATEST: latest,
            "Change": [round(b - a, 2) for a, b in zip(first, latest, strict=True)],
        }
    )


def change_chart(df: pd.DataFrame) -> alt.LayerChart:
    """The cohort's mean level per competency at first and latest attempt (see `change_table`)."""
    table = change_table(df)
    description = (
        f"Dot plot of the cohort's mean level in {len(table)} competencies at the first attempt "
        "(hollow circle) and the latest attempt (filled diamond), on a scale of 0 to 4, each "
        "labelled with the change: "
        + "; ".join(
            f"{c} {_signed(v)}" for c, v in zip(table["Competency"], table["Change"], strict=True)
        )
        + ". The same figures are in the table beside the chart."
    )
    return _change_chart(
        table,
        FIRST,
        LATEST,
        title="How the cohort's levels changed",
        subtitle="Mean level at the first and the latest attempt",
        description=description,
    )


# ---------------------------------------------------------------------------------------------
# Charts as images: the candidate's pages and the PDF report

# Marks, axes and legends inside an image are out of a screen reader's reach: the chart's
# description is the image's text alternative instead, and without them the SVG is a third
# smaller.
_NO_ARIA = ("mark", "axis", "legend")


def description_of(chart: alt.TopLevelMixin) -> str:
    """The chart's `description`: its text alternative wherever it is shown as an image."""
    description = getattr(chart, "description", None)
    return description if isinstance(description, str) else ""


# What the renderer cannot take in a text: the control characters XML refuses (it draws text
# through SVG, and a failure there ends the whole process), lone surrogates, and the line and
# paragraph separators, which its JavaScript engine refuses in an expression. Content may hold
# any of them (YAML's "\a", "\u2028"); each is drawn as a space.
_UNRENDERABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff\u2028\u2029]")


def _renderable(value: object) -> object:
    """`value` (a spec, or any part of it) with every text the renderer can take."""
    if isinstance(value, str):
        return _UNRENDERABLE.sub(" ", value)
    if isinstance(value, dict):
        return {key: _renderable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_renderable(item) for item in value]
    return value


def _image_spec(chart: alt.TopLevelMixin) -> dict:
    # No schema validation: tests/test_charts.py validates every builder's output.
    spec = _renderable(chart.to_dict(validate=False))
    config = spec.setdefault("config", {})
    for part in _NO_ARIA:
        config[part] = {**config.get(part, {}), "aria": False}
    return spec


def chart_svg(chart: alt.TopLevelMixin) -> str:
    """The chart rendered to SVG on this machine, as the PDF report prints it."""
    import vl_convert  # its JavaScript engine starts on first use: see `warm_up_renderer`

    return vl_convert.vegalite_to_svg(_image_spec(chart))


def chart_png(chart: alt.TopLevelMixin, scale: float = 2) -> bytes:
    """The chart rendered to PNG (`scale` image pixels per CSS pixel), for the PDF report."""
    import vl_convert

    return vl_convert.vegalite_to_png(_image_spec(chart), scale=scale)


def warm_up_renderer() -> None:
    """Start the renderer's JavaScript engine (about half a second, once per process), so the
    first candidate to reach their results does not wait for it."""
    import vl_convert

    vl_convert.vegalite_to_svg({"mark": "point", "data": {"values": [{}]}})
