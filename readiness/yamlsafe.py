"""Reading YAML safely while remembering where every value stands.

PyYAML's safe loader still overwrites duplicate keys and turns `yes` keys into booleans. Here the
document is composed into nodes (libyaml when available) and converted by hand: keys stay text,
explicit tags become located issues, a duplicate key is reported (the first value is kept, so
the rest of the file is still checked), aliases are followed within a budget (an "alias bomb"
is refused, not expanded), and every value's line is kept so that schema problems can point at
the line the author sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from readiness.messages import ErrorCode, Issue, describe, loc_to_dot

Loc = tuple[str | int, ...]

MAX_CONTENT_BYTES = 2 * 1024 * 1024
# Values read through aliases, on top of those written out: ample for reusing a list of options
# many times, far below what a file of nested aliases could make a reader build.
MAX_ALIAS_VALUES = 100_000
# A `!` or an alias's `*name` where a value may start; not the `**` of Markdown bold text.
_MAY_HOLD_TAG_OR_ALIAS = re.compile(r"(?:^|[\s\[{,:?-])(?:!|\*[^\s*])", re.MULTILINE)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CONSTRUCTOR = SafeConstructor()
_TAG = "tag:yaml.org,2002:"
_MERGE_TAG = _TAG + "merge"
# A number in exponent form without a decimal point (1e3, 1E+300): a number in JSON and in
# YAML 1.2, but text to YAML 1.1's rules, which would refuse an answers file json.dumps wrote.
EXPONENT_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?[eE][-+]?[0-9]+")
_SCALAR_TAGS = {
    _TAG + "str": "str",
    _TAG + "int": "int",
    _TAG + "float": "float",
    _TAG + "bool": "bool",
    _TAG + "null": "null",
    # Dates are kept as the text the author wrote.
    _TAG + "timestamp": "str",
}


@dataclass
class LineMap:
    """1-based lines of the value at each location, and of the key that introduces it."""

    values: dict[Loc, int] = field(default_factory=dict)
    keys: dict[Loc, int] = field(default_factory=dict)
    # Numbers as written (2026.10, which reads as 2026.1): to quote them back to the author.
    written: dict[Loc, str] = field(default_factory=dict)

    def line_of(self, loc: Loc, *, key: bool = False) -> int:
        """The line of `loc`, or of its nearest enclosing value that exists in the file."""
        if key and loc in self.keys:
            return self.keys[loc]
        for end in range(len(loc), -1, -1):
            prefix = loc[:end]
            if prefix in self.values:
                return self.values[prefix]
        return 1


@dataclass
class ParsedYaml:
    data: Any
    lines: LineMap
    # Problems that do not stop the reading (duplicate keys): the data is still checked.
    issues: list[Issue] = field(default_factory=list)


class _Problem(Exception):
    def __init__(self, code: ErrorCode, line: int, loc: Loc = (), **values: object):
        self.code, self.line, self.loc, self.values = code, line, loc, values


def decode_text(raw: bytes, file: str) -> str | Issue:
    """UTF-8 text of `raw` (a byte-order mark is allowed), or a located issue."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        message = ErrorCode.NOT_UTF8.format(byte=f"0x{raw[error.start]:02x}", offset=error.start)
        return Issue(file, line, "", ErrorCode.NOT_UTF8, message)


