"""A content root: its questionnaires, role profiles and market figures, checked as a whole.

`load_content` reads every file in one pass and collects every issue of every file, including
those across files (unknown competencies, `met_if` pointing nowhere, ids used twice). Files with
problems are left out of what the app offers; their issues say why.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from readiness.answers import Catalog, answer_issues
from readiness.checks import (
    ANY_ID,
    check_measures,
    check_questionnaire,
    check_role,
    check_role_references,
)
from readiness.conditions import referenced_questions
from readiness.loader import Document, load_document, read_text
from readiness.market import MarketFile, market_frame, parse_market_csv
from readiness.memory import collector_paused
from readiness.messages import ErrorCode, Issue
from readiness.schema import (
    FOLDER_OF_FORMAT,
    QUESTIONNAIRE_FORMAT,
    ROLE_FORMAT,
    AnswerSet,
    Questionnaire,
    RoleProfile,
    distinct_titles,
)

if TYPE_CHECKING:
    import pandas as pd

CONTENT_DIR_VARIABLE = "READINESS_CONTENT_DIR"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
QUESTIONNAIRE_DIR = Path(FOLDER_OF_FORMAT[QUESTIONNAIRE_FORMAT])
ROLE_DIR = Path(FOLDER_OF_FORMAT[ROLE_FORMAT])
MARKET_DIR = Path("data") / "market"
YAML_SUFFIXES = (".yaml", ".yml")


def default_root() -> Path:
    """`READINESS_CONTENT_DIR` if set, else the project folder."""
    configured = os.environ.get(CONTENT_DIR_VARIABLE)
    return Path(configured) if configured else PROJECT_ROOT


def content_kind(format_name: str) -> str:
    """ "questionnaire" or "role": the kind of file a `format:` value (questionnaire/1) names."""
    return format_name.partition("/")[0]


def is_content_root(path: Path) -> bool:
    return (path / QUESTIONNAIRE_DIR).is_dir() or (path / "data").is_dir()


@dataclass
class Content:
    root: Path
    questionnaires: dict[str, Questionnaire] = field(default_factory=dict)
    roles: dict[str, RoleProfile] = field(default_factory=dict)
    market_records: list[dict] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    # (kind, id) -> the file it came from, for messages and the studio (see `file_of`)
    sources: dict[tuple[str, str], Path] = field(default_factory=dict)

    @cached_property
    def market(self) -> pd.DataFrame:
        """Every valid market row, in file order."""
        return market_frame(self.market_records)

    @cached_property
    def catalog(self) -> Catalog:
        return Catalog(list(self.questionnaires.values()))

    @cached_property
    def role_titles(self) -> dict[str, str]:
        """Each role's title as shown, by id (`distinct_titles`: two roles may share one)."""
        return distinct_titles(self.roles.values())

    @property
    def ok(self) -> bool:
        return not self.issues

    def file_of(self, kind: str, item_id: str) -> Path | None:
        """The file the questionnaire or role (`kind`, see `content_kind`) was loaded from."""
        return self.sources.get((kind, item_id))

    def file_has_problems(self, item_id: str) -> bool:
        """Whether a file named after `item_id` was left out for its problems: what tells
        "no such questionnaire or role" apart from "its file does not load"."""
        return any(Path(issue.file).stem == item_id for issue in self.issues)


def is_hidden(path: Path, under: Path | None = None) -> bool:
    """Whether `path` (or a folder of it below `under`) is hidden: `.name`. Hidden files are not
    content, as `*.yaml` in a shell leaves them out; among them the `._name.yaml` copies some
    systems leave beside each file, editors' lock files and `.git`."""
    parts = path.relative_to(under).parts if under is not None else (path.name,)
    return any(part.startswith(".") for part in parts)


def root_files(root: Path) -> list[tuple[Path, str | None]]:
    """The content files under a root (not hidden ones) with the format their folder implies,
    in a stable order."""
    found: list[tuple[Path, str | None]] = []
    for folder, expected in ((QUESTIONNAIRE_DIR, QUESTIONNAIRE_FORMAT), (ROLE_DIR, ROLE_FORMAT)):
        directory = root / folder
        if directory.is_dir():
            found += [
                (path, expected)
                for path in sorted(directory.iterdir())
                # A broken link is listed, so that it is reported rather than skipped.
                if path.suffix in YAML_SUFFIXES
                and not is_hidden(path)
                and (path.is_file() or path.is_symlink())
            ]
    market = root / MARKET_DIR
    if market.is_dir():
        found += [
            (path, "market")
            for path in sorted(market.glob("*.csv"))
            if not is_hidden(path) and (path.is_file() or path.is_symlink())
        ]
    return found


# What an author may have meant as content, whatever the case of its ending.
_CONTENT_LIKE = (*YAML_SUFFIXES, ".csv", ".json")
WHERE_CONTENT_GOES = (
    "questionnaires go in assessments/*.yaml, role profiles in data/roles/*.yaml, market "
    "figures in data/market/*.csv"
)


def files_not_read(root: Path, paths: list[Path] | None = None) -> list[Path]:
    """Files that look like content but lie where the app does not read it: `paths`, or
    every such file under the root's assessments/ and data/ (in a subfolder, in data/ itself,
    with another ending such as .YAML). Hidden files are left out."""
    read = {real_path(path) for path, _ in root_files(root)}
    if paths is None:
        paths = [
            path
            for folder in (root / QUESTIONNAIRE_DIR, root / "data")
            if folder.is_dir()
            for path in sorted(folder.rglob("*"))
            if path.is_file() and path.suffix.lower() in _CONTENT_LIKE and not is_hidden(path, root)
        ]
    return [path for path in paths if path.is_file() and real_path(path) not in read]


def expected_format(path: Path) -> str | None:
    """The format a file's place implies (None where only its `format:` can tell)."""
    if path.suffix == ".csv":
        return "market"
    if path.parent.name == QUESTIONNAIRE_DIR.name:
        return QUESTIONNAIRE_FORMAT
    if path.parent.name == ROLE_DIR.name:
        return ROLE_FORMAT
    return None


def signature(root: Path) -> tuple:
    """Changes whenever a content file is added, removed or edited: a cache key."""
    entries = []
    for path, _ in root_files(root):
        try:
            stat = path.stat()
        except OSError:
            continue
        entries.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(entries)


def load_content(root: Path | None = None, extra: Sequence[Path] = ()) -> Content:
    """Read and check a content root, plus `extra` files that take precedence over it.

    Issues of all files are collected; only files without issues are offered in `Content`.
    """
    # Collections in the middle of reading YAML took about 40% of the loading time.
    with collector_paused():
        return _load_content(default_root() if root is None else root, extra)


def real_path(path: Path) -> Path:
    """The file `path` names, its links followed: to tell files apart. A link that leads back
    to itself stays as written (pathlib would raise); reading it reports the loop."""
    return Path(os.path.realpath(path))


def unique_paths(paths: Sequence[Path]) -> list[Path]:
    """`paths` without a file named again (`a.yaml ./a.yaml`): read twice, a file would be
    reported as a duplicate of itself."""
    unique: dict[Path, Path] = {}
    for path in paths:
        unique.setdefault(real_path(path), path)
    return list(unique.values())


def _load_content(root: Path, extra: Sequence[Path]) -> Content:
    extra = unique_paths(extra)
    extra_resolved = {real_path(p) for p in extra}
    in_root = root_files(root)
    root_resolved = {real_path(p) for p, _ in in_root}
    files = [(p, kind) for p, kind in in_root if real_path(p) not in extra_resolved]
    files += [(p, expected_format(p)) for p in extra]
    # A draft from elsewhere stands in for the root's file of the same id; a file of the root
    # itself does not, so two root files with one id stay a duplicate however they are named.
    drafts = {str(p) for p in extra if real_path(p) not in root_resolved}

    documents: list[tuple[Document, str | None]] = []
    market_files: list[MarketFile] = []
    for path, kind in files:
        display = str(path)
        if kind == "market":
            text = read_text(path, display)
            market_files.append(
                MarketFile([], [text])
                if isinstance(text, Issue)
                else parse_market_csv(text, display)
            )
            continue
        documents.append((load_document(path, display, expected=kind), kind))

    draft_ids = {
        (d.format, d.model.id)
        for d, _ in documents
        if isinstance(d.model, (Questionnaire, RoleProfile)) and d.file in drafts
    }
    documents = [
        (d, kind)
        for d, kind in documents
        if d.file in drafts
        or not isinstance(d.model, (Questionnaire, RoleProfile))
        or (d.format, d.model.id) not in draft_ids
    ]
    return _assemble(root, [d for d, _ in documents], market_files)


def _assemble(root: Path, documents: list[Document], market_files: list[MarketFile]) -> Content:
    questionnaires: dict[str, tuple[Document, Questionnaire]] = {}
    roles: dict[str, tuple[Document, RoleProfile]] = {}
    # A file that does not load still says what it was meant to define, as far as it can be
    # read, so that files referring to it get no false "there is no ..." problem: its own
    # problems are what to fix.
    unreadable_questionnaires: set[str] = set()
    competency_ids: set[str] = set()
    unreadable_role = False  # a role that cannot be read at all may define any competency
    answer_documents: list[Document] = []

    for document in documents:
        model = document.model
        if isinstance(model, AnswerSet):
            answer_documents.append(document)
            continue
        if model is None:
            data = document.data if isinstance(document.data, dict) else {}
            kind = document.format or document.expected or data.get("format")
            if str(kind).startswith("questionnaire/"):
                raw_id = data.get("id")
                if isinstance(raw_id, str):
                    unreadable_questionnaires.add(raw_id)
                else:  # read no further than its problem: it may define any questionnaire
                    unreadable_questionnaires.update((Path(document.file).stem, ANY_ID))
            elif str(kind).startswith("role/"):
                items = data.get("competencies")
                if not isinstance(items, list):
                    unreadable_role = True
                    continue
                for item in items:
                    if isinstance(item, dict) and isinstance(item.get("id"), str):
                        competency_ids.add(item["id"])
            continue
        registry = questionnaires if isinstance(model, Questionnaire) else roles
        what = "questionnaire" if isinstance(model, Questionnaire) else "role"
        if model.id in registry:
            # Files that refer to this id may mean either file: no "there is no ..." for them.
            if isinstance(model, Questionnaire):
                unreadable_questionnaires.add(model.id)
            else:
                competency_ids.update(c.id for c in model.competencies)
            other = registry[model.id][0].file
            line = document.lines.line_of(("id",))
            message = ErrorCode.DUPLICATE_CONTENT_ID.format(what=what, id=model.id, other=other)
            document.issues.append(
                Issue(document.file, line, "id", ErrorCode.DUPLICATE_CONTENT_ID, message)
            )
            continue
        if isinstance(model, Questionnaire):
            document.issues += check_questionnaire(model, document.file, document.lines)
            questionnaires[model.id] = (document, model)
        elif isinstance(model, RoleProfile):
            document.issues += check_role(model, document.file, document.lines)
            roles[model.id] = (document, model)
            competency_ids.update(c.id for c in model.competencies)

    for document, model in questionnaires.values():
        if not unreadable_role:
            document.issues += check_measures(model, document.file, document.lines, competency_ids)
    questionnaire_models = {qid: model for qid, (_, model) in questionnaires.items()}
    for document, model in roles.values():
        document.issues += check_role_references(
            model, document.file, document.lines, questionnaire_models, unreadable_questionnaires
        )

    content = Content(root)
    for qid, (document, model) in questionnaires.items():
        if document.ok:
            content.questionnaires[qid] = model
            content.sources[(content_kind(QUESTIONNAIRE_FORMAT), qid)] = Path(document.file)
    for rid, (document, model) in roles.items():
        referenced = {
            test.questionnaire
            for requirement in model.requirements
            if requirement._met_if is not None
            for test in referenced_questions(requirement._met_if)
        }
        # A met_if into a questionnaire with problems is not reported on the role (that file's
        # issues say what to fix), but it is not compiled either: the role cannot be scored.
        compiled = all(requirement._met_if is not None for requirement in model.requirements)
        if document.ok and compiled and referenced <= set(content.questionnaires):
            content.roles[rid] = model
            content.sources[(content_kind(ROLE_FORMAT), rid)] = Path(document.file)
    for document in answer_documents:
        document.issues += answer_issues(document.model, content, document.file, document.lines)
    content.market_records = [record for m in market_files for record in m.records]
    content.issues = sorted(
        [issue for d in documents for issue in d.issues]
        + [i for m in market_files for i in m.issues]
    )
    return content
