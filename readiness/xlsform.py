"""Spreadsheets to questionnaires: the XLSForm habit (ODK, KoboToolbox) for our `questionnaire/1`.

A workbook has a `settings` sheet (one row: id, title, version, ...), a `survey` sheet (one row per
question, between `begin section` and `end section` rows), and, when questions need them, a
`choices` sheet (option lists) and a `scales` sheet (rating scales). docs/authoring.md describes
the layout for authors. The converter builds the YAML an author would have written, checks it with
the same code as every content file, and reports each problem at the sheet, row and column where
the author can fix it. Nothing here raises on bad input.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import logging
import re
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from readiness.content import QUESTIONNAIRE_DIR, default_root, load_content
from readiness.loader import parse_document
from readiness.messages import ErrorCode, Issue, did_you_mean
from readiness.schema import QUESTIONNAIRE_FORMAT
from readiness.yamlsafe import EXPONENT_NUMBER, Loc, parse_yaml

logger = logging.getLogger(__name__)

MAX_WORKBOOK_BYTES = 5 * 1024 * 1024
# A small .xlsx can unpack to a very large one, which openpyxl reads whole into memory before
# any row limit applies (one of 48 MB took about 20 s). A full questionnaire (MAX_ROWS rows of
# long labels and hints) unpacks to about 1.2 MB.
MAX_UNPACKED_BYTES = 10 * 1024 * 1024
MAX_ROWS = 2000

SETTINGS, SURVEY, CHOICES, SCALES = "settings", "survey", "choices", "scales"
SHEET_ORDER = (SETTINGS, SURVEY, CHOICES, SCALES)

# Column names of each sheet: (required, optional).
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    SETTINGS: (("id", "title", "version"), ("description", "estimated_minutes")),
    SURVEY: (
        ("type", "id", "prompt"),
        ("help", "required", "show_if", "measures", "weight")
        + ("scale", "min", "max", "yes_level", "levels"),
    ),
    CHOICES: (("list", "value", "label"), ("level",)),
    SCALES: (("scale", "value", "label"), ("hint",)),
}
# Cells that hold numbers; numbers typed as text ("3") are read as numbers.
NUMBER_COLUMNS = {
    SETTINGS: {"estimated_minutes"},
    SURVEY: {"weight", "min", "max", "yes_level"},
    CHOICES: {"level"},
    SCALES: {"value"},
}
# Cells that hold text: a number or TRUE/FALSE typed there (a scale labelled 1 to 5) is the text
# the cell shows, since a spreadsheet has no quotes to make it text.
TEXT_COLUMNS = {
    SETTINGS: {"title", "description"},
    SURVEY: {"prompt", "help"},
    CHOICES: {"label"},
    SCALES: {"label", "hint"},
}
# XLSForm names an author may bring along, and ours.
XLSFORM_NAMES = {
    "name": "id",
    "label": "prompt",
    "hint": "help",
    "relevant": "show_if",
    "list_name": "list",
    "form_id": "id",
    "form_title": "title",
}
XLSFORM_TYPES = {
    "select_one": "single_choice LIST",
    "select_multiple": "multiple_choice LIST",
    "integer": "number",
    "decimal": "number",
    "range": "rating SCALE",
    "note": "text",
    "begin group": "begin section",
    "begin_group": "begin section",
    "end group": "end section",
    "end_group": "end section",
}
TYPES_TEXT = (
    "rating SCALE, single_choice LIST, multiple_choice LIST, yes_no, number, text, "
    "begin section, end section"
)
SIMPLE_TYPES = ("yes_no", "number", "text")
LIST_TYPES = ("single_choice", "multiple_choice")
BEGIN, END = "begin section", "end section"
# Columns of a survey row that only some question types use.
TYPE_COLUMNS = {"scale": ("rating",), "min": ("number",), "max": ("number",)}
TYPE_COLUMNS |= {"levels": ("number",), "yes_level": ("yes_no",)}
# YAML key -> survey column, for a question and for a section.
QUESTION_COLUMNS = {name: name for name in COLUMNS[SURVEY][0] + COLUMNS[SURVEY][1]}
SECTION_COLUMNS = {"id": "id", "title": "prompt", "intro": "help", "show_if": "show_if"}
SECTION_CELLS = ("type", "id", "prompt", "help", "show_if")
EMPTY_ADVICE = {
    SETTINGS: "put the column names id, title, version in row 1 and their values in row 2",
    SURVEY: "put the column names type, id, prompt in row 1, then a `begin section` row, "
    "question rows and an `end section` row",
}


@dataclass(frozen=True)
class Cell:
    """Where something is in the workbook: a sheet, a row and, when known, a column."""

    sheet: str
    row: int
    letter: str | None = None
    column: str | None = None

    @property
    def loc(self) -> str:
        if self.letter is None:
            return f"{self.sheet} row {self.row}"
        return f"{self.sheet}!{self.letter}{self.row} ({self.column})"


@dataclass
class Row:
    sheet: str
    number: int
    values: dict[str, Any] = field(default_factory=dict)
    cells: dict[str, Cell] = field(default_factory=dict)

    def cell(self, column: str) -> Cell:
        """The cell of `column` in this row, or the row itself when the sheet lacks the column."""
        return self.cells.get(column) or Cell(self.sheet, self.number)

    def filled(self, column: str) -> bool:
        return self.values.get(column) is not None


@dataclass
class Sheet:
    name: str
    header_row: int = 1
    columns: dict[str, str] = field(default_factory=dict)  # column name -> letter
    rows: list[Row] = field(default_factory=list)


ANY = object()  # in a reported pattern: any section, question, option or scale name


class _Conversion:
    """One workbook's conversion: its issues, and where each YAML location came from."""

    def __init__(self, display: str):
        self.display = display
        self.issues: list[tuple[Cell | None, Issue]] = []
        self.places: dict[Loc, Cell] = {}
        # YAML locations (patterns) a workbook issue already explains: the core's own
        # message about them would say the same thing less well.
        self.reported: list[tuple] = []

    def add(
        self,
        cell: Cell | None,
        code: ErrorCode,
        *,
        about: Iterable[tuple] = (),
        message: str | None = None,
        **values: Any,
    ) -> None:
        """An issue at `cell` (None: the whole workbook); `about` lists the YAML locations
        it explains."""
        text = message if message is not None else code.format(**values)
        line = cell.row if cell else 1
        loc = cell.loc if cell else ""
        self.issues.append((cell, Issue(self.display, line, loc, code, text)))
        self.reported += list(about)

    def place(self, loc: Loc, cell: Cell) -> None:
        self.places[loc] = cell

    def cell_of(self, loc: Loc) -> Cell | None:
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.places:
                return self.places[loc[:end]]
        return None

    def is_reported(self, loc: Loc) -> bool:
        return any(
            len(loc) >= len(pattern)
            and all(p is ANY or p == part for p, part in zip(pattern, loc, strict=False))
            for pattern in self.reported
        )

    def cells_with_issues(self) -> set[Cell]:
        return {cell for cell, _ in self.issues if cell is not None}