def parse_yaml(text: str, file: str, *, expected_format: str = "...") -> ParsedYaml | Issue:
    """Parse one YAML document into plain data and a line map, or return the first issue.

    A syntax problem stops the reading of that file; problems of meaning are found later.
    """
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        message = ErrorCode.FILE_EMPTY.format(expected=expected_format)
        return Issue(file, 1, "", ErrorCode.FILE_EMPTY, message)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        return _syntax_issue(error, file, text)
    except yaml.reader.ReaderError as error:
        # A character YAML does not allow (a NUL, another control character): its line.
        line = text.count("\n", 0, error.position) + 1
        problem = f"the character U+{error.character:04X} is not allowed ({error.reason})"
        return Issue(
            file, line, "", ErrorCode.YAML_SYNTAX, ErrorCode.YAML_SYNTAX.format(problem=problem)
        )
    except yaml.YAMLError as error:
        return Issue(
            file, 1, "", ErrorCode.YAML_SYNTAX, ErrorCode.YAML_SYNTAX.format(problem=error)
        )
    except RecursionError:
        problem = "the document is nested too deeply"
        return Issue(
            file, 1, "", ErrorCode.YAML_SYNTAX, ErrorCode.YAML_SYNTAX.format(problem=problem)
        )
    # `---` alone is an explicit document holding nothing: as empty as an empty file.
    if node is None or (
        isinstance(node, ScalarNode) and node.tag == _TAG + "null" and not node.value
    ):
        message = ErrorCode.FILE_EMPTY.format(expected=expected_format)
        return Issue(file, 1, "", ErrorCode.FILE_EMPTY, message)
    converter = _Converter(text, file)
    try:
        data = converter.convert(node, ())
    except _Problem as problem:
        message = problem.code.format(**problem.values)
        return Issue(file, problem.line, loc_to_dot(problem.loc), problem.code, message)
    except RecursionError:
        problem_text = "the document is nested too deeply"
        return Issue(
            file, 1, "", ErrorCode.YAML_SYNTAX, ErrorCode.YAML_SYNTAX.format(problem=problem_text)
        )
    return ParsedYaml(data, converter.lines, converter.issues)


# Errors in a construct left open: the construct starts where the mistake is, and the parser
# only notices it later (often at the end of the file).
_OPENED_CONSTRUCTS = (
    "while parsing a flow mapping",
    "while parsing a flow sequence",
    "while scanning a quoted scalar",
)


# The parser says what it met; these say what an author usually has to do about it.
_SYNTAX_HINTS = {
    "mapping values are not allowed": "a text that holds ': ' must be in double quotes",
    "did not find expected '-' indicator": "indent every item of this list alike",
    "did not find expected key": "indent this key as the keys beside it",
    "could not find expected ':'": (
        "write a key as 'key: value', with a space after the colon, or close the quote "
        "left open on the line before"
    ),
}


_BAD_ESCAPE = "found invalid Unicode character escape code"
_SURROGATE_ESCAPE = re.compile(r"\\(?:u|U0000)[dD][89a-fA-F][0-9a-fA-F]{2}")


def _half_character_at(source_lines: list[str], mark: yaml.Mark | None) -> str | None:
    """The escape of half a character pair (`\\ud83d`) where the parser stopped, if any."""
    if mark is None or mark.line >= len(source_lines):
        return None
    for found in _SURROGATE_ESCAPE.finditer(source_lines[mark.line]):
        if found.start() <= mark.column <= found.end():
            return found[0]
    return None


def _quote_closed_on_line(text: str, line: int) -> int | None:
    """The line where a quoted text opens, if it runs over several lines and closes on `line`
    (1-based), the line of a syntax error: else None."""
    opened = None
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if token.start_mark.line + 1 > line:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'"):
                spans = token.start_mark.line + 1 < token.end_mark.line + 1 == line
                opened = token.start_mark.line + 1 if spans else None
    except yaml.YAMLError:
        pass
    return opened


def _syntax_issue(error: yaml.MarkedYAMLError, file: str, text: str) -> Issue:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else 1
    problem = error.problem or str(error)
    if error.context == "expected a single document in the stream":
        return Issue(
            file, line, "", ErrorCode.MULTIPLE_DOCUMENTS, ErrorCode.MULTIPLE_DOCUMENTS.value
        )
    source_lines = text.splitlines()
    if (
        mark
        and mark.line < len(source_lines)
        and "\t" in source_lines[mark.line][: mark.column + 1]
    ):
        return Issue(file, line, "", ErrorCode.YAML_TAB, ErrorCode.YAML_TAB.value)
    half = _half_character_at(source_lines, mark) if problem.startswith(_BAD_ESCAPE) else None
    if half:
        # libyaml refuses `"\ud83d"`: half of a character pair, which no file can store.
        return Issue(
            file, line, "", ErrorCode.HALF_CHARACTER, ErrorCode.HALF_CHARACTER.format(escape=half)
        )
    context = error.context
    if context in _OPENED_CONSTRUCTS and error.context_mark and error.problem_mark:
        opened = error.context_mark.line + 1
        if opened != line:
            problem, context, line = f"{problem} on line {line}", f"{context} that starts here", opened  # fmt: skip
    elif (opened := _quote_closed_on_line(text, line)) is not None:
        # A quote left open is closed by the next quote the file holds, lines later: the
        # parser then trips over what follows it, but the mistake is where the quote opens.
        return Issue(
            file,
            opened,
            "",
            ErrorCode.YAML_SYNTAX,
            ErrorCode.YAML_SYNTAX.format(
                problem=f"{problem} on line {line}, where the quote opened here closes; "
                "close the quote on this line"
            ),
        )
    if context:
        problem = f"{problem} ({context})"
    hint = next(
        (h for start, h in _SYNTAX_HINTS.items() if (error.problem or "").startswith(start)), ""
    )
    if hint:
        problem = f"{problem}; {hint}"
    return Issue(
        file, line, "", ErrorCode.YAML_SYNTAX, ErrorCode.YAML_SYNTAX.format(problem=problem)
    )


