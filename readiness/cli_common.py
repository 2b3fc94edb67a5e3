"""What every command of `python -m readiness` shares: exit codes, the errors that choose
them, the --content option, and reading a role and an answer file from what was typed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from readiness.content import Content, default_root
from readiness.messages import ContentError, ErrorCode
from readiness.schema import AnswerSet

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2
_NOT_IN_CONTENT = (ErrorCode.ANSWER_UNKNOWN_QUESTIONNAIRE, ErrorCode.ANSWER_UNKNOWN_QUESTION)


class UsageError(Exception):
    """Wrong usage: exit 2 with the message."""


class InputProblem(Exception):
    """A problem with what the command was given (not located in a file): exit 1."""


def printable(text: str) -> str:
    """Content text for a terminal line: a control character (YAML's "\\e", "\\t") is a
    space, not an instruction to the terminal or a line break."""
    return "".join(char if char.isprintable() else " " for char in text)


def content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content",
        metavar="DIR",
        type=Path,
        help="content root holding assessments/ and data/ (default: $READINESS_CONTENT_DIR "
        "or the project folder)",
    )


def content_root(args: argparse.Namespace) -> Path:
    root = args.content if args.content is not None else default_root()
    if not root.is_dir():
        raise UsageError(f"content root {root} is not a folder")
    return root


def require_output_file(out: Path) -> None:
    """UsageError unless `out` names a file that can be made: a command pointed at a folder
    that does not exist, or at a folder, was given the wrong place."""
    if not out.parent.is_dir():
        raise UsageError(f"cannot write {out}: folder {out.parent} does not exist")
    if out.is_dir():
        raise UsageError(f"cannot write {out}: it is a folder; name a file in it")


def require_role(content: Content, role_id: str) -> None:
    """InputProblem unless `role_id` is a usable role profile of the content."""
    if role_id in content.roles:
        return
    known = ", ".join(sorted(content.roles)) or "none"
    hint = "; its file has problems (run validate)" if content.file_has_problems(role_id) else ""
    raise InputProblem(f"there is no usable role profile {role_id!r}{hint}. Roles: {known}")


def read_answer_file(path: Path, content: Content) -> AnswerSet:
    """The answer set in `path`, checked against the content; ContentError if it has problems."""
    from readiness.answers import answer_issues
    from readiness.loader import load_document
    from readiness.schema import ANSWERS_FORMAT

    document = load_document(path, str(path), expected=ANSWERS_FORMAT)
    if document.ok:
        document.issues += answer_issues(document.model, content, document.file, document.lines)
    if not document.ok:
        if any(issue.code in _NOT_IN_CONTENT for issue in document.issues):
            # The file may be right and the content the wrong one: say which was read.
            print(f"note: checked against the content root {content.root}", file=sys.stderr)
        raise ContentError(document.issues)
    return document.model