def workbook_to_questionnaire(
    source: str | Path | bytes,
    *,
    content_root: Path | None = None,
    name: str | None = None,
    target: Path | None = None,
) -> tuple[str | None, list[Issue]]:
    """Convert an .xlsx workbook to `questionnaire/1` YAML text, checked against a content root.

    `source` is a path or the workbook's bytes; `name` is how issues name the file (default:
    the path as given, or `workbook.xlsx`). `content_root` (default: the configured root)
    supplies the role profiles that `measures` refers to. `target`, the file the YAML is to be
    written to, may only hold an id the root already has if it is that id's own file (else the
    root would define the questionnaire twice). Returns the YAML text and no issues,
    or None and every issue found, each located at a sheet, row and column of the workbook.
    """
    display = name or (str(source) if not isinstance(source, bytes) else "workbook.xlsx")
    conversion = _Conversion(display)
    try:
        raw = _read_bytes(source, conversion)
        workbook = _open_workbook(raw, conversion) if raw is not None else None
        if workbook is None:
            return None, _sorted_issues(conversion)
        data = _build(workbook, conversion)
        text = questionnaire_yaml(data, Path(display).name)
        _check_with_core(text, data, conversion, content_root)
        if target is not None:
            _check_target(data, conversion, content_root, target)
    except Exception as error:  # a bug must not turn a bad workbook into a traceback
        # ... for the author; whoever runs the app can still find it.
        logger.warning("could not convert workbook %s", display, exc_info=True)
        reason = f"{type(error).__name__}: {error}"
        conversion.add(None, ErrorCode.FILE_UNREADABLE, reason=reason)
        return None, _sorted_issues(conversion)
    issues = _sorted_issues(conversion)
    return (None, issues) if issues else (text, [])


# Reading the workbook ------------------------------------------------------------------------


def _read_bytes(source: str | Path | bytes, conversion: _Conversion) -> bytes | None:
    if isinstance(source, bytes):
        raw = source
    else:
        path = Path(source)
        try:
            size = path.stat().st_size
            if size > MAX_WORKBOOK_BYTES:
                conversion.add(None, ErrorCode.FILE_TOO_LARGE, size=size, limit=MAX_WORKBOOK_BYTES)
                return None
            raw = path.read_bytes()
        except OSError as error:
            conversion.add(
                None, ErrorCode.FILE_UNREADABLE, reason=error.strerror or type(error).__name__
            )
            return None
    if len(raw) > MAX_WORKBOOK_BYTES:
        conversion.add(None, ErrorCode.FILE_TOO_LARGE, size=len(raw), limit=MAX_WORKBOOK_BYTES)
        return None
    return raw


