"""The documentation cannot go stale silently: schemas, examples, codes and CLI options are checked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from readiness.content import PROJECT_ROOT

DOCS = PROJECT_ROOT / "docs"
SCHEMA_DIR = DOCS / "schema"


def run_cli(*args: str, cwd: Path = PROJECT_ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "readiness", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


# JSON Schemas ---------------------------------------------------------------------------------


def test_committed_schemas_match_the_models(tmp_path):
    result = run_cli("schema", str(tmp_path))
    assert result.returncode == 0, result.stderr
    generated = sorted(p.name for p in tmp_path.glob("*.json"))
    committed = sorted(p.name for p in SCHEMA_DIR.glob("*.json"))
    assert (
        generated
        == committed
        == [
            "answers.schema.json",
            "questionnaire.schema.json",
            "role.schema.json",
        ]
    )
    for name in generated:
        assert (tmp_path / name).read_text(encoding="utf-8") == (SCHEMA_DIR / name).read_text(
            encoding="utf-8"
        ), f"docs/schema/{name} is stale: run `python -m readiness schema docs/schema`"


SHIPPED = [
    ("questionnaire", path) for path in sorted((PROJECT_ROOT / "assessments").glob("*.yaml"))
] + [("role", path) for path in sorted((PROJECT_ROOT / "data" / "roles").glob("*.yaml"))]


@pytest.mark.parametrize(("kind", "path"), SHIPPED, ids=[p.name for _, p in SHIPPED])
def test_shipped_content_passes_the_editor_schema(kind, path):
    # An editor must not underline a file that the app accepts.
    schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]
    assert errors == []


def test_editor_schema_flags_a_typo_in_a_condition():
    schema = json.loads((SCHEMA_DIR / "questionnaire.schema.json").read_text(encoding="utf-8"))
    data = yaml.safe_load((PROJECT_ROOT / "assessments" / "liaison-background.yaml").read_text())
    data["sections"][0]["questions"][1]["show_if"] = {"question": "education", "inn": ["master"]}
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data))
