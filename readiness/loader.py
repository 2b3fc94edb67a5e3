"""Reading one content file: bytes to text, text to data, data to a model, with located issues.

Nothing here raises on bad input: every function returns what it could read and the issues.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from readiness.messages import ErrorCode, Issue, describe, did_you_mean, loc_to_dot
from readiness.schema import (
    FOLDER_OF_FORMAT,
    FORMATS,
    MODEL_FOR_FORMAT,
    QUESTION_TYPES,
    QUESTIONNAIRE_FORMAT,
    ROLE_FORMAT,
    ContentModel,
    QuestionBase,
    known_keys,
)
from readiness.yamlsafe import MAX_CONTENT_BYTES, LineMap, Loc, ParsedYaml, decode_text, parse_yaml

_SURROGATE = re.compile("[\ud800-\udfff]")
# UTF-8 text holds no surrogate: one can only come from an escape such as \ud83d (JSON, YAML).
_SURROGATE_ESCAPE = re.compile(r"\\(?:u|U0000)[dD][89a-fA-F][0-9a-fA-F]{2}")

_KNOWN_KEYS = sorted(known_keys())
# Keys of some question type: on a question of another type they are misplaced, not unknown.
_QUESTION_KEYS = {key for model in QuestionBase.__subclasses__() for key in model.model_fields}


@dataclass
class Document:
    """One file as read: its data and lines when it parsed, its model when it is valid."""

    file: str
    data: Any = None
    lines: LineMap = field(default_factory=LineMap)
    model: ContentModel | None = None
    format: str | None = None
    issues: list[Issue] = field(default_factory=list)
    # The format its folder implies (None outside the content folders): what a file that
    # cannot be read was meant to be.
    expected: str | None = None

    @property
    def ok(self) -> bool:
        return not self.issues


def read_text(path: Path, display: str, *, limit: int = MAX_CONTENT_BYTES) -> str | Issue:
    """The file's UTF-8 text, or an issue (unreadable, too large, not UTF-8)."""
    try:
        size = path.stat().st_size
        if size > limit:
            message = ErrorCode.FILE_TOO_LARGE.format(size=size, limit=limit)
            return Issue(display, 1, "", ErrorCode.FILE_TOO_LARGE, message)
        raw = path.read_bytes()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return Issue(
            display,
            1,
            "",
            ErrorCode.FILE_UNREADABLE,
            ErrorCode.FILE_UNREADABLE.format(reason=reason),
        )
    return decode_text(raw, display)


def parse_document(text: str, display: str, *, expected: str | None) -> Document:
    """Parse YAML (or JSON) text and check its `format`; the model is validated separately."""
    document = Document(display, expected=expected)
    parsed = parse_yaml(text, display, expected_format=expected or " | ".join(FORMATS))
    if isinstance(parsed, Issue):
        # JSON answer files are YAML too, except for a few JSON spellings libyaml refuses
        # (among them a character written as two escapes, "\ud83d\ude00"); a duplicate key,
        # tag or alias is a problem in either spelling.
        json_may_read = parsed.code in (ErrorCode.YAML_SYNTAX, ErrorCode.HALF_CHARACTER)
        data, json_problem = _read_json(text, display) if json_may_read else (None, None)
        if data is None:
            # A .json file's syntax problem is told in JSON's terms, where JSON sees it.
            use_json = json_problem is not None and display.endswith(".json")
            document.issues.append(json_problem if use_json else parsed)
            return document
        parsed = ParsedYaml(data, LineMap())
    document.data, document.lines = parsed.data, parsed.lines
    document.issues += parsed.issues  # duplicate keys: reported, and the data still checked
    try:
        if _SURROGATE_ESCAPE.search(text):  # else the data has none: no need to walk it
            document.data = _whole_characters(parsed.data)
    except _HalfCharacter as half:
        message = ErrorCode.HALF_CHARACTER.format(escape=f"\\u{ord(half.character):04x}")
        document.issues.append(
            Issue(
                display,
                document.lines.line_of(half.loc),
                loc_to_dot(half.loc),
                ErrorCode.HALF_CHARACTER,
                message,
            )
        )
        return document
    if not isinstance(parsed.data, dict):
        if isinstance(parsed.data, list):
            got = "a list"
        elif parsed.data is None:
            got = "an empty value (null)"
        else:
            got = f"the single value {describe(parsed.data)}"
        document.issues.append(
            Issue(
                display,
                document.lines.line_of(()),  # where the list or value starts
                "",
                ErrorCode.NOT_A_MAPPING,
                ErrorCode.NOT_A_MAPPING.format(got=got[:80]),
            )
        )
        return document
    document.format = _check_format(document, expected)
    return document


