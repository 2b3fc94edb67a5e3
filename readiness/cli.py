"""`python -m readiness ...`: the command line of content-format.md, plus tools for staff.

This module is the edge: it turns the core's results into printed lines and exit codes
(0 clean, 1 a problem with the input, 2 wrong usage) and never lets a traceback through.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from readiness import cli_admin, cli_authoring, cli_report
from readiness.cli_common import (
    EXIT_OK,
    EXIT_PROBLEM,
    EXIT_USAGE,
    InputProblem,
    UsageError,
    content_option,
    content_root,
    read_answer_file,
    require_role,
)
from readiness.content import (
    WHERE_CONTENT_GOES,
    YAML_SUFFIXES,
    files_not_read,
    is_content_root,
    is_hidden,
    load_content,
    root_files,
    unique_paths,
)
from readiness.messages import ContentError, Issue


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m readiness",
        description="Check content, score answer sets and manage the readiness app.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    validate = commands.add_parser(
        "validate", help="check content files; one line per problem: PATH:LINE: field: message"
    )
    validate.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                          help="files or folders to check (default: the whole content root)")  # fmt: skip
    content_option(validate)
    validate.set_defaults(run=run_validate)

    score = commands.add_parser("score", help="score an answer set against a role, as JSON")
    score.add_argument("--role", required=True, metavar="ROLE_ID", help="the role profile's id")
    score.add_argument("answers", type=Path, metavar="ANSWERS_FILE", help="answers/1 YAML or JSON")
    content_option(score)
    score.set_defaults(run=run_score)

    schema = commands.add_parser("schema", help="write the JSON Schemas of the formats to OUTDIR")
    schema.add_argument("outdir", type=Path, metavar="OUTDIR")
    schema.set_defaults(run=run_schema)

    # Staff, report and spreadsheet commands live in modules of their own.
    for module in (cli_admin, cli_authoring, cli_report):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse has printed the usage message
        return EXIT_USAGE if exit_.code not in (0, None) else EXIT_OK
    try:
        return args.run(args)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except InputProblem as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_PROBLEM
    except ContentError as error:
        for issue in error.issues:
            print(issue)
        return EXIT_PROBLEM
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # the edge: no traceback reaches the user
        print(f"error: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_PROBLEM


def run_validate(args: argparse.Namespace) -> int:
    root = content_root(args)
    if not args.paths and not is_content_root(root):
        # Checking nothing must not look like a clean pass (a mistyped --content in CI).
        raise UsageError(f"{root} is not a content root: it holds neither assessments/ nor data/")
    issues: list[Issue] = []
    checked = 0
    if not args.paths:
        content = load_content(root)
        issues = content.issues
        checked = _count_files(root)
    else:
        files: list[Path] = []
        for path in args.paths:
            if path.is_dir() and is_content_root(path):
                issues += load_content(path).issues
                checked += _count_files(path)
            elif path.is_dir():
                files += sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix in (*YAML_SUFFIXES, ".csv", ".json")
                    and not is_hidden(p, path)
                )
            else:
                files.append(path)
        files = unique_paths(files)
        if files:
            shown = {str(p) for p in files}
            content = load_content(root, extra=files)
            issues += [issue for issue in content.issues if issue.file in shown]
            checked += len(files)
    _note_files_not_read(root, args)
    # The same problem found twice (a file given twice) is shown once; two problems at one
    # place are both shown.
    lines = list(dict.fromkeys(str(issue) for issue in sorted(issues)))
    for line in lines:
        print(line)
    problem_files = len({issue.file for issue in issues})
    if lines:
        noun = "problem" if len(lines) == 1 else "problems"
        print(f"{len(lines)} {noun} in {problem_files} of {checked} file(s) checked.")
        return EXIT_PROBLEM
    print(f"{checked} file(s) checked: no problems.")
    return EXIT_OK


def _note_files_not_read(root: Path, args: argparse.Namespace) -> None:
    """On standard error, so that the problem lines stay as the format defines them: files
    the app will never show, and a content root in this folder that was not the one checked."""
    given = None
    if args.paths:
        given = [
            p for p in args.paths if p.is_file() and p.suffix.lower() in (*YAML_SUFFIXES, ".csv")
        ]
    for path in files_not_read(root, given):
        print(
            f"note: the app does not read {path} (content root {root}): {WHERE_CONTENT_GOES}",
            file=sys.stderr,
        )
    here = Path.cwd()
    if (
        not args.paths
        and args.content is None
        and is_content_root(here)
        and here.resolve() != root.resolve()
    ):
        print(
            f"note: checked the content root {root}, not this folder; "
            "pass --content . to check this one",
            file=sys.stderr,
        )


def _count_files(root: Path) -> int:
    return len(root_files(root))


def run_score(args: argparse.Namespace) -> int:
    from readiness.answers import answer_map
    from readiness.scoring import score_one

    root = content_root(args)
    content = load_content(root)
    answer_set = read_answer_file(args.answers, content)
    require_role(content, args.role)
    result = score_one(content, args.role, answer_map(answer_set))
    print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    return EXIT_OK


def run_schema(args: argparse.Namespace) -> int:
    from readiness.schema import FORMATS, json_schema

    if args.outdir.exists() and not args.outdir.is_dir():
        raise UsageError(f"{args.outdir} is a file; give the folder to write the schemas into")
    args.outdir.mkdir(parents=True, exist_ok=True)
    for format_name in FORMATS:
        target = args.outdir / f"{format_name.split('/')[0]}.schema.json"
        target.write_text(json.dumps(json_schema(format_name), indent=2) + "\n", encoding="utf-8")
        print(target)
    return EXIT_OK