def _not_workbook_reason(raw: bytes) -> str | None:
    """Why `raw` is not an .xlsx file, in words an author recognises; None if it may be one."""
    if not raw:
        return "the file is empty"
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        return "it is an old-style .xls workbook, or a password-protected one"
    if not raw.startswith(b"PK"):
        head = raw[:2048]
        if b"\0" not in head:
            return "it holds plain text (perhaps a CSV file renamed to .xlsx)"
        return "its content is not a spreadsheet"
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
            if "mimetype" in names and b"opendocument" in archive.read("mimetype"):
                return "it is an OpenDocument spreadsheet (.ods)"
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return "the file is damaged"
    if "xl/workbook.xml" not in names:
        return "it is a zip archive without a workbook inside"
    if unpacked > MAX_UNPACKED_BYTES:
        return f"it unpacks to {unpacked} bytes, more than the {MAX_UNPACKED_BYTES} allowed"
    return None


def _open_workbook(raw: bytes, conversion: _Conversion):
    import openpyxl

    reason = _not_workbook_reason(raw)
    if reason is None:
        try:
            return openpyxl.load_workbook(io.BytesIO(raw), data_only=False, keep_links=False)
        except Exception as error:  # openpyxl raises many kinds on damaged files
            reason = f"the file is damaged ({type(error).__name__})"
    conversion.add(None, ErrorCode.XLSX_NOT_WORKBOOK, reason=reason)
    return None


def _sheets(workbook, conversion: _Conversion) -> dict[str, Any]:
    by_name = {ws.title.strip().lower(): ws for ws in workbook.worksheets}
    found = [ws.title for ws in workbook.worksheets]
    sheets = {}
    for sheet in SHEET_ORDER:
        if sheet in by_name:
            sheets[sheet] = by_name[sheet]
        elif sheet in (SETTINGS, SURVEY):
            lowered = [title.strip().lower() for title in found]
            close = [t for t in found if sheet in t.lower() and t.lower() not in SHEET_ORDER]
            close += difflib.get_close_matches(sheet, lowered, n=1, cutoff=0.6)
            if close:
                title = found[lowered.index(close[0].strip().lower())]
                hint = f"; rename the sheet {title!r} to {sheet!r}"
            else:
                hint = "; sheets found: " + ", ".join(repr(t) for t in found)
            about = [("sections",)] if sheet == SURVEY else [(key,) for key in COLUMNS[SETTINGS][0]]
            conversion.add(None, ErrorCode.XLSX_SHEET_MISSING, about=about, sheet=sheet, hint=hint)
    return sheets


def _read_sheet(ws, sheet: str, conversion: _Conversion) -> Sheet:
    """The sheet's header and filled rows; blank rows are skipped but keep their numbers."""
    from openpyxl.utils import get_column_letter

    required, optional = COLUMNS[sheet]
    known = required + optional
    result = Sheet(sheet)
    for merged in sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        conversion.add(Cell(sheet, merged.min_row), ErrorCode.XLSX_MERGED_CELLS, cells=merged.coord)
    header: dict[int, str] = {}  # column index -> name
    unnamed: dict[int, bool] = {}  # unnamed column index -> reported
    seen_header = False
    filled_rows = 0
    for row_number, values in _rows_with_values(ws):
        if not seen_header:
            seen_header = True
            result.header_row = row_number
            for index, cell in values.items():
                letter = get_column_letter(index)
                name = str(cell.value).strip().lower()
                where = Cell(sheet, row_number, letter, name)
                if name in result.columns:
                    first = f"column {result.columns[name]}"
                    conversion.add(where, ErrorCode.XLSX_DUPLICATE_COLUMN, column=name, first=first)
                elif name in known:
                    result.columns[name] = letter
                    header[index] = name
                else:
                    hint = _column_hint(name, known)
                    conversion.add(
                        where, ErrorCode.XLSX_UNKNOWN_COLUMN, column=name, sheet=sheet, hint=hint
                    )
                    unnamed[index] = True  # values under it are not read, nor reported again
            for name in required:
                if name not in result.columns:
                    conversion.add(
                        Cell(sheet, row_number), ErrorCode.XLSX_COLUMN_MISSING, sheet=sheet,
                        column=name, about=_column_loc(sheet, name),
                    )  # fmt: skip
            continue
        filled_rows += 1
        if filled_rows > MAX_ROWS:
            conversion.add(
                Cell(sheet, row_number), ErrorCode.XLSX_TOO_MANY_ROWS, sheet=sheet, limit=MAX_ROWS
            )
            break
        row = Row(sheet, row_number)
        for name, letter in result.columns.items():
            row.cells[name] = Cell(sheet, row_number, letter, name)
        for index, cell in values.items():
            if index not in header:
                if index not in unnamed:
                    unnamed[index] = True
                    where = Cell(sheet, row_number, get_column_letter(index), "no name")
                    conversion.add(where, ErrorCode.XLSX_NO_HEADER)
                continue
            name = header[index]
            row.values[name] = _cell_value(cell, row.cells[name], sheet, conversion)
        result.rows.append(row)
    if not seen_header and sheet in EMPTY_ADVICE:
        about = [("sections",)] if sheet == SURVEY else [(key,) for key in COLUMNS[SETTINGS][0]]
        conversion.add(
            Cell(sheet, 1), ErrorCode.XLSX_SHEET_EMPTY, sheet=sheet, what="rows at all",
            advice=EMPTY_ADVICE[sheet],
            about=about,
        )  # fmt: skip
    return result