class _Converter:
    """Plain data from composed nodes, with the line of every value and key."""

    def __init__(self, text: str, file: str):
        self.file = file
        self.lines = LineMap()
        self.issues: list[Issue] = []
        # The parser's events are read only when the text may hold a tag or an alias.
        marks = _Marks()
        if ("!" in text or "*" in text) and _MAY_HOLD_TAG_OR_ALIAS.search(text):
            marks = _marks(text)
        self.tags, self.alias_lines = marks.tags, marks.alias_lines
        self.seen: set[int] = set()
        self.open: set[int] = set()  # the nodes being converted: an alias to one is a loop
        self.aliases_followed = 0
        self.alias_values = 0
        self.in_alias: tuple[Loc, int] | None = None  # where the alias being followed stands
        self.merging = False  # reading what a merge key (`<<: *name`) brings in

    def convert(self, node: Node, loc: Loc) -> Any:
        line = node.start_mark.line + 1
        node_id = id(node)
        if node_id in self.seen:
            if node_id in self.open:
                raise _Problem(ErrorCode.YAML_ALIAS_LOOP, self._alias_line(loc, line), loc)
            if self.in_alias is None:
                # libyaml hands an alias back as the very node it names: follow it, on a
                # budget, with the alias's own line for the value it stands for.
                self.in_alias = (loc, self._alias_line(loc, line))
                try:
                    return self.convert(node, loc)
                finally:
                    self.in_alias = None
        if self.in_alias is not None:
            alias_loc, alias_line = self.in_alias
            self.alias_values += 1
            if self.alias_values > MAX_ALIAS_VALUES:
                limit = f"{MAX_ALIAS_VALUES:,}"
                raise _Problem(ErrorCode.YAML_ALIAS_BUDGET, alias_line, alias_loc, limit=limit)
            # The alias stands where it is written, and so does everything it repeats: a
            # problem of the copy (a duplicate of the original, say) is located there. Keys
            # a merge brings in keep the anchor's lines (`_merged`).
            if loc == alias_loc or not self.merging:
                line = alias_line
        if self.tags:
            tag = self.tags.get((node.start_mark.line, node.start_mark.column))
            if tag is not None:
                raise _Problem(ErrorCode.YAML_TAG, line, loc, tag=_short_tag(tag))
        self.seen.add(node_id)
        self.lines.values[loc] = line
        if isinstance(node, ScalarNode):
            value = _scalar(node, loc, line)
            if isinstance(value, int | float) and not isinstance(value, bool):
                self.lines.written[loc] = node.value
            return value
        # A problem raised below ends the reading, so `open` needs no cleaning up then.
        self.open.add(node_id)
        if isinstance(node, SequenceNode):
            value: Any = [
                self.convert(item, (*loc, index)) for index, item in enumerate(node.value)
            ]
        elif isinstance(node, MappingNode):
            value = self._mapping(node, loc)
        else:
            raise _Problem(ErrorCode.YAML_SYNTAX, line, loc, problem="unsupported node")
        self.open.discard(node_id)
        return value

    def _alias_line(self, loc: Loc, anchor_line: int) -> int:
        # Aliases met outside other aliases come in the order the parser reported them.
        index, self.aliases_followed = self.aliases_followed, self.aliases_followed + 1
        if index < len(self.alias_lines):
            return self.alias_lines[index]
        return self.lines.keys.get(loc, anchor_line)

    def _mapping(self, node: MappingNode, loc: Loc) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        merges: list[tuple[list[dict[str, Any]], LineMap]] = []
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if self.in_alias is not None and not self.merging:
                key_line = self.in_alias[1]
            if self.tags:
                tag = self.tags.get((key_node.start_mark.line, key_node.start_mark.column))
                if tag is not None:
                    raise _Problem(ErrorCode.YAML_TAG, key_line, loc, tag=_short_tag(tag))
            if isinstance(key_node, ScalarNode) and key_node.tag == _MERGE_TAG:
                merges.append(self._merged(value_node, loc, key_line))
                continue
            if not isinstance(key_node, ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                got = (
                    "a list or mapping"
                    if not isinstance(key_node, ScalarNode)
                    else "a tagged value"
                )
                raise _Problem(ErrorCode.KEY_NOT_TEXT, key_line, loc, got=got)
            key = key_node.value
            child = (*loc, key)
            if key in mapping:
                # Reported with the first value kept: no silent overwrite, and the rest of the
                # file is still checked.
                first_line = self.lines.keys[child]
                message = ErrorCode.DUPLICATE_KEY.format(key=key, first_line=first_line)
                self.issues.append(
                    Issue(self.file, key_line, loc_to_dot(child), ErrorCode.DUPLICATE_KEY, message)
                )
                continue
            self.lines.keys[child] = key_line
            mapping[key] = self.convert(value_node, child)
        # YAML's merge keys (`<<: *defaults`): keys written out win, then earlier merges.
        for parts, lines in merges:
            for part in parts:
                for key, value in part.items():
                    if key in mapping:
                        continue
                    mapping[key] = value
                    child = (*loc, key)
                    for table, merged in ((self.lines.values, lines.values),
                                          (self.lines.keys, lines.keys)):  # fmt: skip
                        table.update(
                            (at, line) for at, line in merged.items() if at[: len(child)] == child
                        )
        return mapping

    def _merged(self, node: Node, loc: Loc, key_line: int) -> tuple[list[dict[str, Any]], LineMap]:
        """The mapping(s) a merge key brings in, with their lines (those of the anchor)
        kept apart until it is known which keys the mapping keeps."""
        outer, self.lines, self.merging = self.lines, LineMap(), True
        try:
            value = self.convert(node, loc)
            lines = self.lines
        finally:
            self.lines, self.merging = outer, False
        parts = value if isinstance(value, list) else [value]
        if not parts or not all(isinstance(part, dict) for part in parts):
            got = "a list of other values" if isinstance(value, list) else describe(value)
            raise _Problem(ErrorCode.YAML_MERGE, key_line, loc, got=got)
        return parts, lines


@dataclass
class _Marks:
    tags: dict[tuple[int, int], str] = field(default_factory=dict)  # (line, column) from 0: tag
    alias_lines: list[int] = field(default_factory=list)  # from 1, in document order


def _marks(text: str) -> _Marks:
    """Where the parser saw explicit tags and aliases: composed nodes no longer tell."""
    marks = _Marks()
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                marks.alias_lines.append(event.start_mark.line + 1)
            elif getattr(event, "tag", None) is not None:
                marks.tags[(event.start_mark.line, event.start_mark.column)] = event.tag
    except yaml.YAMLError:
        pass  # unreachable: compose has already parsed this very text
    return marks


def _scalar(node: ScalarNode, loc: Loc, line: int) -> Any:
    kind = _SCALAR_TAGS.get(node.tag)
    if kind is None:
        raise _Problem(ErrorCode.YAML_TAG, line, loc, tag=_short_tag(node.tag))
    if kind == "str":
        if not node.style and EXPONENT_NUMBER.fullmatch(node.value):  # plain, not quoted
            return float(node.value)
        return node.value
    if kind == "null":
        return None
    if kind == "bool":
        return _CONSTRUCTOR.construct_yaml_bool(node)
    if kind == "int":
        return _CONSTRUCTOR.construct_yaml_int(node)
    return _CONSTRUCTOR.construct_yaml_float(node)


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag
