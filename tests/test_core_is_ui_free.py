"""The core (`readiness/`) never imports Streamlit: pages are thin, the core is plain Python that
the CLI, reports and tests use without a UI.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORE = REPO / "readiness"
UI_PACKAGES = ("streamlit",)


def _is_ui(module: str | None) -> bool:
    return module is not None and module.split(".")[0] in UI_PACKAGES


def ui_imports(source: str, filename: str) -> list[str]:
    """`file:line: statement` for each import of a UI package, static or by name."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        names: list[str | None] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Call):
            # importlib.import_module("streamlit") or __import__("streamlit")
            function = node.func
            called = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", None)  # fmt: skip
            if called in ("import_module", "__import__") and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    names = [first.value]
        if any(_is_ui(name) for name in names):
            found.append(f"{filename}:{node.lineno}: {ast.unparse(node)}")
    return found


CORE_FILES = sorted(CORE.rglob("*.py"))


def test_there_are_core_files_to_check():
    assert {"scoring.py", "loader.py", "cli.py"} <= {p.name for p in CORE_FILES}


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_core_module_does_not_import_streamlit(path):
    assert ui_imports(path.read_text(encoding="utf-8"), str(path.relative_to(REPO))) == []


@pytest.mark.parametrize(
    "source",
    [
        "import streamlit as st",
        "import streamlit.components.v1",
        "from streamlit import session_state",
        "from streamlit.testing.v1 import AppTest",
        "def f():\n    import streamlit\n",
        "import importlib\nst = importlib.import_module('streamlit')",
        "st = __import__('streamlit')",
    ],
)
def test_the_check_finds_every_spelling(source):
    assert ui_imports(source, "example.py")


@pytest.mark.parametrize("source", ["import streamlit_like", "from . import streamlit", "x = 'streamlit'"])  # fmt: skip
def test_the_check_leaves_other_names_alone(source):
    assert ui_imports(source, "example.py") == []


def test_importing_the_cli_loads_no_streamlit():
    # Also catches a UI import that arrives through another module.
    code = "import sys, readiness.cli, readiness.scoring, readiness.content; print('streamlit' in sys.modules)"  # fmt: skip
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