def _rows_with_values(ws) -> list[tuple[int, dict[int, Any]]]:
    """(row number, {column index: cell}) of each row that holds a value, top to bottom.

    Only the cells stored in the file are visited: `ws.iter_rows()` makes every cell of the
    sheet's range, and one formatted cell in the last row (a 9 KB file) made it take
    minutes and gigabytes.
    """
    rows: dict[int, dict[int, Any]] = {}
    for (row, column), cell in sorted(ws._cells.items()):
        if cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
            continue
        rows.setdefault(row, {})[column] = cell
    return list(rows.items())


def _column_loc(sheet: str, column: str) -> list[tuple]:
    """The YAML locations a missing column would have filled, for de-duplicating messages."""
    question = ("sections", ANY, "questions", ANY)
    if sheet == SETTINGS:
        return [(column,)]
    if sheet == SURVEY and column == "type":
        return [("sections",)]
    if sheet == SURVEY:
        section_key = {"id": "id", "prompt": "title"}[column]
        return [(*question, column), ("sections", ANY, section_key)]
    if sheet == CHOICES:
        return [(*question, "options", ANY, column), (*question, "options")]
    return [("scales", ANY, ANY, column)]


def _column_hint(name: str, known: Iterable[str]) -> str:
    if name in XLSFORM_NAMES and XLSFORM_NAMES[name] in known:
        return f"; this format calls it {XLSFORM_NAMES[name]!r}"
    return did_you_mean(name, known) or "; the columns are " + ", ".join(known)


def _cell_value(cell, where: Cell, sheet: str, conversion: _Conversion) -> Any:
    """The cell's value as the author meant it, or None with an issue when it cannot be used."""
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    value = cell.value
    column = where.column
    if cell.data_type == "f" or isinstance(value, (ArrayFormula, DataTableFormula)):
        formula = value if isinstance(value, str) else getattr(value, "text", None) or "a formula"
        conversion.add(where, ErrorCode.XLSX_FORMULA, formula=_short(str(formula)))
        return None
    if cell.data_type == "e":
        conversion.add(
            where, ErrorCode.XLSX_CELL_VALUE, column=column, what=f"the error value {value}",
            advice="type the value itself",
        )  # fmt: skip
        return None
    if isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        kind = "a time" if isinstance(value, (dt.time, dt.timedelta)) else "a date"
        conversion.add(
            where, ErrorCode.XLSX_CELL_VALUE, column=column, what=f"{kind} ({value})",
            advice="format the cell as Text and type the value again",
        )  # fmt: skip
        return None
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
        if column in NUMBER_COLUMNS.get(sheet, ()):
            return _number_from_text(value)
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if column in TEXT_COLUMNS.get(sheet, ()):
        return str(value).upper() if isinstance(value, bool) else str(value)
    return value


_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")


def _number_from_text(text: str) -> Any:
    if not _NUMBER.match(text):
        return text  # the core reports it as "must be a number"
    return int(text) if text.lstrip("-").isdigit() else float(text)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


# Building the questionnaire ------------------------------------------------------------------


def _build(workbook, conversion: _Conversion) -> dict[str, Any]:
    sheets = {
        name: _read_sheet(ws, name, conversion)
        for name, ws in _sheets(workbook, conversion).items()
    }
    data: dict[str, Any] = {"format": QUESTIONNAIRE_FORMAT}
    _build_settings(sheets.get(SETTINGS), data, conversion)
    scales = _build_scales(sheets.get(SCALES), data, conversion)
    lists = _build_lists(sheets.get(CHOICES), conversion)
    survey = sheets.get(SURVEY)
    data["sections"] = _build_sections(survey, scales, lists, sheets, conversion) if survey else []
    return data


def _build_settings(sheet: Sheet | None, data: dict[str, Any], conversion: _Conversion) -> None:
    if sheet is None:
        return
    conversion.place((), Cell(SETTINGS, sheet.header_row))
    if len(sheet.rows) != 1:
        where = Cell(SETTINGS, sheet.rows[1].number if sheet.rows else sheet.header_row)
        if not sheet.rows:
            about = [(key,) for key in COLUMNS[SETTINGS][0]]
            conversion.add(where, ErrorCode.XLSX_SETTINGS_ROWS, got=0, about=about)
            return
        conversion.add(where, ErrorCode.XLSX_SETTINGS_ROWS, got=len(sheet.rows))
    row = sheet.rows[0]
    for name in sheet.columns:
        conversion.place((name,), row.cell(name))
    for name in COLUMNS[SETTINGS][0] + COLUMNS[SETTINGS][1]:
        value = row.values.get(name)
        if value is None:
            continue
        if name == "version" and isinstance(value, float):
            conversion.add(
                row.cell(name), ErrorCode.XLSX_CELL_VALUE, column=name,
                what=f"the number {value!r}", about=[("version",)],
                advice="format the cell as Text and type the version again, so that a version "
                "such as 2026.10 keeps its last zero",
            )  # fmt: skip
            continue
        data[name] = value


