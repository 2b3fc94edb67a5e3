"""The on-screen report as HTML: score, skills, must-haves, plan, tables, chart images, and the
pay-and-outlook figures.

The page shows the report as a few HTML blocks rather than as many small elements (a heading,
a metric, a Markdown paragraph, a table cell each): a browser draws one block in a fraction of
the time, and a screen reader gets real headings, lists and tables (`<th scope="col">`,
captions) to move between. Every text that goes in is escaped here, so a title, a source name,
a URL or a figure from a content file shows exactly as written and can never become markup;
the one field the content format defines as Markdown (a band's message) goes through a
Markdown renderer that escapes any HTML in it.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from html import escape
from numbers import Number

import pandas as pd
from markdown_it import MarkdownIt

from readiness.market import period_and_region
from readiness.outlook import (
    ONET_ATTRIBUTION,
    CareerPath,
    Figure,
    FigureGroup,
    NoSourcedFigure,
    Outlook,
    cites_onet,
)
from readiness.scoring import MET, UNKNOWN, UNMET, CompetencyScore, ScoreResult, round_half_up

# A character reference as Markdown reads it (`&amp;`, `&#169;`, `&#xA9;`): the character it
# names, where the text means to show it as written (the PDF's plain text, a widget's label).
CHARACTER_REFERENCE = re.compile(r"&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
TABLE_CLASS = "readiness-table"
CHART_CLASS = "readiness-chart"
SECTION_CLASS = "readiness-section"
_SVG_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="([\d.]+)"[^>]*?\bheight="([\d.]+)"')
GROWTH_HEADING = "Employment and its growth"
NO_GROWTH_FIGURE = "No sourced employment or growth figure is available for this role."


def cell_text(value: object) -> str:
    """A cell as a reader sees it: blank for missing, levels as 1.75 / 3, never 1e+05."""
    if value is None or (not isinstance(value, (str, list, tuple)) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Number):
        rounded = round(float(value), 2)
        return (
            f"{rounded:.2f}".rstrip("0").rstrip(".")
            if rounded != int(rounded)
            else f"{int(rounded)}"
        )
    return str(value)


def html_table(
    frame: pd.DataFrame,
    *,
    caption: str | None = None,
    label: str | None = None,
    nowrap: Iterable[str] = (),
    two_decimals: Iterable[str] = (),
) -> str:
    """`frame` as an escaped HTML table; numeric columns are right-aligned, `nowrap` columns
    (short values such as "$65,360 a year") stay on one line, and `two_decimals` columns show
    numbers as 1.00, as the chart beside them and the PDF do (others as 1 or 1.5).

    Wrapped in a region that scrolls sideways on a narrow screen and that a keyboard can focus
    to scroll it; the region is named `label`, else the caption, else the column names.
    """
    numeric = {c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])}

    unbroken = set(nowrap)
    fixed = set(two_decimals)

    def text_of(column: object, value: object) -> str:
        if column in fixed and isinstance(value, Number) and not isinstance(value, bool):
            return f"{float(value):.2f}"
        return cell_text(value)

    def cell(tag: str, column: object, text: str, scope: str = "") -> str:
        names = ["num"] * (column in numeric) + ["nowrap"] * (column in unbroken)
        classes = f' class="{" ".join(names)}"' if names else ""
        return f"<{tag}{scope}{classes}>{escape(text)}</{tag}>"

    head = "".join(cell("th", c, str(c), ' scope="col"') for c in frame.columns)
    body = "".join(
        "<tr>"
        + "".join(cell("td", c, text_of(c, v)) for c, v in zip(frame.columns, row, strict=True))
        + "</tr>"
        for row in frame.itertuples(index=False, name=None)
    )
    name = label or caption or "Table: " + ", ".join(str(c) for c in frame.columns)
    caption_html = f"<caption>{escape(caption)}</caption>" if caption else ""
    return (
        f'<div class="{TABLE_CLASS}-scroll" role="region" tabindex="0" '
        f'aria-label="{escape(name)}">'
        f'<table class="{TABLE_CLASS}">{caption_html}<thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def chart_image(svg: str, description: str, *, narrow_svg: str | None = None) -> str:
    """A rendered chart as an image with `description` as its text alternative; `narrow_svg`,
    if given, is shown instead where the column is narrow (a phone; see ui/page.css).

    Embedded (a data address), so the page needs nothing else from the server. An image
    keeps its own width where it fits and shrinks to the column where it does not; its width
    and height are set so the page does not jump when it appears.
    """

    def image(markup: str, screens: str) -> str:
        size = _SVG_SIZE.search(markup)
        dimensions = f' width="{size[1]}" height="{size[2]}"' if size else ""
        data = base64.b64encode(markup.encode("utf-8")).decode("ascii")
        return (
            f'<img class="{CHART_CLASS}-{screens}"{dimensions} '
            f'src="data:image/svg+xml;base64,{data}" alt="{escape(description)}">'
        )

    images = (
        image(svg, "any")
        if narrow_svg is None
        else image(svg, "wide") + image(narrow_svg, "narrow")
    )
    return f'<div class="{CHART_CLASS}">{images}</div>'


def figures_table(figures: list[Figure]) -> pd.DataFrame:
    """One row per figure; a source or period is written only where it changes from the row
    above, so a table of one source reads as one block."""
    rows, previous = [], None
    for figure in figures:
        origin = (figure.source, figure.period, figure.region)
        same = origin == previous
        rows.append(
            {
                "Figure": figure.label,
                "Value": figure.display,
                "Period": "" if same else period_and_region(figure.period, figure.region),
                "Source": "" if same else figure.source,
                "Note": "" if same else " ".join(figure.caveats),
            }
        )
        previous = origin
    table = pd.DataFrame(rows)
    return table.drop(columns=["Note"]) if not table["Note"].any() else table


def web_address(url: str) -> str:
    """A source page as a link target: only http(s), so a content file cannot add a script."""
    url = url.strip()
    return url if url.startswith(("https://", "http://")) else "https://" + url


def link_text(url: str, limit: int = 48) -> str:
    """A source page named by its address without the scheme (bls.gov/oes/...), so a link
    read out on its own still says where it goes."""
    text = web_address(url).split("://", 1)[1].removeprefix("www.").rstrip("/")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def source_links(urls: Iterable[str]) -> str:
    pages = list(dict.fromkeys(u for u in urls if u))
    if not pages:
        return ""
    links = " · ".join(
        f'<a href="{escape(web_address(url))}" target="_blank" rel="noopener">'
        f"{escape(link_text(url))}</a>"
        for url in pages
    )
    # Said once for all of them: each link leaves the results open behind it.
    return f'<p class="readiness-source-links">Source pages (each opens in a new tab): {links}</p>'


def _group_block(heading: str, group: FigureGroup) -> str:
    """One occupation's figures under `heading`, or what says it has none."""
    if not group.sourced:
        return _no_figure_block(heading, group.figures.message)
    return _figures_block(heading, group.figures)


