"""The instructor's draft: check an uploaded or pasted file against the content root, refuse a
changed questionnaire that keeps its old version, and save it without ever corrupting good content.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from readiness.conditions import AllOf, condition_text
from readiness.content import (
    QUESTIONNAIRE_DIR,
    ROLE_DIR,
    Content,
    content_kind,
    load_content,
    real_path,
)
from readiness.files import write_atomically
from readiness.loader import parse_document
from readiness.market import figures_for
from readiness.messages import ErrorCode, Issue
from readiness.schema import QUESTIONNAIRE_FORMAT, ROLE_FORMAT, Questionnaire, RoleProfile
from readiness.storage import Store
from readiness.yamlsafe import MAX_CONTENT_BYTES, decode_text


@dataclass
class Draft:
    name: str
    text: str = ""
    format: str | None = None
    item_id: str | None = None
    version: str | None = None
    target: Path | None = None
    previous_text: str | None = None
    previous_version: str | None = None
    preview: Content | None = None  # the content root as it would be with this draft saved
    issues: list[Issue] = field(default_factory=list)
    # Problems saving it would bring to other files (a competency removed that they use):
    # not the draft's own, and an instructor may mean to fix them next.
    breaks: list[Issue] = field(default_factory=list)
    # The file was saved by someone else, or changed on disk, since it was opened: saving
    # would undo that change.
    changed_since_opened: bool = False

    @property
    def ok(self) -> bool:
        return not self.issues and self.target is not None

    @property
    def kind(self) -> str:
        """ "questionnaire" or "role", as the content root and the store name them."""
        return content_kind(self.format or "")

    @property
    def unchanged(self) -> bool:
        return self.previous_text is not None and self.previous_text == self.text


def check_draft(
    root: Path,
    raw: bytes | str,
    name: str,
    current: Content,
    *,
    opened_from: Path | None = None,
    opened_text: str | None = None,
) -> Draft:
    """Everything wrong with a draft, located in its own lines, checked with the whole root;
    what it would break in other files; whether its file changed since it was opened.

    `opened_from` is the file the draft was opened from (None for a new, uploaded or pasted
    one), holding `opened_text` then: a draft replaces only the file it came from."""
    draft = Draft(name)
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) > MAX_CONTENT_BYTES:
        message = ErrorCode.FILE_TOO_LARGE.format(size=len(raw), limit=MAX_CONTENT_BYTES)
        draft.issues.append(Issue(name, 1, "", ErrorCode.FILE_TOO_LARGE, message))
        return draft
    text = decode_text(raw, name)
    if isinstance(text, Issue):
        draft.issues.append(text)
        return draft
    draft.text = text
    document = parse_document(text, name, expected=None)
    if document.issues:
        draft.issues = document.issues
        return draft
    if document.format not in (QUESTIONNAIRE_FORMAT, ROLE_FORMAT):
        message = ErrorCode.FORMAT_UNKNOWN.format(
            got=document.format, expected=f"{QUESTIONNAIRE_FORMAT}, {ROLE_FORMAT}"
        )
        draft.issues.append(
            Issue(
                name,
                document.lines.line_of(("format",)),
                "format",
                ErrorCode.FORMAT_UNKNOWN,
                message,
            )
        )
        return draft
    draft.format = document.format
    folder = QUESTIONNAIRE_DIR if draft.format == QUESTIONNAIRE_FORMAT else ROLE_DIR
    raw_id = document.data.get("id")
    draft.item_id = raw_id if isinstance(raw_id, str) else None

    with tempfile.TemporaryDirectory() as scratch:
        # A fixed name: the id is not checked yet, and one such as "../x" would point out of
        # the scratch folder.
        staged = Path(scratch) / folder.name / "draft.yaml"
        staged.parent.mkdir(parents=True)
        staged.write_text(text, encoding="utf-8")
        existing = _existing_file(current, draft)
        # The staged file takes the place of the root's file with the same id.
        preview = load_content(root, extra=[staged])
        draft.issues = [
            replace(issue, file=name) for issue in preview.issues if issue.file == str(staged)
        ]
    if draft.issues or draft.item_id is None:
        return draft
    if existing is not None and (
        opened_from is None or real_path(opened_from) != real_path(existing)
    ):
        code = ErrorCode.DRAFT_ID_TAKEN
        other = path_in_root(existing, root)
        message = code.format(what=draft.kind, id=draft.item_id, other=other)
        draft.issues.append(Issue(name, document.lines.line_of(("id",)), "id", code, message))
        return draft
    known = {(issue.file, issue.loc, issue.code, issue.message) for issue in current.issues}
    draft.breaks = [
        replace(issue, file=path_in_root(Path(issue.file), root))  # as the instructor knows it
        for issue in preview.issues
        if issue.file != str(staged)
        and (issue.file, issue.loc, issue.code, issue.message) not in known
    ]
    draft.preview = preview
    draft.target = existing or (root / folder / f"{draft.item_id}.yaml")
    if existing is not None and existing.exists():
        draft.previous_text = existing.read_text(encoding="utf-8")
        draft.changed_since_opened = opened_text is not None and draft.previous_text != opened_text
    if draft.format == QUESTIONNAIRE_FORMAT:
        model = preview.questionnaires[draft.item_id]
        draft.version = model.version
        if draft.item_id in current.questionnaires:
            draft.previous_version = current.questionnaires[draft.item_id].version
        _check_version(
            draft,
            current.questionnaires.get(draft.item_id),
            model,
            document.lines.line_of(("version",)),
        )
    return draft


def _existing_file(current: Content, draft: Draft) -> Path | None:
    return current.file_of(draft.kind, draft.item_id)


def path_in_root(path: Path, root: Path) -> str:
    """A content file as an instructor knows it: relative to the content root."""
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _check_version(
    draft: Draft, before: Questionnaire | None, after: Questionnaire, line: int
) -> None:
    if before is None or before.version != after.version:
        return
    if before.model_dump() == after.model_dump():
        return  # same content (comments or layout may differ): no new version needed
    suggestion = f"{after.version}.1"
    code = ErrorCode.VERSION_NOT_CHANGED
    message = code.format(id=after.id, version=after.version, suggestion=suggestion)
    draft.issues.append(Issue(draft.name, line, "version", code, message))


def save_draft(draft: Draft) -> Path:
    """Write a checked draft in place atomically (a crash leaves the old file or the new one)."""
    if not draft.ok:
        raise ValueError("only a draft without issues can be saved")
    if draft.changed_since_opened:
        raise ValueError("the file changed since the draft was opened: saving would undo that")
    target = draft.target
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, draft.text)
    return target


def save(draft: Draft, store: Store, user_id: int) -> Path:
    """Save a checked draft as the studio does: the file it replaces kept as a version it can
    be compared with, the file written, the change recorded for the History. OSError if the
    file cannot be written (the content root read-only, the disk full): the old one stays."""
    if draft.previous_text is not None:
        store.save_content_version(
            draft.kind, draft.item_id, draft.previous_version or "", draft.previous_text
        )
    target = save_draft(draft)
    change = "changed" if draft.previous_text is not None else "added"
    store.record_content_change(
        user_id, str(target), draft.kind, draft.item_id, draft.version or "", change, draft.text
    )
    return target


def excerpt(text: str, line: int, context: int = 1) -> str:
    """The lines around `line`, numbered as in the file, the offending one marked with '>'."""
    lines = text.splitlines() or [""]
    first = max(1, line - context)
    last = min(len(lines), line + context)
    width = len(str(last))
    return "\n".join(
        f"{'>' if number == line else ' '} {number:>{width}} | {lines[number - 1]}"
        for number in range(first, last + 1)
    )


@dataclass
class RolePreview:
    """A role profile as tables an instructor checks against the file."""

    competencies: pd.DataFrame
    requirements: pd.DataFrame
    bands: pd.DataFrame
    unmeasured: list[str]  # titles of competencies no question measures: level 0 for everyone
    market_figures: int  # rows of data/market/*.csv under the role's `market` key


def role_preview(
    content: Content, role: RoleProfile, *, saved: Content | None = None
) -> RolePreview:
    """`role` as `content` shows it. A questionnaire of the `saved` content that `content`
    lacks (a role draft breaks it) still counts for what it measures: it is one fix away."""
    questionnaires = {**(saved.questionnaires if saved else {}), **content.questionnaires}
    measured_by: dict[str, list[str]] = {c.id: [] for c in role.competencies}
    for questionnaire in questionnaires.values():
        for question in questionnaire.questions():
            if question.measures in measured_by:
                measured_by[question.measures].append(f"{questionnaire.id}.{question.id}")
    competencies = pd.DataFrame(
        [
            {
                "Competency": c.title,
                "Target (0–4)": c.target,
                "Importance (1–5)": c.importance,
                "Measured by": ", ".join(measured_by[c.id]),
                "Description": c.description or "",
                "Actions": "\n".join(c.actions),
                "Source": c.source,
            }
            for c in role.competencies
        ]
    )
    requirements = pd.DataFrame(
        [
            {
                "Must-have": r.title,
                # Compiled only when the content it points to is valid.
                "Met when": condition_text(r._met_if) if r._met_if is not None else "",
                "Action": r.action or "",
                "Source": r.source,
            }
            for r in role.requirements
        ],
        columns=["Must-have", "Met when", "Action", "Source"],
    )
    bands = pd.DataFrame(
        [
            {"Band": b.label, "From score": b.at_least, "Message": b.message or ""}
            for b in role.bands
        ]
    )
    unmeasured = [c.title for c in role.competencies if not measured_by[c.id]]
    market_figures = len(figures_for(content.market, role.market)) if role.market else 0
    return RolePreview(competencies, requirements, bands, unmeasured, market_figures)


def questionnaire_overview(questionnaire: Questionnaire) -> pd.DataFrame:
    """Every question of a questionnaire, hidden ones included, with what decides whether it is
    shown and what it scores."""
    rows = []
    for section in questionnaire.sections:
        for question in section.questions:
            conditions = tuple(c for c in (section._show_if, question._show_if) if c is not None)
            shown_if = (
                condition_text(conditions[0] if len(conditions) == 1 else AllOf(conditions),
                               qualified=False)
                if conditions
                else "always"
            )  # fmt: skip
            rows.append(
                {
                    "Section": section.title,
                    "Question": question.id,
                    "Type": question.type,
                    "Prompt": question.prompt,
                    "Required": "yes" if question.is_required else "no",
                    "Shown if": shown_if,
                    "Measures": question.measures or "",
                    # Text, blank where nothing is measured: a missing number shows as "None".
                    "Weight": f"{question.weight:g}" if question.measures else "",
                }
            )
    return pd.DataFrame(rows)