def _build_scales(
    sheet: Sheet | None, data: dict[str, Any], conversion: _Conversion
) -> dict[str, Cell]:
    """Scales into `data`; returns where each scale starts."""
    starts: dict[str, Cell] = {}
    if sheet is None:
        return starts
    scales: dict[str, list[dict[str, Any]]] = {}
    for row in sheet.rows:
        name = row.values.get("scale")
        if name is None:
            conversion.add(row.cell("scale"), ErrorCode.MISSING, field="scale")
            continue
        name = str(name)
        entries = scales.setdefault(name, [])
        if name not in starts:
            starts[name] = row.cell("scale")
            conversion.place(("scales", name), row.cell("scale"))
        loc = ("scales", name, len(entries))
        conversion.place(loc, Cell(SCALES, row.number))
        for key in ("value", "label", "hint"):
            conversion.place((*loc, key), row.cell(key))
        entries.append(_present(row, ("value", "label", "hint")))
    if scales:
        data["scales"] = scales
    return starts


@dataclass
class _ChoiceList:
    start: Cell
    options: list[dict[str, Any]] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)


def _build_lists(sheet: Sheet | None, conversion: _Conversion) -> dict[str, _ChoiceList]:
    lists: dict[str, _ChoiceList] = {}
    if sheet is None:
        return lists
    for row in sheet.rows:
        name = row.values.get("list")
        if name is None:
            conversion.add(row.cell("list"), ErrorCode.MISSING, field="list")
            continue
        choice_list = lists.setdefault(str(name), _ChoiceList(row.cell("list")))
        choice_list.options.append(_present(row, ("value", "label", "level")))
        choice_list.rows.append(row)
    return lists


def _present(row: Row, columns: Iterable[str]) -> dict[str, Any]:
    return {name: row.values[name] for name in columns if row.values.get(name) is not None}


def _build_sections(
    sheet: Sheet,
    scales: dict[str, Cell],
    lists: dict[str, _ChoiceList],
    sheets: dict[str, Sheet],
    conversion: _Conversion,
) -> list[dict[str, Any]]:
    sections: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    begun: Row | None = None
    if not sheet.rows and sheet.columns:
        conversion.add(
            Cell(SURVEY, sheet.header_row), ErrorCode.XLSX_SHEET_EMPTY, sheet=SURVEY,
            what="rows under its header row", advice="add a `begin section` row, question rows and an `end section` row",
            about=[("sections",)],
        )  # fmt: skip
    for row in sheet.rows:
        kind, name = _parse_type(row, scales, lists, sheets, conversion)
        if kind == BEGIN:
            if current is not None and begun is not None:
                conversion.add(
                    row.cell("type"), ErrorCode.XLSX_SECTION_NESTED,
                    id=current.get("id", ""), row=begun.number,
                )  # fmt: skip
            loc: Loc = ("sections", len(sections))
            current, begun = _section(row, loc, conversion), row
            sections.append(current)
            continue
        if kind == END:
            if current is None:
                conversion.add(row.cell("type"), ErrorCode.XLSX_SECTION_NOT_BEGUN)
            else:
                _check_end_row(row, current, conversion)
            current, begun = None, None
            continue
        if current is None:
            conversion.add(row.cell("type"), ErrorCode.XLSX_OUTSIDE_SECTION)
            # Carry on in a section of its own, so the question's other problems still show.
            current = {"questions": []}
            sections.append(current)
            conversion.reported.append(("sections", len(sections) - 1))
        loc = ("sections", len(sections) - 1, "questions", len(current["questions"]))
        current["questions"].append(_question(row, kind, name, loc, scales, lists, conversion))
    if current is not None and begun is not None:
        conversion.add(
            begun.cell("type"), ErrorCode.XLSX_SECTION_NOT_ENDED, id=current.get("id", "")
        )
    return sections


def _parse_type(
    row: Row,
    scales: dict[str, Cell],
    lists: dict[str, _ChoiceList],
    sheets: dict[str, Sheet],
    conversion: _Conversion,
) -> tuple[str | None, str | None]:
    """(kind, list or scale name) of a survey row; kind is None when the type is unusable."""
    raw = row.values.get("type")
    if raw is None:
        return None, None
    text = " ".join(str(raw).split())
    lowered = text.lower()
    if lowered in (BEGIN, "begin_section"):
        return BEGIN, None
    if lowered in (END, "end_section"):
        return END, None
    kind, _, name = text.partition(" ")
    kind = kind.lower()
    cell = row.cell("type")
    if kind in SIMPLE_TYPES and not name:
        return kind, None
    if kind == "rating":
        column_scale = row.values.get("scale")
        if name and column_scale is not None and str(column_scale) != name:
            conversion.add(
                row.cell("scale"), ErrorCode.XLSX_CELL_VALUE, column="scale",
                what=f"{column_scale!r} but the type names {name!r}",
                advice="name the scale in one place only",
            )  # fmt: skip
        name = name or (str(column_scale) if column_scale is not None else "")
        if not name:
            conversion.add(
                cell, ErrorCode.MISSING_FOR_TYPE, field="the scale name (`rating SCALE`)",
                type="rating",
            )  # fmt: skip
            return kind, None
        if name not in scales:
            hint = _name_hint(name, scales, SCALES, sheets)
            conversion.add(
                cell, ErrorCode.XLSX_UNKNOWN_LIST, what="scale", name=name, sheet=SCALES, hint=hint
            )
        return kind, name
    if kind in LIST_TYPES:
        if not name:
            conversion.add(
                cell, ErrorCode.MISSING_FOR_TYPE, field=f"the list name (`{kind} LIST`)", type=kind
            )
            return kind, None
        if name not in lists:
            hint = _name_hint(name, lists, CHOICES, sheets)
            conversion.add(
                cell, ErrorCode.XLSX_UNKNOWN_LIST, what="list", name=name, sheet=CHOICES, hint=hint
            )
        return kind, name
    hint = ""
    for xlsform, ours in XLSFORM_TYPES.items():
        if lowered == xlsform or kind == xlsform:
            hint = f" (in this format: {ours})"
    if kind in SIMPLE_TYPES:
        hint = f" ({kind} takes no name after it)"
    conversion.add(cell, ErrorCode.XLSX_UNKNOWN_TYPE, got=text, hint=hint, expected=TYPES_TEXT)
    return "invalid", None