def _no_figure_block(heading: str, message: str) -> str:
    return f"<h3>{escape(heading)}</h3><p>{escape(message)}</p>"


def _figures_block(heading: str, figures: list[Figure]) -> str:
    return (
        f"<h3>{escape(heading)}</h3>"
        + html_table(figures_table(figures), label=heading, nowrap=("Value",))
        + source_links(f.url for f in figures)
    )


NO_SALARY = "No sourced salary figure is available for this role, so none is shown."


def market_intro(salary: Outlook) -> str:
    """What a reader needs to know before the role's pay figures, said only where true."""
    text = (
        "Sources disagree, so each is shown on its own line with its source and period."
        if _sources_disagree(salary)
        else "Each figure is shown with its source and period."
    )
    if any(group.sourced for group in salary.related):
        text += " Figures of related occupations are listed under their own headings."
    return text


def _sources_disagree(salary: Outlook) -> bool:
    """Whether two sources give one occupation's same figure (its median, say) differently."""
    for group in salary.groups:
        if not group.sourced:
            continue
        given: dict[str, set[tuple[str, float]]] = {}
        for figure in group.figures:
            given.setdefault(figure.metric, set()).add((figure.source, figure.value))
        for pairs in given.values():
            if len({source for source, _ in pairs}) > 1 and len({v for _, v in pairs}) > 1:
                return True
    return False


