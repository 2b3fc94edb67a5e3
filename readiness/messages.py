"""Every problem the content checks can report, as a stable code with a message template.

Tests and the authoring guide refer to the codes; the wording lives here only.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import TypeVar

K = TypeVar("K")


class ErrorCode(Enum):
    # Reading the file
    FILE_UNREADABLE = "cannot read the file: {reason}"
    FILE_TOO_LARGE = "the file is {size} bytes; content files may be at most {limit} bytes"
    ANSWERS_TOO_LARGE = "the file is {size} bytes; answer files may be at most {limit} bytes"
    NOT_UTF8 = "the file is not UTF-8 text (byte {byte} at offset {offset}); save it as UTF-8"
    FILE_EMPTY = "the file is empty; start it with `format: {expected}`"
    YAML_SYNTAX = "YAML syntax error: {problem}"
    JSON_SYNTAX = "JSON syntax error: {problem}"
    YAML_TAB = "a tab is used for indentation; YAML allows only spaces"
    YAML_TAG = "the tag {tag} is not allowed; content files hold plain data only"
    YAML_ALIAS_BUDGET = "the aliases (*name) here repeat more than {limit} values; write them out"
    YAML_ALIAS_LOOP = "this alias (*name) refers to a value that contains it"
    YAML_MERGE = "a merge key (<<) takes a mapping or a list of mappings, not {got}"
    DUPLICATE_KEY = "duplicate key {key!r} (first at line {first_line}); each key may appear once"
    NOT_A_MAPPING = "the file must be a mapping of keys (such as `format:`), not {got}"
    MULTIPLE_DOCUMENTS = "the file holds more than one YAML document; keep one per file"
    KEY_NOT_TEXT = "keys must be plain words, not {got}"
    HALF_CHARACTER = (
        "the text holds {escape}, half of a character pair (a lone surrogate), which is not "
        "a character; write the whole character"
    )

    # Format
    FORMAT_MISSING = "format is required: add `format: {expected}` at the top"
    FORMAT_UNKNOWN = "unknown format {got!r}; expected one of {expected}"
    FORMAT_NEWER = "format {got!r} is newer than this app understands (it reads {expected})"
    FORMAT_MISMATCH = "this folder holds {expected} files, but the file says format {got!r}{hint}"
    NOT_ANSWERS = (
        "this is not an answers file: it says format {got!r}, where an answers file says {expected}"
    )

    # Structure (from the schema)
    MISSING = "{field} is required"
    UNKNOWN_KEY = "unknown key {key!r}{hint}"
    WRONG_TYPE = "{field} must be {expected} (got {got})"
    TOO_FEW = "{field} needs at least {minimum} item(s) (got {got})"
    OUT_OF_RANGE = "{field} must be {bound} (got {got})"
    BAD_CHOICE = "{field} must be one of {expected} (got {got})"
    BAD_ID = (
        "{got!r} is not a valid id: use lowercase letters, digits and '-', starting with a letter"
    )
    EMPTY_TEXT = "{field} must not be empty"

    # Meaning, within one file
    DUPLICATE_ID = "duplicate {what} id {id!r} (first at line {first_line})"
    DUPLICATE_VALUE = (
        "duplicate {what} {value!r} (first at line {first_line}); values must be distinct"
    )
    UNKNOWN_SCALE = "scale {name!r} is not defined under `scales`{hint}"
    MISSING_FOR_TYPE = "{field} is required for a {type} question"
    NOT_FOR_TYPE = "{field} does not apply to a {type} question; remove it"
    LEVEL_REQUIRED = (
        "level is required on every option because the question measures {competency!r}"
    )
    LEVELS_REQUIRED = "levels is required because the number question measures {competency!r}"
    LEVELS_NOT_ASCENDING = (
        "levels must have strictly ascending at_least values ({got} follows {previous})"
    )
    MIN_ABOVE_MAX = "min ({min}) must not be greater than max ({max})"
    BANDS_NOT_DESCENDING = "bands must be listed highest first: at_least {got} follows {previous}"
    BANDS_NOT_ENDING_AT_ZERO = (
        "the last band must have at_least: 0 (got {got}), so every score has a band"
    )

    # Conditions
    CONDITION_SHAPE = "a condition must be one of {forms} (got {got})"
    CONDITION_UNKNOWN_QUESTION = "{target!r} is not a question{where}"
    CONDITION_LATER_QUESTION = (
        "{target!r} is defined later (line {line}); a condition may only use earlier questions"
    )
    CONDITION_SELF = "a question's show_if cannot test the question itself"
    CONDITION_TYPE_MISMATCH = "{test} does not apply to a {type} question {target!r}; {advice}"
    CONDITION_BAD_VALUE = "{got!r} is not a possible answer of {target!r}; expected {expected}"
    CONDITION_REFERENCE_FORM = (
        "in a role profile, write the question as QUESTIONNAIRE_ID.QUESTION_ID (got {got!r})"
    )

    # Across files
    DUPLICATE_CONTENT_ID = "{what} id {id!r} is already used by {other}"
    DRAFT_ID_TAKEN = (
        "{what} id {id!r} is already used by {other}: to change that file, open it in the "
        "editor; for a new {what}, choose another id"
    )
    UNKNOWN_COMPETENCY = "measures {competency!r}, which no role profile defines{hint}"
    UNKNOWN_QUESTIONNAIRE = "there is no questionnaire {id!r} in the content{hint}"

    # Market CSV
    CSV_HEADER = "the header must be {expected}; {problem}"
    CSV_FIELD_COUNT = "the row has {got} fields; the header has {expected}{hint}"
    CSV_REQUIRED = "{column} is required on every row"
    CSV_EMPTY = "the file is empty; start it with the header line {expected}"
    CSV_SYNTAX = "CSV syntax error: {problem}"
    CSV_NUMBER = "value must be a number such as 65000 or 8.5 (got {got!r})"
    CSV_METRIC = "metric {got!r} is not one of {expected}"
    CSV_NEGATIVE = "{metric} cannot be negative (got {got})"

    # Answer sets
    ANSWER_UNKNOWN_QUESTIONNAIRE = "there is no questionnaire {id!r} in the content{hint}"
    ANSWER_UNKNOWN_QUESTION = "questionnaire {questionnaire!r} has no question {id!r}"
    ANSWER_BAD_VALUE = "{got!r} is not a valid answer to {id!r}: {expected}"
    # Saving content
    VERSION_NOT_CHANGED = (
        "questionnaire {id!r} changed but still says version {version!r}; give it a new version "
        "(for example {suggestion!r}) so saved answers keep the version they were taken with"
    )

    # Spreadsheets (`import-xlsx`, readiness.xlsform)
    XLSX_NOT_WORKBOOK = (
        "this is not an .xlsx workbook: {reason}; save it from your spreadsheet program "
        "as an Excel Workbook (.xlsx)"
    )
    XLSX_TOO_MANY_ROWS = (
        "the {sheet} sheet has more than {limit} filled rows; split the questionnaire"
    )
    XLSX_SHEET_MISSING = "the workbook has no sheet named {sheet!r}{hint}"
    XLSX_SHEET_EMPTY = "the {sheet} sheet has no {what}; {advice}"
    XLSX_COLUMN_MISSING = "the {sheet} sheet has no column {column!r}; add it to the header row"
    XLSX_UNKNOWN_COLUMN = "unknown column {column!r} in the {sheet} sheet{hint}"
    XLSX_DUPLICATE_COLUMN = "column {column!r} appears twice in the header row (first in {first})"
    XLSX_NO_HEADER = "this column has values but no name in the header row; name it or clear it"
    XLSX_FORMULA = "formulas are not supported ({formula}); copy the cells and paste values"
    XLSX_MERGED_CELLS = "merged cells {cells} are not supported; unmerge them and fill each cell"
    XLSX_CELL_VALUE = "{column} holds {what}; {advice}"
    XLSX_SETTINGS_ROWS = (
        "the settings sheet needs exactly one row of values under its header (found {got})"
    )
    XLSX_UNKNOWN_TYPE = "unknown type {got!r}{hint}; use one of: {expected}"
    XLSX_UNKNOWN_LIST = "there is no {what} {name!r} in the {sheet} sheet{hint}"
    XLSX_NOT_FOR_ROW = "{column} does not apply to a {row_type} row; clear the cell"
    XLSX_OUTSIDE_SECTION = (
        "this question is not inside a section; add a `begin section` row above it"
    )
    XLSX_SECTION_NESTED = (
        "sections cannot be nested: end section {id!r} (begun on row {row}) with an "
        "`end section` row first"
    )
    XLSX_SECTION_NOT_ENDED = (
        "section {id!r} has no `end section` row; add one after its last question"
    )
    XLSX_SECTION_NOT_BEGUN = "this `end section` row has no `begin section` row above it"

    def format(self, **values: object) -> str:
        return self.value.format(**{name: _AsWritten.wrap(v) for name, v in values.items()})


class _AsWritten:
    """A value in a message, spelled as in a content file: `true`, not Python's `True`."""

    def __init__(self, value: object):
        self.value = value

    @classmethod
    def wrap(cls, value: object) -> object:
        # Only what Python spells differently from YAML; text and whole numbers are left be.
        if value is None or isinstance(value, (bool, float, list)):
            return cls(value)
        return value

    def __repr__(self) -> str:
        value = self.value
        if value is None:
            return "null"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float):
            # Read as a number, an author's `1` is 1.0; show it as written.
            return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
        if isinstance(value, list):
            return "[" + ", ".join(repr(self.wrap(item)) for item in value) + "]"
        return repr(value)

    def __str__(self) -> str:
        return repr(self)

    def __format__(self, spec: str) -> str:
        return format(self.value, spec) if spec else str(self)