def _name_hint(name: str, known: dict[str, Any], sheet: str, sheets: dict[str, Sheet]) -> str:
    if sheet not in sheets:
        return f" (the workbook has no {sheet} sheet)"
    return (
        did_you_mean(name, known)
        or " (defined: " + (", ".join(repr(n) for n in known) or "none") + ")"
    )


def _section(row: Row, loc: Loc, conversion: _Conversion) -> dict[str, Any]:
    conversion.place(loc, row.cell("type"))
    conversion.place((*loc, "questions"), row.cell("type"))
    section: dict[str, Any] = {}
    for key, column in SECTION_COLUMNS.items():
        conversion.place((*loc, key), row.cell(column))
        value = row.values.get(column)
        if value is None:
            continue
        if key == "show_if":
            value = _condition(value, row.cell(column), (*loc, key), conversion)
        section[key] = value
    for column in row.values:
        if column not in SECTION_CELLS and row.filled(column):
            conversion.add(row.cell(column), ErrorCode.XLSX_NOT_FOR_ROW, column=column,
                           row_type=BEGIN)  # fmt: skip
    section["questions"] = []
    return section


def _check_end_row(row: Row, section: dict[str, Any], conversion: _Conversion) -> None:
    for column in row.values:
        if column == "type" or not row.filled(column):
            continue
        if column == "id" and row.values[column] == section.get("id"):
            continue
        conversion.add(row.cell(column), ErrorCode.XLSX_NOT_FOR_ROW, column=column, row_type=END)


def _question(
    row: Row,
    kind: str | None,
    name: str | None,
    loc: Loc,
    scales: dict[str, Cell],
    lists: dict[str, _ChoiceList],
    conversion: _Conversion,
) -> dict[str, Any]:
    conversion.place(loc, Cell(SURVEY, row.number))
    for key, column in QUESTION_COLUMNS.items():
        conversion.place((*loc, key), row.cell(column))
    type_cell = row.cell("type")
    uses_scale_column = kind == "rating" and row.filled("scale")
    conversion.place((*loc, "scale"), row.cell("scale") if uses_scale_column else type_cell)
    conversion.place((*loc, "options"), type_cell)
    if kind == "invalid" or (kind in ("rating", *LIST_TYPES) and name is None):
        conversion.reported += [(*loc, "type"), (*loc, "scale"), (*loc, "options")]

    question: dict[str, Any] = {}
    if row.filled("id"):
        question["id"] = row.values["id"]
    if kind is not None:
        question["type"] = kind if kind != "invalid" else row.values["type"]
    for key in ("prompt", "help"):
        if row.filled(key):
            question[key] = row.values[key]
    if row.filled("required"):
        required = _yes_no(row.values["required"])
        if required is None:
            conversion.add(
                row.cell("required"), ErrorCode.WRONG_TYPE, field="required",
                expected="yes or no (or TRUE or FALSE)", got=repr(row.values["required"]),
                about=[(*loc, "required")],
            )  # fmt: skip
        else:
            question["required"] = required
    if row.filled("show_if"):
        cell = row.cell("show_if")
        question["show_if"] = _condition(row.values["show_if"], cell, (*loc, "show_if"), conversion)
    for key in ("measures", "weight"):
        if row.filled(key):
            question[key] = row.values[key]

    for column, types in TYPE_COLUMNS.items():
        if row.filled(column) and kind not in (*types, "invalid", None):
            conversion.add(row.cell(column), ErrorCode.NOT_FOR_TYPE, field=column, type=kind)
    if kind == "rating" and name is not None:
        question["scale"] = name
    if kind in LIST_TYPES and name is not None:
        choice_list = lists.get(name)
        question["options"] = choice_list.options if choice_list else []
        if choice_list is not None:
            for i, option_row in enumerate(choice_list.rows):
                option_loc = (*loc, "options", i)
                # An issue about a whole option is that its level is missing.
                conversion.place(option_loc, option_row.cell("level"))
                for key in ("value", "label", "level"):
                    conversion.place((*option_loc, key), option_row.cell(key))
            if len(choice_list.options) < 2:
                conversion.place((*loc, "options"), choice_list.start)
    if kind == "number":
        for key in ("min", "max"):
            if row.filled(key):
                question[key] = row.values[key]
        if row.filled("levels"):
            levels = _levels(row.values["levels"], row.cell("levels"), (*loc, "levels"), conversion)
            # Unreadable levels go through as written, so that no "levels is required" follows.
            question["levels"] = levels if levels is not None else row.values["levels"]
    if kind == "yes_no" and row.filled("yes_level"):
        question["yes_level"] = row.values["yes_level"]
    return question