def market_figures_html(salary: Outlook, growth: Outlook, path: CareerPath) -> str:
    """Every pay and growth figure of a role, each with its period and source, then the career
    path: the text part of the page's "Pay and outlook"."""
    parts = [_group_block(group.heading, group) for group in salary.groups]
    if growth.figures:
        # One block per occupation, as for pay: another occupation's rate must not read as
        # this role's.
        parts += [_group_block(f"{GROWTH_HEADING}: {g.heading}", g) for g in growth.groups]
    else:
        parts.append(_no_figure_block(GROWTH_HEADING, NO_GROWTH_FIGURE))
    if path.steps:
        parts.append(
            "<p><strong>Career path</strong>: "
            + " → ".join(escape(title) for title in path.titles)
            + "</p>"
        )
        for step in path.steps:
            parts.append(f"<p>{escape(step.step.basis)}</p>")
            if step.caveat:
                parts.append(f"<p>{escape(step.caveat)}</p>")
            # A step with figures has them under its own heading above; one without says so.
            for kind in (step.salary, step.growth):
                if isinstance(kind, NoSourcedFigure):
                    parts.append(f"<p>{escape(kind.message)}</p>")
    return "".join(parts)


# --- the report's sections -------------------------------------------------------------------

# CommonMark, with any HTML in the text shown as text; links only to safe addresses.
_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def _link_in_new_tab(renderer, tokens, index, options, env) -> str:
    # A link in a message must not take the candidate away from their results.
    tokens[index].attrSet("target", "_blank")
    tokens[index].attrSet("rel", "noopener")
    return renderer.renderToken(tokens, index, options, env)


_MARKDOWN.add_render_rule("link_open", _link_in_new_tab)

COMPETENCIES_HEADING = "Your skills against the job"
COMPETENCIES_INTRO = (
    "Bars show your level (0–4) for each skill; the mark shows the level the job needs. "
    "Skills are ordered by how much closing the gap would raise your score."
)
REQUIREMENTS_HEADING = "Must-haves"
NO_MUST_HAVES = "This role lists no must-haves."
NOTHING_TO_CLOSE = "No gaps and no missing must-haves: you meet this profile. Start applying."


def not_assessed_note(competencies: list[CompetencyScore]) -> str:
    """What the report says of the competencies no answer measured (on screen and in the PDF):
    those a question asks about, then those no question does yet; "" if every one was."""
    unanswered = [c.title for c in competencies if not c.assessed and c.asked]
    never_asked = [c.title for c in competencies if not c.asked]
    parts = []
    if unanswered:
        parts.append(
            "Not assessed (no answer measured them, so they count as level 0): "
            + ", ".join(unanswered)
            + ". Answering those questions gives a truer score."
        )
    if never_asked:
        parts.append(
            "No question asks about these yet, so they count as level 0: "
            + ", ".join(never_asked)
            + "."
        )
    return " ".join(parts)


PLAN_HEADING = "Your action plan"
# Beside the status word, for the eye only: the word is what a screen reader says.
_STATUS_MARK = {MET: "✓", UNMET: "✗", UNKNOWN: "?"}


def markdown_html(markdown: str) -> str:
    """Content Markdown (a band's message) as HTML. Its headings start at h3: it is read
    under the band's own h2, and a heading level skipped is a gap for a screen reader."""
    tokens = _MARKDOWN.parse(markdown)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + 2)}"
    return _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {})


def section_html(heading: str, text: str = "", *blocks: str, rule_above: bool = False) -> str:
    """A report section: its heading, a paragraph of plain `text`, then `blocks` (HTML made
    here: tables, chart images)."""
    paragraph = f"<p>{escape(text)}</p>" if text else ""
    rule = " readiness-rule-above" * rule_above
    return (
        f'<section class="{SECTION_CLASS}{rule}"><h2>{escape(heading)}</h2>{paragraph}'
        + "".join(blocks)
        + "</section>"
    )


