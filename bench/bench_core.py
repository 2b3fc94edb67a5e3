"""Benchmark: the core on a large content root.

Generates a content root of 100 questionnaires × 50 questions (mixed types, some show_if, a
hidden-able section in each, every scored question measuring a competency of one generated
role with requirements), then times:

- `load_content` of the whole root (target: under 1 s);
- scoring 10,000 random answer sets in one `score_answer_maps` call against scoring them one
  at a time (`score_answer_maps` with one set per call), and prints the ratio (target ≥ 20×).

    .venv/bin/python bench/bench_core.py [--sets 10000] [--answered 10] [--loop-sample 500]

Each answer set answers ~80% of the questions of `--answered` random questionnaires (all 100
make 50 million Python answer values: use --answered 100 with fewer --sets). With
--loop-sample N only N single calls are timed and their time is scaled up to --sets (the
loop's cost is linear in the number of sets); --loop-sample 0 times every single call.
Prints wall and CPU time: on a busy machine CPU time is the steadier figure. No assertions.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from readiness.content import Content, load_content  # noqa: E402
from readiness.scoring import score_answer_maps  # noqa: E402

ROLE = "generated-role"
COMPETENCIES = 12
QUESTIONNAIRES = 100
SECTIONS = 5
QUESTIONS_PER_SECTION = 10
LOAD_TARGET_S = 1.0
RATIO_TARGET = 20.0
# question type by position in a section: half ratings, a text, one of each other type
KINDS = ("rating", "rating", "single_choice", "rating", "yes_no", "multiple_choice", "rating", "number", "rating", "text")  # fmt: skip


def _dump(data: Any) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True)


def make_question(qid: str, kind: str, index: int, earlier: dict[str, str]) -> dict[str, Any]:
    question: dict[str, Any] = {"id": qid, "type": kind, "prompt": f"Question {qid}?"}
    if kind != "text":
        question["measures"] = f"competency-{index % COMPETENCIES}"
        question["weight"] = 1 + index % 3
    if kind == "rating":
        question["scale"] = "proficiency"
    elif kind in ("single_choice", "multiple_choice"):
        question["options"] = [
            {"value": f"option-{i}", "label": f"Option {i}", "level": (i * 4) / 4} for i in range(5)
        ]
    elif kind == "yes_no":
        question["yes_level"] = 3
    elif kind == "number":
        question.update(min=0, max=50, levels=[{"at_least": a, "level": lv} for a, lv in ((0, 0), (1, 1), (3, 2), (6, 3), (10, 4))])  # fmt: skip
    # Every seventh question depends on an earlier one of the same questionnaire.
    if index % 7 == 6 and earlier:
        target_id, target_kind = list(earlier.items())[-1]
        if target_kind == "rating":
            question["show_if"] = {"question": target_id, "at_least": 2}
        elif target_kind == "yes_no":
            question["show_if"] = {"question": target_id, "equals": True}
        else:
            question["show_if"] = {"question": target_id, "answered": True}
    return question


def make_questionnaire(number: int) -> dict[str, Any]:
    sections = []
    earlier: dict[str, str] = {}
    index = 0
    for s in range(SECTIONS):
        questions = []
        for position in range(QUESTIONS_PER_SECTION):
            kind = KINDS[position]
            qid = f"q{index:02d}"
            questions.append(make_question(qid, kind, index + number, earlier))
            if kind in ("rating", "yes_no", "single_choice"):
                earlier[qid] = kind
            index += 1
        section: dict[str, Any] = {"id": f"section-{s}", "title": f"Section {s}", "questions": questions}  # fmt: skip
        if s == SECTIONS - 1:  # the last section only for those who answered the first yes/no
            section["show_if"] = {"question": "q04", "equals": True}
        sections.append(section)
    return {
        "format": "questionnaire/1",
        "id": f"questionnaire-{number:03d}",
        "title": f"Questionnaire {number}",
        "version": "2026.11",
        "scales": {
            "proficiency": [
                {"value": v, "label": f"Level {v}", "hint": "Hint."} for v in range(1, 6)
            ]  # fmt: skip
        },
        "sections": sections,
    }


def make_role() -> dict[str, Any]:
    return {
        "format": "role/1",
        "id": ROLE,
        "title": "Generated role",
        "competencies": [
            {
                "id": f"competency-{c}",
                "title": f"Competency {c}",
                "target": 1 + c % 4,
                "importance": 1 + (c * 0.37) % 4,
                "source": "Generated.",
            }  # fmt: skip
            for c in range(COMPETENCIES)
        ],
        "requirements": [
            {
                "id": "requirement-yes",
                "title": "Yes",
                "source": "Generated.",
                "met_if": {"question": "questionnaire-000.q04", "equals": True},
            },  # fmt: skip
            {
                "id": "requirement-any",
                "title": "Any",
                "source": "Generated.",
                "met_if": {
                    "any": [
                        {"question": f"questionnaire-{n:03d}.q07", "at_least": 3} for n in range(5)
                    ]
                },
            },  # fmt: skip
            {
                "id": "requirement-all",
                "title": "All",
                "source": "Generated.",
                "met_if": {
                    "all": [
                        {"question": "questionnaire-001.q00", "at_least": 3},
                        {"not": {"question": "questionnaire-001.q02", "equals": "option-0"}},
                    ]
                },
            },  # fmt: skip
        ],
        "bands": [
            {"at_least": 80, "label": "Ready"},
            {"at_least": 50, "label": "Close"},
            {"at_least": 0, "label": "Start"},
        ],  # fmt: skip
    }


def write_content(root: Path) -> None:
    (root / "assessments").mkdir(parents=True)
    (root / "data" / "roles").mkdir(parents=True)
    for number in range(QUESTIONNAIRES):
        path = root / "assessments" / f"questionnaire-{number:03d}.yaml"
        path.write_text(_dump(make_questionnaire(number)), encoding="utf-8")
    (root / "data" / "roles" / f"{ROLE}.yaml").write_text(_dump(make_role()), encoding="utf-8")


def random_answers(content: Content, rng: random.Random, answered: int) -> dict[str, dict]:
    answers: dict[str, dict] = {}
    for questionnaire_id in rng.sample(sorted(content.questionnaires), answered):
        questionnaire = content.questionnaires[questionnaire_id]
        entry = {}
        for question in questionnaire.questions():
            if rng.random() >= 0.8:
                continue
            kind = question.type
            if kind == "rating":
                entry[question.id] = rng.randint(1, 5)
            elif kind == "single_choice":
                entry[question.id] = rng.choice(question.options).value
            elif kind == "multiple_choice":
                entry[question.id] = [o.value for o in question.options if rng.random() < 0.3]
            elif kind == "yes_no":
                entry[question.id] = rng.random() < 0.6
            elif kind == "number":
                entry[question.id] = rng.randint(0, 15)
            else:
                entry[question.id] = "Some text."
        answers[questionnaire_id] = entry
    return answers


def timed(function: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds, result)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", type=int, default=10_000, help="answer sets to score")
    parser.add_argument("--answered", type=int, default=10, help="questionnaires answered per set")  # fmt: skip
    parser.add_argument("--loop-sample", type=int, default=500, help="single calls to time (0: all)")  # fmt: skip
    parser.add_argument("--repeat", type=int, default=5, help="load_content runs")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory) / "content"
        write_content(root)
        size = sum(p.stat().st_size for p in root.rglob("*.yaml"))
        print(f"content: {QUESTIONNAIRES} questionnaires × {SECTIONS * QUESTIONS_PER_SECTION} questions, 1 role of {COMPETENCIES} competencies, {size / 1e6:.1f} MB of YAML")  # fmt: skip

        loads = [timed(lambda: load_content(root)) for _ in range(args.repeat)]
        content = loads[-1][2]
        if content.issues:
            print("the generated content has issues:", *content.issues[:5], sep="\n  ")
            return
        walls, cpus = [w for w, _, _ in loads], [c for _, c, _ in loads]
        verdict = "under" if min(walls) < LOAD_TARGET_S else "OVER"
        print(f"load_content: first {walls[0]:.3f} s, best {min(walls):.3f} s, median {statistics.median(walls):.3f} s wall; best {min(cpus):.3f} s CPU ({verdict} the {LOAD_TARGET_S:g} s target)")  # fmt: skip

    rng = random.Random(args.seed)
    wall, _, answer_sets = timed(lambda: [random_answers(content, rng, args.answered) for _ in range(args.sets)])  # fmt: skip
    answers = sum(len(entry) for answer_set in answer_sets for entry in answer_set.values())
    print(f"answer sets: {args.sets:,}, each answering {args.answered} questionnaires ({answers:,} answers; generated in {wall:.1f} s)")  # fmt: skip

    score_answer_maps(
        content, ROLE, answer_sets[:1]
    )  # builds the catalog once, outside the timings
    batch_wall, batch_cpu, batch = timed(lambda: score_answer_maps(content, ROLE, answer_sets))
    print(f"one call of {args.sets:,} sets: {batch_wall:.3f} s wall, {batch_cpu:.3f} s CPU")

    sample = args.sets if args.loop_sample <= 0 else min(args.loop_sample, args.sets)
    chosen = random.Random(args.seed).sample(range(args.sets), sample)
    loop_wall, loop_cpu, singles = timed(lambda: [score_answer_maps(content, ROLE, [answer_sets[i]]) for i in chosen])  # fmt: skip
    scale = args.sets / sample
    how = "every single call" if sample == args.sets else f"{sample} single calls, scaled ×{scale:g} to {args.sets:,}"  # fmt: skip
    print(f"{args.sets:,} calls of 1 set: {loop_wall * scale:.1f} s wall, {loop_cpu * scale:.1f} s CPU ({how}; {loop_wall / sample * 1000:.1f} ms per call)")  # fmt: skip

    agree = all(int(single.readiness[0]) == int(batch.readiness[i]) for single, i in zip(singles, chosen, strict=True))  # fmt: skip
    print(f"same readiness row by row on the {sample} sampled sets: {'yes' if agree else 'NO'}")
    ratio_wall = loop_wall * scale / batch_wall
    ratio_cpu = loop_cpu * scale / batch_cpu
    verdict = "meets" if ratio_cpu >= RATIO_TARGET else "MISSES"
    print(f"ratio, one at a time ÷ all at once: {ratio_wall:.0f}× wall, {ratio_cpu:.0f}× CPU ({verdict} the {RATIO_TARGET:g}× target)")  # fmt: skip


if __name__ == "__main__":
    main()