def _yes_no(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("yes", "true"):
        return True
    if isinstance(value, str) and value.lower() in ("no", "false"):
        return False
    return None


def _condition(value: Any, cell: Cell, loc: Loc, conversion: _Conversion) -> Any:
    """A condition cell, written as YAML flow text such as `{question: q, equals: x}`."""
    if not isinstance(value, str):
        return value  # the core explains what a condition looks like
    text = value.replace("\u201c", '"').replace("\u201d", '"')  # spreadsheet "smart quotes"
    parsed = parse_yaml(text, conversion.display)
    if isinstance(parsed, Issue):
        message = parsed.message
        if not text.lstrip().startswith(("{", "[")):
            # `question: q, equals: x` without its braces: YAML's advice (quotes) would mislead.
            problem = "write the condition in braces, such as {question: Q, equals: V}"
            message = ErrorCode.YAML_SYNTAX.format(problem=problem)
        conversion.add(cell, parsed.code, about=[loc], message=message)
        return text
    return parsed.data


_LEVEL_PAIR = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)\s*$")


def _levels(value: Any, cell: Cell, loc: Loc, conversion: _Conversion) -> list | None:
    """`0:0, 1:2, 3:4` -> [{at_least: 0, level: 0}, {at_least: 1, level: 2}, ...]."""
    pairs = [part for part in re.split(r"[,;\n]", str(value)) if part.strip()]
    levels = []
    for part in pairs:
        match = _LEVEL_PAIR.match(part)
        if match is None or isinstance(value, bool):
            conversion.add(
                cell, ErrorCode.WRONG_TYPE, field="levels",
                expected="AT_LEAST:LEVEL pairs separated by commas, such as 0:0, 1:2, 3:4",
                got=repr(_short(str(value))), about=[loc],
            )  # fmt: skip
            return None
        at_least, level = (_number_from_text(group) for group in match.groups())
        levels.append({"at_least": at_least, "level": level})
    return levels


# Writing YAML ---------------------------------------------------------------------------------

QUESTION_KEYS = (
    "id", "type", "prompt", "help", "required", "show_if", "measures", "weight", "scale",
    "options", "min", "max", "levels", "yes_level",
)  # fmt: skip
SECTION_KEYS = ("id", "title", "intro", "show_if", "questions")
TOP_KEYS = ("format", "id", "title", "version", "description", "estimated_minutes")


class _Dumper(yaml.SafeDumper):
    """PyYAML's dumper, quoting text such as `1e3` that PyYAML (YAML 1.1) leaves plain but our
    reader, like YAML 1.2 and JSON, takes for a number."""


_Dumper.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(f"^{EXPONENT_NUMBER.pattern}$"), list("-0123456789")
)


def questionnaire_yaml(data: dict[str, Any], source_name: str) -> str:
    """YAML text for `data`, laid out as an author would write it (flow mappings for options,
    scale entries, levels and conditions)."""
    header = [
        f"# Converted from {source_name} by `python -m readiness import-xlsx`.",
        "# Edit the workbook and convert it again, rather than editing this file.",
    ]
    out = list(header)
    for key in TOP_KEYS:
        if key in data:
            out.append(f"{key}: {_scalar(data[key], 2)}")
    if data.get("scales"):
        out.append("scales:")
        for name, entries in data["scales"].items():
            out.append(f"  {_flow(name)}:")
            out += [f"    - {_flow(entry)}" for entry in entries]
    out += _block("sections", data.get("sections", []), "", SECTION_KEYS)
    text = "\n".join(out) + "\n"
    parsed = parse_yaml(text, "check")
    if isinstance(parsed, Issue) or parsed.data != data:  # never write what does not read back
        dumped = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
        return "\n".join(header) + "\n" + dumped
    return text


def _block(key: str, items: list[dict[str, Any]], pad: str, keys: tuple[str, ...]) -> list[str]:
    """`key:` and its list of mappings (sections, or a section's questions) in block style."""
    if not items:
        return [f"{pad}{key}: []"]
    lines = [f"{pad}{key}:"]
    for item in items:
        item_lines: list[str] = []
        ordered = [k for k in keys if k in item] + [k for k in item if k not in keys]
        for name in ordered:
            value = item[name]
            if name == "questions":
                item_lines += _block("questions", value, pad + "    ", QUESTION_KEYS)
            elif name in ("options", "levels") and isinstance(value, list) and value:
                item_lines.append(f"{pad}    {name}:")
                item_lines += [f"{pad}      - {_flow(entry)}" for entry in value]
            else:
                item_lines.append(f"{pad}    {_flow(name)}: {_scalar(value, len(pad) + 6)}")
        if not item_lines:
            lines.append(f"{pad}  - {{}}")
            continue
        first = item_lines[0]
        lines.append(f"{pad}  - {first[len(pad) + 4 :]}")
        lines += item_lines[1:]
    return lines


