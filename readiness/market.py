"""Market figures (`data/market/*.csv`): salary and outlook rows, each with its source.

Two sources may disagree; both rows are kept and shown side by side.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

from readiness.messages import ErrorCode, Issue

COLUMNS = ("role", "metric", "value", "unit", "period", "region", "source", "url", "retrieved")
REQUIRED = ("role", "metric", "value", "source")
METRICS = (
    "salary_p10",
    "salary_p25",
    "salary_median",
    "salary_p75",
    "salary_p90",
    "salary_mean",
    "salary_low",
    "salary_high",
    "salary_entry",
    "salary_senior",
    "growth_pct",
    "employment",
)
SALARY_METRICS = tuple(m for m in METRICS if m.startswith("salary_"))
METRIC_LABELS = {
    "salary_p10": "10th percentile",
    "salary_p25": "25th percentile",
    "salary_median": "Median",
    "salary_p75": "75th percentile",
    "salary_p90": "90th percentile",
    "salary_mean": "Mean",
    "salary_low": "Low end of range",
    "salary_high": "High end of range",
    "salary_entry": "Entry level",
    "salary_senior": "Experienced",
    "growth_pct": "Employment growth",
    "employment": "Employment",
}


@dataclass
class MarketFile:
    """The valid rows of one CSV (plain records, so checking files needs no pandas) and its issues."""

    records: list[dict[str, Any]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def number_as_given(value: float) -> str:
    """A market figure's number as its source gives it, with thousands separators and no
    rounding: 65360 -> "65,360", 72000.5 -> "72,000.5", 23.5 -> "23.5"."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")


UNIT_NOT_GIVEN = "(unit not given)"  # beside a figure whose row has no unit


def amount_as_given(value: float) -> str:
    """A sum of money as its source gives it: "65,360", "72,000.50" (cents in two digits)."""
    text = number_as_given(value)
    whole, _, cents = text.partition(".")
    return f"{whole}.{cents}0" if len(cents) == 1 else text


def period_and_region(period: str | None, region: str | None) -> str:
    """When and where a figure applies, as one text ("May 2024, Texas"), the same on the
    page, in its tables, charts and the PDF."""
    return ", ".join(part for part in (period, region) if part)


def market_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    """Market rows as a DataFrame with the CSV's columns plus `line` and `file`."""
    import pandas as pd  # only where figures are shown, so `validate` starts fast

    if not records:
        return empty_market()
    return pd.DataFrame.from_records(records)


def empty_market() -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame({column: pd.Series(dtype="object") for column in COLUMNS})
    frame["value"] = frame["value"].astype(float)
    frame["line"] = pd.Series(dtype=int)
    frame["file"] = pd.Series(dtype="object")
    return frame


def parse_market_csv(text: str, file: str) -> MarketFile:
    """Rows of one market CSV with their line numbers, and a located issue per broken row."""
    issues: list[Issue] = []

    def add(line: int, loc: str, code: ErrorCode, **values: object) -> None:
        issues.append(Issue(file, line, loc, code, code.format(**values)))

    if not text.strip():
        add(1, "header", ErrorCode.CSV_EMPTY, expected=",".join(COLUMNS))
        return MarketFile([], issues)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except csv.Error as error:
        add(1, "", ErrorCode.CSV_SYNTAX, problem=error)
        return MarketFile([], issues)
    written, header = header, [name.strip() for name in header]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if missing or unknown or duplicated or tuple(written) != COLUMNS:
        problems = []
        # The format gives the header as one line, to the letter: the names in its order,
        # with nothing around them.
        if not (missing or unknown or duplicated):
            if tuple(header) != COLUMNS:
                problems.append("the same names, in another order")
            else:
                problems.append("no spaces around the names")
        if missing:
            problems.append("missing " + ", ".join(missing))
        if unknown:
            problems.append("unknown " + ", ".join(unknown))
        if duplicated:
            problems.append("repeated " + ", ".join(duplicated))
        if len(header) == 1 and ";" in header[0]:
            problems.append("separate the columns with commas, not semicolons")
        add(
            1,
            "header",
            ErrorCode.CSV_HEADER,
            expected=",".join(COLUMNS),
            problem="; ".join(problems),
        )
        return MarketFile([], issues)

    records = []
    line = reader.line_num + 1
    try:
        for fields in reader:
            start, line = line, reader.line_num + 1
            if not any(field.strip() for field in fields):
                continue
            if len(fields) != len(header):
                hint = (
                    "; a field that holds a comma must be in double quotes"
                    if len(fields) > len(header)
                    else ""
                )
                add(
                    start,
                    "row",
                    ErrorCode.CSV_FIELD_COUNT,
                    got=len(fields),
                    expected=len(header),
                    hint=hint,
                )
                continue
            # A quoted field may span lines (valid CSV): its line breaks are spaces on screen.
            row = dict(zip(header, (" ".join(field.split()) for field in fields), strict=True))
            broken = False
            for column in REQUIRED:
                if not row[column]:
                    add(start, column, ErrorCode.CSV_REQUIRED, column=column)
                    broken = True
            if row["metric"] and row["metric"] not in METRICS:
                add(
                    start,
                    "metric",
                    ErrorCode.CSV_METRIC,
                    got=row["metric"],
                    expected=", ".join(METRICS),
                )
                broken = True
            number = _number(row["value"])
            if row["value"] and number is None:
                add(start, "value", ErrorCode.CSV_NUMBER, got=row["value"])
                broken = True
            elif number is not None and number < 0 and row["metric"] != "growth_pct":
                add(start, "value", ErrorCode.CSV_NEGATIVE, metric=row["metric"], got=row["value"])
                broken = True
            if not broken:
                records.append({**row, "value": number, "line": start, "file": file})
    except csv.Error as error:
        add(line, "", ErrorCode.CSV_SYNTAX, problem=error)
    return MarketFile(records, issues)


def _number(text: str) -> float | None:
    try:
        number = float(text) if text else None
    except ValueError:
        return None
    if number is None or not math.isfinite(number):
        return None
    return number


def figures_for(market: pd.DataFrame, role: str) -> pd.DataFrame:
    """The rows of one market role, with readable labels, in the file's order."""
    rows = market[market["role"] == role].copy()
    rows["label"] = rows["metric"].map(METRIC_LABELS)
    return rows.reset_index(drop=True)
