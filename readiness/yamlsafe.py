"""Reading YAML safely while remembering where every value stands.

PyYAML's safe loader still overwrites duplicate keys, expands aliases and turns `yes` keys into
booleans. Here the document is composed into nodes (libyaml when available) and converted by hand:
keys stay text, duplicate keys, aliases and non-standard tags become located issues, and every
value's line is kept so that schema problems can point at the line the author sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from readiness.messages import ErrorCode, Issue, loc_to_dot

Loc = tuple[str | int, ...]

MAX_CONTENT_BYTES = 2 * 1024 * 1024
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CONSTRUCTOR = SafeConstructor()
_TAG = "tag:yaml.org,2002:"
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
    lines = LineMap()
    try:
        data = _convert(node, (), lines, set())
    except _Problem as problem:
        message = problem.code.format(**problem.values)
        line = problem.line
        if problem.code is ErrorCode.YAML_ALIAS:
            line = _first_alias_line(text) or line
        return Issue(file, line, loc_to_dot(problem.loc), problem.code, message)
    except RecursionError:
        problem_text = "the document is nested too deeply"
        return Issue(
            file, 1, "", ErrorCode.YAML_SYNTAX, ErrorCode.YAML_SYNTAX.format(problem=problem_text)
        )
    return ParsedYaml(data, lines)


def _first_alias_line(text: str) -> int | None:
    # A composed alias is the very node it names, with the anchor's position: ask the parser.
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                return event.start_mark.line + 1
    except yaml.YAMLError:
        pass
    return None


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
    if error.context:
        problem = f"{problem} ({error.context})"
    return Issue(
        file, line, "", ErrorCode.YAML_SYNTAX, ErrorCode.YAML_SYNTAX.format(problem=problem)
    )


def _convert(node: Node, loc: Loc, lines: LineMap, seen: set[int]) -> Any:
    line = node.start_mark.line + 1
    # libyaml hands an alias back as the very node it names: a second visit is an alias.
    if id(node) in seen:
        raise _Problem(ErrorCode.YAML_ALIAS, lines.keys.get(loc, line), loc)
    seen.add(id(node))
    lines.values[loc] = line
    if isinstance(node, ScalarNode):
        return _scalar(node, loc, line)
    if isinstance(node, SequenceNode):
        if node.tag != _TAG + "seq":
            raise _Problem(ErrorCode.YAML_TAG, line, loc, tag=_short_tag(node.tag))
        return [_convert(item, (*loc, index), lines, seen) for index, item in enumerate(node.value)]
    if isinstance(node, MappingNode):
        if node.tag != _TAG + "map":
            raise _Problem(ErrorCode.YAML_TAG, line, loc, tag=_short_tag(node.tag))
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if id(key_node) in seen:  # an alias used as a key
                raise _Problem(ErrorCode.YAML_ALIAS, key_line, loc)
            seen.add(id(key_node))
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
                raise _Problem(
                    ErrorCode.DUPLICATE_KEY, key_line, child, key=key, first_line=lines.keys[child]
                )
            lines.keys[child] = key_line
            mapping[key] = _convert(value_node, child, lines, seen)
        return mapping
    raise _Problem(ErrorCode.YAML_SYNTAX, line, loc, problem="unsupported node")


def _scalar(node: ScalarNode, loc: Loc, line: int) -> Any:
    kind = _SCALAR_TAGS.get(node.tag)
    if kind is None:
        raise _Problem(ErrorCode.YAML_TAG, line, loc, tag=_short_tag(node.tag))
    if kind == "str":
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
