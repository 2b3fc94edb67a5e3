"""`python -m readiness import-xlsx`: tools for people who write content in spreadsheets."""

from __future__ import annotations

import argparse
from pathlib import Path

from readiness.cli_common import (
    EXIT_OK,
    EXIT_PROBLEM,
    UsageError,
    content_option,
    content_root,
    require_output_file,
)
from readiness.content import YAML_SUFFIXES
from readiness.files import write_atomically


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "import-xlsx",
        help="convert a questionnaire workbook (.xlsx) to questionnaire YAML, checking it first",
        description="Convert a workbook with settings, survey, choices and scales sheets to a "
        "questionnaire/1 YAML file. OUT is written only when the questionnaire is valid; "
        "otherwise each problem is printed as FILE:ROW: sheet!CELL (column): message.",
    )
    command.add_argument("workbook", type=Path, metavar="FILE.xlsx", help="the workbook to convert")
    command.add_argument("out", type=Path, metavar="OUT.yaml", help="the YAML file to write")
    content_option(command)
    command.set_defaults(run=run_import_xlsx)


def run_import_xlsx(args: argparse.Namespace) -> int:
    from readiness.xlsform import workbook_to_questionnaire

    root = content_root(args)
    out: Path = args.out
    if out.suffix not in YAML_SUFFIXES:
        raise UsageError(f"{out} must end in .yaml or .yml, so that the app can read it")
    require_output_file(out)
    if out.exists() and out.resolve() == args.workbook.resolve():
        raise UsageError("OUT.yaml must not be the workbook itself")

    text, issues = workbook_to_questionnaire(args.workbook, content_root=root, target=out)
    if text is None:
        for issue in issues:
            print(issue)
        noun = "problem" if len(issues) == 1 else "problems"
        print(f"{len(issues)} {noun} in {args.workbook}; {out} was not written.")
        return EXIT_PROBLEM
    write_atomically(out, text)
    print(f"{args.workbook}: no problems; wrote {out}.")
    return EXIT_OK