def _scalar(value: Any, indent: int) -> str:
    if isinstance(value, str) and "\n" in value and not value[:1].isspace():
        body = "\n".join((" " * indent + line) if line else "" for line in value.split("\n"))
        return "|-\n" + body
    return _flow(value)


def _flow(value: Any) -> str:
    text = yaml.dump(
        value, Dumper=_Dumper, default_flow_style=True, sort_keys=False, allow_unicode=True,
        width=2**31 - 1,
    )  # fmt: skip
    return text.removesuffix("\n").removesuffix("\n...").strip()


# Checking with the core ----------------------------------------------------------------------


def _check_target(
    data: dict[str, Any], conversion: _Conversion, content_root: Path | None, target: Path
) -> None:
    root = default_root() if content_root is None else content_root
    if target.resolve().parent != (root / QUESTIONNAIRE_DIR).resolve():
        return  # not written among the root's questionnaires: no clash
    qid = data.get("id")
    existing = load_content(root).file_of("questionnaire", qid)
    if existing is not None and existing.resolve() != target.resolve():
        conversion.add(
            conversion.cell_of(("id",)), ErrorCode.DUPLICATE_CONTENT_ID,
            what="questionnaire", id=qid, other=existing,
        )  # fmt: skip


def _check_with_core(
    text: str, data: dict[str, Any], conversion: _Conversion, content_root: Path | None
) -> None:
    root = default_root() if content_root is None else content_root
    with tempfile.TemporaryDirectory(prefix="xlsx-") as folder:
        qid = data.get("id")
        stem = qid if isinstance(qid, str) and re.fullmatch(r"[a-z][a-z0-9-]*", qid) else "workbook"
        path = Path(folder) / QUESTIONNAIRE_DIR / f"{stem}.yaml"
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
        document = parse_document(text, str(path), expected=QUESTIONNAIRE_FORMAT)
        content = load_content(root, extra=[path])
        mine = [issue for issue in content.issues if issue.file == str(path)]
        others = [issue for issue in content.issues if issue.file != str(path)]
    rows_by_line = _rows_by_line(document.lines.values, conversion)
    explained = conversion.cells_with_issues()
    for issue in mine:
        loc = _parse_loc(issue.loc)
        cell = conversion.cell_of(loc)
        if conversion.is_reported(loc) or cell in explained:
            continue
        message = re.sub(
            r"\bline (\d+)\b",
            lambda m: rows_by_line.get(int(m.group(1)), m.group(0)),
            issue.message,
        )
        if cell is None:
            message += f" (line {issue.line} of the converted YAML)"
        conversion.issues.append(
            (
                cell,
                Issue(
                    conversion.display,
                    cell.row if cell else 1,
                    cell.loc if cell else issue.loc,
                    issue.code,
                    message,
                ),
            )
        )
    if others:
        # Only what this questionnaire breaks elsewhere (a role's met_if pointing at a question
        # it no longer has), not problems the content root already had.
        before = {str(issue) for issue in load_content(root).issues}
        conversion.issues += [(None, issue) for issue in others if str(issue) not in before]


def _rows_by_line(values: dict[Loc, int], conversion: _Conversion) -> dict[int, str]:
    """YAML line -> `sheet row N`, for messages that point at another line ("first at line 9")."""
    rows: dict[int, str] = {}
    # The longest location on a line is the most specific: an option's `value`, not the
    # `options` list that starts on the same line.
    for loc, line in sorted(values.items(), key=lambda item: -len(item[0])):
        if line in rows:
            continue
        cell = conversion.cell_of(loc)
        if cell is not None and loc:
            rows[line] = f"{cell.sheet} row {cell.row}"
    return rows


_LOC_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def _parse_loc(dotted: str) -> Loc:
    """`sections[1].questions[3].weight` -> ('sections', 1, 'questions', 3, 'weight')."""
    return tuple(int(index) if index else name for index, name in _LOC_PART.findall(dotted or ""))


def _sorted_issues(conversion: _Conversion) -> list[Issue]:
    def key(item: tuple[Cell | None, Issue]):
        cell, issue = item
        if cell is None:
            return (0 if issue.file == conversion.display else 9, issue.file, 0, 0, "", "")
        letter = cell.letter or ""
        return (1 + SHEET_ORDER.index(cell.sheet), "", cell.row, len(letter), letter, issue.message)

    unique: dict[str, tuple[tuple, Issue]] = {}
    for item in conversion.issues:
        unique.setdefault(str(item[1]), (key(item), item[1]))
    return [issue for _, issue in sorted(unique.values(), key=lambda pair: pair[0])]