@dataclass(frozen=True, order=True)
class Issue:
    """One located problem in one file. Sorts by file, then line."""

    file: str
    line: int
    loc: str
    code: ErrorCode = field(compare=False)
    message: str = field(compare=False)

    def __str__(self) -> str:
        # `PATH:LINE: field.path: message`; a problem of the whole file (unreadable, empty,
        # a syntax error) has no field, and says `file` in its place.
        return f"{self.file}:{self.line}: {self.loc or 'file'}: {self.message}"


def describe(value: object) -> str:
    """A short description of a value as the author wrote it."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    # Empty ones are told apart: "must be a non-empty list (got a list)" puzzles an author.
    if isinstance(value, dict):
        return "a mapping" if value else "an empty mapping"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def loc_to_dot(loc: tuple[str | int, ...]) -> str:
    """`('sections', 1, 'questions', 3, 'weight')` -> `sections[1].questions[3].weight`."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif text:
            text += f".{part}"
        else:
            text = str(part)
    return text


class ContentError(Exception):
    """Raised where one call needs a single answer but the input has located problems."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__("\n".join(str(issue) for issue in issues))


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """The hint "; did you mean 'x'?" with the known name closest to `name`, or "" if none is."""
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def counted(count: float, noun: str) -> str:
    """A count with its noun, singular for exactly one: "1 question", "3 questions",
    "0.5 minutes". The noun takes an "s" for the plural."""
    shown = f"{int(count)}" if float(count).is_integer() else f"{count:g}"  # not 1e+06
    return f"{shown} {noun}{'' if count == 1 else 's'}"


def distinct_labels(choices: Iterable[tuple[K, str, str | Callable[[], str]]]) -> dict[K, str]:
    """What each choice `(key, label, tag)` is called, by key, no two alike: a label two
    choices share gets the choice's tag (its id or value) added in brackets. A tag may be a
    function giving it, called only for such a label (in a long list, most need none).

    Content may give two roles, sections or options one title, and a picker that shows them
    alike is no use to a reader; Streamlit also tells a widget's choices apart by what they
    show (of two alike, the last wins). A label with its tag may still read as another
    choice's own ("X (c)" beside "X" tagged c): those add their place in the list, 1 first,
    until every name differs."""
    choices = list(choices)
    counts = Counter(label for _, label, _ in choices)
    names = {
        key: label if counts[label] == 1 else f"{label} ({tag() if callable(tag) else tag})"
        for key, label, tag in choices
    }
    # Each round lengthens only names still alike, which then differ among themselves by
    # their places; a name can clash again only with a longer one, so this ends.
    while len(set(names.values())) < len(names):
        clashing = Counter(names.values())
        for place, (key, _, _) in enumerate(choices, start=1):
            if clashing[names[key]] > 1:
                names[key] = f"{names[key]} #{place}"
    return names
