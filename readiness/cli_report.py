"""`python -m readiness report`: the candidate's PDF report of an answer set, from the shell.

The PDF and chart libraries are imported only when the command runs, so other commands start
as fast as before.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from readiness import cli_common


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD (got {text!r})") from error


def register(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser(
        "report", help="write the PDF readiness report of an answer set scored against a role"
    )
    report.add_argument("--role", required=True, metavar="ROLE_ID", help="the role profile's id")
    report.add_argument("answers", type=Path, metavar="ANSWERS_FILE", help="answers/1 YAML or JSON")
    report.add_argument(
        "--out", required=True, type=Path, metavar="FILE.pdf", help="where to write the PDF"
    )
    report.add_argument("--alias", metavar="NAME", help="the name shown on the report (optional)")
    report.add_argument(
        "--taken-on",
        type=_day,
        metavar="YYYY-MM-DD",
        help="the date the assessment was taken (default: today)",
    )
    report.add_argument(
        "--previous",
        type=Path,
        metavar="ANSWERS_FILE",
        help="an earlier answer set of the same candidate, to show what changed",
    )
    cli_common.content_option(report)
    report.set_defaults(run=run_report)


def run_report(args: argparse.Namespace) -> int:
    from readiness.answers import answer_map
    from readiness.content import load_content
    from readiness.report import build_pdf
    from readiness.scoring import score_one

    root = cli_common.content_root(args)
    content = load_content(root)
    answer_set = cli_common.read_answer_file(args.answers, content)
    previous_set = cli_common.read_answer_file(args.previous, content) if args.previous else None
    cli_common.require_role(content, args.role)
    out: Path = args.out
    cli_common.require_output_file(out)
    result = score_one(content, args.role, answer_map(answer_set))
    previous = score_one(content, args.role, answer_map(previous_set)) if previous_set else None
    pdf = build_pdf(
        result,
        content=content,
        role=args.role,
        candidate_alias=args.alias,
        taken_on=args.taken_on or date.today(),
        previous=previous,
    )
    try:
        out.write_bytes(pdf)
    except OSError as error:
        print(f"error: cannot write {out}: {error.strerror or error}", file=sys.stderr)
        return cli_common.EXIT_PROBLEM
    band = cli_common.printable(result.band.label)
    print(f"{out}: readiness {result.readiness} ({band}), {len(pdf):,} bytes")
    return cli_common.EXIT_OK