class _HalfCharacter(Exception):
    def __init__(self, loc: Loc, character: str):
        self.loc, self.character = loc, character


def _whole_characters(data: Any, loc: Loc = ()) -> Any:
    """`data` with each escaped surrogate pair (\\ud83d\\ude00, as JSON writes 😀) joined
    into its character: YAML, which also reads our JSON files, leaves the halves apart. Raises
    _HalfCharacter where a half has no partner: it cannot be written as UTF-8, to a database
    or to a page."""
    if isinstance(data, str):
        if not _SURROGATE.search(data):
            return data
        try:
            return data.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
        except UnicodeDecodeError as error:
            raise _HalfCharacter(loc, data[error.start // 2]) from None
    if isinstance(data, dict):
        return {
            _whole_characters(key, loc): _whole_characters(value, (*loc, key))
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [_whole_characters(value, (*loc, index)) for index, value in enumerate(data)]
    return data


def _read_json(text: str, display: str) -> tuple[Any, Issue | None]:
    """The data of a JSON text without duplicate keys (else None), and its syntax problem."""

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _ in pairs]
        if len(set(keys)) != len(keys):
            raise ValueError("duplicate key")
        return dict(pairs)

    try:
        return json.loads(text, object_pairs_hook=no_duplicates), None
    except json.JSONDecodeError as error:
        problem = f"{error.msg} (column {error.colno})"
        message = ErrorCode.JSON_SYNTAX.format(problem=problem)
        return None, Issue(display, error.lineno, "", ErrorCode.JSON_SYNTAX, message)
    except (ValueError, RecursionError):  # a duplicate key; nesting too deep
        return None, None


def _check_format(document: Document, expected: str | None) -> str | None:
    data, lines, file = document.data, document.lines, document.file
    if "format" not in data:
        hint = expected or " or ".join(FORMATS)
        message = ErrorCode.FORMAT_MISSING.format(expected=hint)
        document.issues.append(
            Issue(file, lines.line_of(()), "format", ErrorCode.FORMAT_MISSING, message)
        )
        return None
    given = data["format"]
    line = lines.line_of(("format",))
    if given in FORMATS:
        if expected and given != expected and expected not in FOLDER_OF_FORMAT:
            # An answers file is named on the command line or uploaded, not kept in a folder:
            # "this folder" and "move it to assessments/" would mean nothing to its reader.
            message = ErrorCode.NOT_ANSWERS.format(got=given, expected=expected)
            document.issues.append(Issue(file, line, "format", ErrorCode.NOT_ANSWERS, message))
            return None
        if expected and given != expected:
            home = FOLDER_OF_FORMAT.get(given)
            hint = f"; move it to {home}/" if home else ""
            message = ErrorCode.FORMAT_MISMATCH.format(expected=expected, got=given, hint=hint)
            document.issues.append(Issue(file, line, "format", ErrorCode.FORMAT_MISMATCH, message))
            return None
        return given
    name, _, version = str(given).partition("/")
    known = {f.split("/")[0]: f for f in FORMATS}
    if name in known and version.isdigit() and int(version) > 1:
        message = ErrorCode.FORMAT_NEWER.format(got=given, expected=known[name])
        document.issues.append(Issue(file, line, "format", ErrorCode.FORMAT_NEWER, message))
    else:
        message = ErrorCode.FORMAT_UNKNOWN.format(
            got=given, expected=", ".join(expected and [expected] or FORMATS)
        )
        document.issues.append(Issue(file, line, "format", ErrorCode.FORMAT_UNKNOWN, message))
    return None


def validate_model(document: Document) -> None:
    """Validate the document's data against its format's model, adding located issues.

    Only a readable mapping with a known format is validated; a duplicate key found while
    reading does not stop it (its first value counts), so the file's other problems show too.
    """
    if document.format is None:
        return
    model_class = MODEL_FOR_FORMAT[document.format]
    _versions_as_written(document)
    try:
        document.model = model_class.model_validate(document.data)
    except ValidationError as error:
        document.issues.extend(schema_issues(error, document.file, document.lines))
        if document.format in (QUESTIONNAIRE_FORMAT, ROLE_FORMAT):
            # A model of the rest, so that the file's other problems (duplicate ids, unknown
            # competencies, references) are reported in the same pass. The file keeps its
            # issues, so it is still not offered.
            document.model = _without_optional_faults(model_class, document.data, error)


def _versions_as_written(document: Document) -> None:
    """A version written without quotes keeps the text its author wrote: `version: 2026.10`
    is "2026.10", not the number 2026.1 that YAML reads."""
    for loc, written in document.lines.written.items():
        # A questionnaire's own version, or one an answer set records (not an answer to a
        # question that happens to be called "version").
        if loc == ("version",) or (
            len(loc) == 3 and loc[0] == "questionnaires" and loc[2] == "version"
        ):
            holder = _node_at(document.data, loc[:-1])
            value = holder.get("version") if isinstance(holder, dict) else None
            if isinstance(value, int | float) and not isinstance(value, bool):
                holder["version"] = written


# Keys that may be left out and that no other check depends on: when their value is wrong,
# checking the file without them finds the same further problems, and no false ones.
_OPTIONAL_LEAVES = frozenset(
    {
        "description", "intro", "help", "summary", "message", "hint", "estimated_minutes",
        "required", "weight", "min", "max", "yes_level", "measures", "actions", "action",
        "market", "related_occupations",
    }
)  # fmt: skip
_SALVAGE_ROUNDS = 3


def _without_optional_faults(
    model_class: type[ContentModel], data: Any, error: ValidationError
) -> ContentModel | None:
    """The model of `data` with each unknown key, and each optional key whose value is wrong,
    left out; None when a required part is wrong (the rest cannot be checked reliably)."""
    data = copy.deepcopy(data)
    for _ in range(_SALVAGE_ROUNDS):
        for detail in error.errors(include_url=False):
            loc = _author_loc(detail["loc"])
            if detail["type"] == "extra_forbidden":
                cut = len(loc) - 1
            else:
                keys = [i for i, part in enumerate(loc) if isinstance(part, str)]
                if not keys or loc[keys[-1]] not in _OPTIONAL_LEAVES:
                    return None
                cut = keys[-1]
            parent = _node_at(data, loc[:cut])
            if not isinstance(parent, dict) or loc[cut] not in parent:
                return None
            del parent[loc[cut]]
        try:
            return model_class.model_validate(data)
        except ValidationError as again:
            error = again
    return None


def _node_at(data: Any, loc: Loc) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def load_document(path: Path, display: str, *, expected: str | None) -> Document:
    text = read_text(path, display)
    if isinstance(text, Issue):
        return Document(display, issues=[text], expected=expected)
    document = parse_document(text, display, expected=expected)
    validate_model(document)
    return document


# From pydantic's errors to located issues ----------------------------------------------------

_TYPE_NAMES = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "finite_number": "a finite number",
}
_BOUNDS = {
    "greater_than": "greater than {gt}",
    "greater_than_equal": "at least {ge}",
    "less_than": "less than {lt}",
    "less_than_equal": "at most {le}",
}


def schema_issues(error: ValidationError, file: str, lines: LineMap) -> list[Issue]:
    issues = []
    for detail in error.errors(include_url=False):
        loc = _author_loc(detail["loc"])
        kind = detail["type"]
        field_name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "value")
        got = describe(detail.get("input"))
        ctx = detail.get("ctx") or {}
        line = lines.line_of(loc)
        shown = loc
        if kind == "missing":
            code, values = ErrorCode.MISSING, {"field": field_name}
            line = lines.line_of(loc[:-1])
        elif kind == "extra_forbidden":
            question_type = _question_type(detail["loc"])
            if question_type and field_name in _QUESTION_KEYS:
                code, values = ErrorCode.NOT_FOR_TYPE, {"field": field_name, "type": question_type}
            else:
                others = [key for key in _KNOWN_KEYS if key != field_name]
                hint = did_you_mean(field_name, others)
                code, values = ErrorCode.UNKNOWN_KEY, {"key": field_name, "hint": hint}
            line = lines.line_of(loc, key=True)
        elif kind == "union_tag_invalid":
            shown = (*loc, "type")
            line = lines.line_of(shown)
            code = ErrorCode.BAD_CHOICE
            values = {
                "field": "type",
                "expected": ", ".join(QUESTION_TYPES),
                "got": repr(ctx.get("tag")),
            }
        elif kind == "union_tag_not_found":
            shown = (*loc, "type")
            code, values = ErrorCode.MISSING, {"field": "type"}
        elif kind in _TYPE_NAMES:
            code = ErrorCode.WRONG_TYPE
            expected = _TYPE_NAMES[kind]
            given = detail.get("input")
            if kind == "string_type" and isinstance(given, bool):
                expected += " in quotes (a bare yes, no, on, off, true or false is true or false)"
            elif kind == "string_type" and isinstance(given, (int, float)):
                expected += f' in quotes, such as "{lines.written.get(loc, given)}"'
            values = {"field": field_name, "expected": expected, "got": got}
        elif kind in _BOUNDS:
            code = ErrorCode.OUT_OF_RANGE
            bound = _BOUNDS[kind].format(**{name: _number(v) for name, v in ctx.items()})
            values = {"field": field_name, "bound": bound, "got": got}
        elif kind in ("too_short", "list_too_short"):
            code = ErrorCode.TOO_FEW
            values = {
                "field": field_name,
                "minimum": ctx.get("min_length"),
                "got": ctx.get("actual_length"),
            }
        elif kind == "string_too_short":
            code, values = ErrorCode.EMPTY_TEXT, {"field": field_name}
        elif kind == "string_pattern_mismatch":
            code, values = ErrorCode.BAD_ID, {"got": detail.get("input")}
        elif kind == "literal_error":
            code = ErrorCode.BAD_CHOICE
            values = {"field": field_name, "expected": ctx.get("expected"), "got": got}
        elif kind == "version_quotes":
            # Quote the version back as written: YAML has already read 2026.10 as 2026.1.
            written = lines.written.get(loc, str(detail.get("input")))
            code = ErrorCode.WRONG_TYPE
            expected = f'text in quotes, such as "{written}", so that it is kept as written'
            values = {"field": field_name, "expected": expected, "got": written}
        else:
            code = ErrorCode.WRONG_TYPE
            # Our own messages start with "must be", which the template already says.
            expected = _plain(detail["msg"]).removeprefix("must be ")
            values = {"field": field_name, "expected": expected, "got": got}
        issues.append(Issue(file, line, loc_to_dot(shown), code, code.format(**values)))
    return issues


def _question_type(loc: tuple) -> str | None:
    """The question type pydantic names just before a question's own key, if it does."""
    if len(loc) >= 3 and isinstance(loc[-3], int) and loc[-2] in QUESTION_TYPES:
        return str(loc[-2])
    return None


def _number(value: Any) -> Any:
    """A bound as the author would write it: 0, not 0.0."""
    return f"{value:g}" if isinstance(value, float) else value


def _author_loc(loc: tuple) -> Loc:
    """Drop the pieces pydantic adds for unions (`rating` in `questions.0.rating.scale`)."""
    kept: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and part in QUESTION_TYPES and kept and isinstance(kept[-1], int):
            continue
        if isinstance(part, str) and part.startswith("function-"):
            continue
        kept.append(part)
    return tuple(kept)


def _plain(message: str) -> str:
    return message[0].lower() + message[1:] if message else message