def score_html(result: ScoreResult, *, lead: str | None = None) -> str:
    """The readiness score out of 100 beside its band's label and message; `lead`, if given,
    names the role first (as in "Physician liaison, from your answers of this attempt")."""
    lead_html = (
        f'<p class="readiness-lead"><strong>{escape(result.role_title)}</strong>{escape(lead)}</p>'
        if lead is not None
        else ""
    )
    message = markdown_html(result.band.message) if result.band.message else ""
    return (
        f'{lead_html}<section class="readiness-score">'
        '<p class="readiness-score-figure"><span class="readiness-score-label">Readiness</span> '
        f'<span class="readiness-score-value">{result.readiness} / 100</span></p>'
        f'<div class="readiness-score-band"><h2>{escape(result.band.label)}</h2>{message}</div>'
        "</section>"
    )


def competencies_html(result: ScoreResult, *, chart: str, table: str) -> str:
    """The skills section: the chart of level against target, its table, the skills no
    answer measured, and where each target and importance comes from."""
    unassessed = not_assessed_note(result.competencies)
    note = f"<p>{escape(unassessed)}</p>" if unassessed else ""
    return section_html(
        COMPETENCIES_HEADING, COMPETENCIES_INTRO, chart, table, note, target_sources_html(result)
    )


TARGET_SOURCES_SUMMARY = "Where each target and importance comes from"


def target_sources_html(result: ScoreResult) -> str:
    """Each competency's source, folded away under a summary a keyboard can open, and the
    credit O*NET's licence asks for where its ratings set the targets."""
    sources = [(c.title, c.source) for c in result.competencies if c.source]
    if not sources:
        return ""
    items = "".join(
        f"<li><strong>{escape(title)}</strong>: {escape(source)}</li>" for title, source in sources
    )
    credit = (
        f'<p class="readiness-source">{escape(ONET_ATTRIBUTION)}</p>'
        if cites_onet(source for _, source in sources)
        else ""
    )
    return (
        f'<details class="readiness-sources"><summary>{TARGET_SOURCES_SUMMARY}</summary>'
        f"<ul>{items}</ul></details>{credit}"
    )


def requirements_html(result: ScoreResult) -> str:
    """Each must-have: met, not yet or not answered, what to do about it, and its source."""
    if not result.requirements:
        return section_html(REQUIREMENTS_HEADING, NO_MUST_HAVES)
    items = []
    for requirement in result.requirements:
        status = requirement.status
        action = f". {escape(requirement.action)}" if status != MET and requirement.action else ""
        items.append(
            f'<li class="readiness-status-{status}"><p>'
            f'<span class="readiness-status-mark" aria-hidden="true">{_STATUS_MARK[status]}</span> '
            f"<strong>{escape(requirement.title)}</strong>: {requirement.words}{action}</p>"
            f'<p class="readiness-source">Source: {escape(requirement.source)}</p></li>'
        )
    return section_html(
        REQUIREMENTS_HEADING, "", '<ul class="readiness-requirements">' + "".join(items) + "</ul>"
    )


def plan_html(result: ScoreResult) -> str:
    """The ordered plan: missing must-haves first, then the skill gaps that weigh most, each
    with its suggested actions."""
    if not result.plan:
        return section_html(
            PLAN_HEADING,
            NOTHING_TO_CLOSE,
        )
    steps = []
    for step in result.plan:
        if step.kind == "requirement":
            why = result.must_have_reason(step)
        else:
            why = f"gap of {round_half_up(step.gap, 2):.2f} levels"
        actions = (
            "<ul>" + "".join(f"<li>{escape(action)}</li>" for action in step.actions) + "</ul>"
            if step.actions
            else ""
        )
        steps.append(f"<li><strong>{escape(step.title)}</strong> ({why}){actions}</li>")
    return section_html(
        PLAN_HEADING,
        "In this order: missing must-haves first, then the skill gaps that weigh most.",
        '<ol class="readiness-plan">' + "".join(steps) + "</ol>",
    )
