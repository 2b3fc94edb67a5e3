"""The bad-input corpus (tests/bad_inputs/): every broken file is rejected by `validate` with the
located line its manifest records, and never with a traceback or a hang.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parent / "bad_inputs"
MANIFEST = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))
SLOW_S = 1.0
HANG_S = 5.0


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def test_the_manifest_lists_every_corpus_file_once():
    listed = [entry["file"] for entry in MANIFEST]
    assert len(listed) == len(set(listed)), "a file is listed twice"
    on_disk = {
        path.relative_to(CORPUS).as_posix()
        for path in CORPUS.rglob("*")
        if path.is_file() and path.name != "expected.yaml"
    }
    generated = {entry["file"] for entry in MANIFEST if "generate_bytes" in entry}
    assert on_disk == set(listed) - generated
    assert not generated & on_disk, "generated files must not be committed"
    assert len(listed) >= 30
    kinds = {path.split("/")[0] + "/" + path.split("/")[1] for path in listed if path.startswith("data/")}  # fmt: skip
    assert kinds == {"data/roles", "data/market"}


def _generate(entry: dict, folder: Path) -> Path:
    path = folder / entry["file"]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        file.write(b"format: questionnaire/1\ndescription: ")
        file.write(b"x" * entry["generate_bytes"])
        file.write(b"\n")
    return path


@pytest.mark.parametrize("entry", MANIFEST, ids=lambda entry: entry["file"])
def test_bad_input_is_rejected_with_its_located_line(entry, tmp_path, capsys):
    path = _generate(entry, tmp_path) if "generate_bytes" in entry else CORPUS / entry["file"]
    cpu_before, started = _children_cpu_seconds(), time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "readiness", "validate", str(path), "--content", str(REPO)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,  # a blocked process is a hang too
    )
    elapsed, cpu = time.perf_counter() - started, _children_cpu_seconds() - cpu_before
    if elapsed > SLOW_S:
        with capsys.disabled():
            print(f"\n  {entry['file']}: {elapsed:.2f} s elapsed, {cpu:.2f} s CPU")

    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert result.returncode == 1, output
    prefix = f"{path}:{entry['line']}: {entry.get('field', 'file')}: "
    located = [
        line[len(prefix) :] for line in result.stdout.splitlines() if line.startswith(prefix)
    ]
    assert any(entry["message"] in message for message in located), (
        f"expected a line {prefix}...{entry['message']}...\ngot:\n{result.stdout}"
    )
    assert result.stdout.splitlines()[-1].endswith("in 1 of 1 file(s) checked.")
    # Not a timing test: the machine may be busy. CPU time well past the usual half second
    # means the check itself went wrong (a runaway loop, an alias expanded).
    assert cpu < HANG_S, f"validate used {cpu:.1f} s of CPU on {entry['file']}"
