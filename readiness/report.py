"""The candidate's PDF report: score, competencies, must-haves, plan, pay, growth and sources.

Everything in it is real text (selectable, searchable, read aloud by screen readers); the charts
are PNG images rendered from the same Altair specs the results page shows, each with its
description as alternative text and followed by its table as text.
"""

from __future__ import annotations

import html
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import altair as alt
from fpdf import FPDF
from fpdf.enums import TableBordersLayout, XPos, YPos
from fpdf.fonts import FontFace

from readiness import charts, outlook
from readiness.market import period_and_region
from readiness.markup import (
    CHARACTER_REFERENCE,
    GROWTH_HEADING,
    NO_SALARY,
    NOTHING_TO_CLOSE,
    market_intro,
    not_assessed_note,
)
from readiness.schema import RoleProfile
from readiness.scoring import MET

if TYPE_CHECKING:
    from readiness.content import Content
    from readiness.scoring import ScoreResult

# DejaVu Sans covers the dashes, arrows and minus signs the report uses. Debian and Ubuntu ship
# it in fonts-dejavu-core (installed on our machines); other systems keep it elsewhere.
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
)
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
# DejaVu has no Chinese or Japanese: characters it lacks are drawn from this font when it is
# installed (Debian's fonts-droid-fallback) instead of being left out of the PDF. Korean Hangul
# is in neither font; it would need another, such as fonts-nanum.
FALLBACK_FONTS = (
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
    Path("/usr/share/fonts/droid/DroidSansFallbackFull.ttf"),
    Path("/usr/share/fonts/TTF/DroidSansFallbackFull.ttf"),
)

# Without DejaVu the report falls back to the PDF core font, which has only Latin-1.
LATIN1_REPLACEMENTS = str.maketrans(
    {
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": "...",
        "\u2022": "-",
        "\u2192": "->",
        "\u2265": ">=",
        "\u2264": "<=",
        "\u00a0": " ",
    }
)

MARGIN = 18
ROOM_ABOVE_CHART = 45  # mm a section's heading and introduction take above its chart
# Every control character but a line break (see `ReportPDF.normalize_text`).
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
INK = (20, 20, 20)
MUTED = (80, 80, 80)
RULE = (160, 160, 160)
HEADING_FILL = (232, 238, 245)


def fallback_font() -> Path | None:
    return next((path for path in FALLBACK_FONTS if path.is_file()), None)


def font_paths() -> dict[str, Path] | None:
    """Regular and bold DejaVu Sans, if both are installed where we look; else None."""
    for directory in FONT_DIRS:
        paths = {style: directory / name for style, name in FONT_FILES.items()}
        if all(path.is_file() for path in paths.values()):
            return paths
    return None


def plain(markdown: str | None) -> str:
    """Markdown of content messages as plain text: emphasis marks dropped, links as text,
    escapes (`\\*`) and character references (`&amp;`) as the characters they stand for."""
    kept: list[str] = []

    def keep(escaped: re.Match) -> str:  # out of the way of the rules below until the end
        kept.append(escaped[1])
        return f"\ue000{len(kept) - 1}\ue001"

    text = _ESCAPED.sub(keep, markdown or "")
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1 (\2)", text)
    # paired emphasis only: a lone star, as in "O*NET", is text
    text = re.sub(r"(\*\*|__)(\S(?:.*?\S)?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])([*_])(\S(?:.*?\S)?)\1(?![\w*])", r"\2", text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"(?m)^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", r"\1", text)  # headings
    # a table: a line per row, its cells apart ("a | b"), without its |---| line
    text = _TABLE_RULE.sub("", text)
    text = re.sub(r"(?m)^[ \t]*\|(.*?)\|?[ \t]*$", lambda row: "| " + row[1].strip(), text)
    # a line break inside a paragraph is a space, except before a list item ("- ", "* ",
    # "1. ") or a table's row, which keep their own lines; a blank line stays a paragraph break
    paragraphs = [
        "\n".join(" ".join(item.split()) for item in _LIST_ITEM.split(p))
        for p in re.split(r"\n\s*\n", text)
    ]
    text = "\n\n".join(p for p in paragraphs if p.strip())
    text = re.sub(r"(?m)^\| ", "", text)
    text = CHARACTER_REFERENCE.sub(lambda reference: html.unescape(reference[0]), text)
    return re.sub("\ue000(\\d+)\ue001", lambda place: kept[int(place[1])], text)


# What Markdown reads as a character: a backslash before punctuation (and CHARACTER_REFERENCE).
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_LIST_ITEM = re.compile(r"\n\s*(?=(?:[-*+|]|\d+[.)])\s)")
_TABLE_RULE = re.compile(r"(?m)^[ \t]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*(\n|$)")


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _png_size(png: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png[16:24])
    return width, height


@dataclass(frozen=True)
class ChartImage:
    png: bytes
    width: float  # mm
    height: float  # mm
    description: str


def _fitted(pdf: FPDF, text: str, width: float) -> str:
    """`text`, cut at a word and ended with an ellipsis if it is wider than `width` (mm) in the
    current font."""
    if pdf.get_string_width(text) <= width:
        return text
    words = text.split(" ")
    while len(words) > 1 and pdf.get_string_width(" ".join(words) + " …") > width:
        words.pop()
    shortened = " ".join(words)
    while shortened and pdf.get_string_width(shortened + " …") > width:
        shortened = shortened[:-1]  # one word wider than the line
    return shortened + " …"


class ReportPDF(FPDF):
    """A4 pages with the report's title in the footer and page numbers."""

    def __init__(self, footer_text: str):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer_text
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN)
        paths = font_paths()
        if paths:
            for style, path in paths.items():
                self.add_font("DejaVu", style, str(path))
            self.text_family = "DejaVu"
            fallback = fallback_font()
            if fallback:
                self.add_font("Fallback", "", str(fallback))
                # Bold text too: the fallback has one weight, and a glyph beats a gap.
                self.set_fallback_fonts(["Fallback"], exact_match=False)
        else:
            self.text_family = "Helvetica"

    def normalize_text(self, text: str) -> str:
        # Content may hold a tab or another control character (YAML's "\t"): no font draws
        # one, so the words either side would run together.
        text = _CONTROL.sub(" ", text)
        if not self.is_ttf_font:
            text = (
                text.translate(LATIN1_REPLACEMENTS).encode("latin-1", "replace").decode("latin-1")
            )
        return super().normalize_text(text)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.text_family, "", 8)
        self.set_text_color(*MUTED)
        # Room for "Page 99 of 99" on the right: a long role title is cut short, not drawn
        # over it or past the margin.
        room = self.epw - self.get_string_width("Page 999 of 999") - 4
        self.cell(0, 5, _fitted(self, self.footer_text, room), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")

    # --- building blocks ----------------------------------------------------------------------

    def font(self, size: float, bold: bool = False, colour: Sequence[int] = INK) -> None:
        self.set_font(self.text_family, "B" if bold else "", size)
        self.set_text_color(*colour)

    def heading(self, text: str, size: float = 14, space_needed: float = 40) -> None:
        """A section title, on a new page unless `space_needed` mm fit below it."""
        if self.will_page_break(min(space_needed, self.eph * 0.9)):
            self.add_page()
        else:
            self.ln(4)
        self.font(size, bold=True)
        self.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        self.set_draw_color(*RULE)
        self.set_line_width(0.3)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(3)

    def subheading(self, text: str, space_needed: float = 25) -> None:
        """A bold line kept on the page with the `space_needed` mm that follow it."""
        if self.will_page_break(min(space_needed, 120)):
            self.add_page()
        self.ln(2)
        self.font(10.5, bold=True)
        self.multi_cell(0, 5.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        self.ln(1)

    def paragraph(self, text: str, size: float = 10, colour: Sequence[int] = INK) -> None:
        self.font(size, colour=colour)
        for part in text.split("\n\n"):
            self.multi_cell(0, size * 0.5, part, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
            self.ln(1.5)

    def bullet(self, text: str, size: float = 10, indent: float = 5) -> None:
        self.font(size)
        self.set_x(self.l_margin + indent)
        self.cell(4, size * 0.5, "\u2022")
        self.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        self.ln(0.8)

    def render(self, chart: alt.TopLevelMixin) -> ChartImage:
        """The chart as an image no wider than the text and no taller than a page leaves
        below a section's heading and first lines, with its description as alt text."""
        png = charts.chart_png(chart)
        width_px, height_px = _png_size(png)
        # scale 2: two image pixels per CSS pixel; a CSS pixel is 1/96 inch
        width = min(self.epw, width_px / 2 * 25.4 / 96)
        height = width * height_px / width_px
        # A chart of many rows (a role of 40 competencies) is drawn smaller rather than
        # run off the page; the table after it gives every figure in full.
        most = self.eph - ROOM_ABOVE_CHART
        if height > most:
            width, height = width * most / height, most
        return ChartImage(png, width, height, charts.description_of(chart))

    def place(self, image: ChartImage) -> None:
        if self.will_page_break(image.height):
            self.add_page()
        self.image(
            image.png, x=self.l_margin, w=image.width, h=image.height, alt_text=image.description
        )
        self.ln(3)

    def text_table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        align: Sequence[str] | None = None,
        size: float = 9,
        merge: Sequence[int] = (),
    ) -> None:
        """A table of text; consecutive rows equal in all `merge` columns share one cell there."""
        self.font(size)
        spans = [1] * len(rows)
        if merge:
            start = 0
            for index in range(1, len(rows) + 1):
                same = index < len(rows) and all(rows[index][c] == rows[start][c] for c in merge)
                if not same:
                    spans[start] = index - start
                    for covered in range(start + 1, index):
                        spans[covered] = 0
                    start = index
        with super().table(
            col_widths=tuple(widths),
            text_align=tuple(align or ["LEFT"] * len(header)),
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            headings_style=FontFace(emphasis="BOLD", fill_color=HEADING_FILL),
            line_height=size * 0.48,
            padding=(1.2, 1.5),
            width=self.epw,
        ) as table:
            table.row(list(header))
            for values, span in zip(rows, spans, strict=True):
                row = table.row()
                for column, value in enumerate(values):
                    if column not in merge:
                        row.cell(str(value))
                    elif span:
                        row.cell(str(value), rowspan=span)
        self.ln(2)


def _number(value: float) -> str:
    return f"{value:g}"


def _write_score(pdf: ReportPDF, result: ScoreResult, previous: ScoreResult | None) -> None:
    pdf.font(12, bold=True)
    pdf.cell(
        0, 8, f"Readiness score: {result.readiness} out of 100", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.font(12)
    # Wrapped: a band's label is the author's text, of any length.
    pdf.multi_cell(
        0, 7, f"Band: {result.band.label}", new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L"
    )
    if previous is not None:
        change = result.readiness - previous.readiness
        sign = "+" if change >= 0 else "\u2212"
        pdf.font(10, colour=MUTED)
        pdf.cell(
            0,
            6,
            f"Last time: {previous.readiness} ({sign}{abs(change)} since then)",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    pdf.ln(2)
    if result.band.message:
        pdf.paragraph(plain(result.band.message))


def _write_competencies(pdf: ReportPDF, result: ScoreResult) -> None:
    image = pdf.render(charts.competency_chart(result))
    pdf.heading("Your competencies", space_needed=image.height + 30)
    pdf.paragraph(
        "Each competency is rated from 0 (none) to 4 (expert). The target is the level the job "
        "needs; importance (1 to 5) says how much it weighs in the score. The largest weighted "
        "gaps come first."
    )
    pdf.place(image)
    table = charts.competency_table(result)
    pdf.text_table(
        list(table.columns),
        [
            [c, f"{lv:.2f}", _number(t), f"{g:.2f}", _number(i), a]
            for c, lv, t, g, i, a in table.itertuples(index=False)
        ],
        widths=(0.37, 0.13, 0.10, 0.10, 0.15, 0.15),
        align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "LEFT"),
    )
    unassessed = not_assessed_note(result.competencies)
    if unassessed:
        pdf.paragraph(unassessed, size=9, colour=MUTED)


def _write_change(pdf: ReportPDF, previous: ScoreResult, result: ScoreResult) -> None:
    image = pdf.render(charts.change_since_last_chart(previous, result))
    pdf.heading("What changed since last time", space_needed=image.height + 15)
    pdf.place(image)
    table = charts.change_since_last_table(previous, result)
    rows = []
    for competency, last, now, change, target in table.itertuples(index=False):
        rows.append(
            [
                competency,
                "\u2013" if last != last else f"{last:.2f}",
                f"{now:.2f}",
                "\u2013" if change != change else charts._signed(change),
                _number(target),
            ]
        )
    pdf.text_table(
        list(table.columns),
        rows,
        widths=(0.44, 0.14, 0.14, 0.14, 0.14),
        align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
    )


def _write_requirements(pdf: ReportPDF, result: ScoreResult) -> None:
    if not result.requirements:
        return
    pdf.heading("Must-haves")
    pdf.paragraph(
        "The role's profile lists these, and the sources at the end say where each comes from. "
        "They are checked, not scored: they do not change the readiness score."
    )
    pdf.text_table(
        ["Must-have", "Status", "What to do"],
        [
            [
                r.title,
                r.words,
                "" if r.status == MET else (r.action or ""),
            ]
            for r in result.requirements
        ],
        widths=(0.30, 0.22, 0.48),
    )


def _write_plan(pdf: ReportPDF, result: ScoreResult) -> None:
    pdf.heading("Your plan")
    if not result.plan:
        pdf.paragraph(NOTHING_TO_CLOSE)
        return
    pdf.paragraph(
        "In order: must-haves not met, then must-haves we could not check, then the competency "
        "gaps that matter most (importance times gap)."
    )
    levels = {c.id: c for c in result.competencies}
    for number, step in enumerate(result.plan, start=1):
        if pdf.will_page_break(22):
            pdf.add_page()
        pdf.font(10.5, bold=True)
        pdf.multi_cell(
            0, 5.5, f"{number}. {step.title}", new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L"
        )
        pdf.font(9, colour=MUTED)
        if step.kind == "requirement":
            why = result.must_have_reason(step).capitalize()
        else:
            c = levels[step.id]
            level = "not assessed" if not c.assessed else f"your level {c.level_rounded:.2f}"
            why = f"Gap of {c.gap_rounded:.2f} levels ({level}, target {_number(c.target)})"
        pdf.multi_cell(0, 4.8, why, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        pdf.ln(0.5)
        for action in step.actions:
            pdf.bullet(action, size=9.5)
        pdf.ln(1.5)


def _write_pay(pdf: ReportPDF, salary: outlook.Outlook) -> None:
    image = (
        pdf.render(charts.salary_chart(salary.rows, title="Annual pay by source"))
        if not charts.salary_chart_rows(salary.rows).empty
        else None
    )
    pdf.heading("Pay", space_needed=(image.height if image else 0) + 30)
    pdf.paragraph(market_intro(salary) if not salary.rows.empty else NO_SALARY)
    if image:
        pdf.place(image)
    for group in salary.groups:
        table = charts.salary_table(group.rows)
        # a table whose rows share a source cell is not split: keep its heading with it
        pdf.subheading(group.heading, space_needed=14 + 6 * len(table))
        if not group.sourced:
            pdf.paragraph(group.figures.message, size=9.5)
            continue
        pdf.text_table(
            list(table.columns),
            table.values.tolist(),
            widths=(0.19, 0.12, 0.17, 0.52),
            align=("LEFT", "RIGHT", "LEFT", "LEFT"),
            size=8.5,
            merge=(2, 3),
        )
        for caveat in dict.fromkeys(c for f in group.figures for c in f.caveats):
            pdf.paragraph(f"Note: {caveat}", size=9, colour=MUTED)


def _write_growth(pdf: ReportPDF, growth: outlook.Outlook) -> None:
    pdf.heading(GROWTH_HEADING)
    for group in growth.groups:
        pdf.subheading(group.heading)
        if not group.sourced:
            pdf.paragraph(group.figures.message, size=9.5)
            continue
        for figure in group.figures:
            # A growth rate covers a span of years; a count of jobs is of one period.
            when = "over" if figure.metric == "growth_pct" else "in"
            pdf.bullet(
                f"{figure.label}: {figure.display} {when} "
                f"{period_and_region(figure.period, figure.region)}. "
                f"Source: {figure.source}",
                size=9.5,
            )
            for caveat in figure.caveats:
                pdf.set_x(pdf.l_margin + 9)
                pdf.font(9, bold=True)
                pdf.multi_cell(
                    0, 4.6, f"Caveat: {caveat}", new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L"
                )
                pdf.ln(1)


def _write_career(pdf: ReportPDF, path: outlook.CareerPath) -> None:
    pdf.heading("Career path")
    if not path.steps:
        pdf.paragraph("No career step is recorded for this role.")
        return
    pdf.font(11, bold=True)
    pdf.multi_cell(
        0, 6, " \u2192 ".join(path.titles), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L"
    )
    pdf.ln(1)
    for step in path.steps:
        pdf.paragraph(step.step.basis, size=9.5)
        for label, figures in (("Pay", step.salary), ("Growth", step.growth)):
            if isinstance(figures, outlook.NoSourcedFigure):
                pdf.bullet(f"{label}: {figures.message}", size=9.5)
                continue
            for figure in figures:
                if figure.metric in ("salary_median", "growth_pct"):
                    pdf.bullet(
                        f"{label}: {figure.label.lower()} {figure.display} "
                        f"({period_and_region(figure.period, figure.region)}). "
                        f"Source: {figure.source}",
                        size=9.5,
                    )
        if step.caveat:
            pdf.paragraph(step.caveat, size=9, colour=MUTED)
        if step.occupation and not isinstance(step.salary, outlook.NoSourcedFigure):
            pdf.paragraph(
                f"All pay figures of {step.occupation} are in the Pay section above.",
                size=9,
                colour=MUTED,
            )


def _write_method(pdf: ReportPDF, role: RoleProfile) -> None:
    pdf.heading("How the score is computed")
    pdf.paragraph(
        "Each answer that says something about a competency is turned into a level from 0 (none) "
        "to 4 (expert). Your level in a competency is the average of those levels; some questions "
        "count more than others. A competency with no answer counts as level 0 and is marked "
        "\u201cnot assessed\u201d."
    )
    pdf.paragraph(
        "For each competency we look at how much of its target level you reach: reaching or "
        "passing the target counts in full, half of it counts half. Your readiness score is the "
        "average of these shares, where more important competencies weigh more, shown out of "
        "100 and rounded to a whole number."
    )
    pdf.paragraph(
        "The band is the range your score falls in. Must-haves such as a degree are checked "
        "separately and never change the score. The plan lists must-haves that are not met, then "
        "those we could not check, then the competency gaps that matter most."
    )
    for band in role.bands:
        pdf.bullet(f"{band.label}: a score of {_number(band.at_least)} or more", size=9.5)


def _write_sources(pdf: ReportPDF, role: RoleProfile) -> None:
    pdf.heading("Sources")
    pdf.paragraph("Where each target and importance comes from, and each must-have:", size=9.5)
    for competency in role.competencies:
        pdf.bullet(f"{competency.title}: {competency.source}", size=8.5)
    for requirement in role.requirements:
        pdf.bullet(f"{requirement.title}: {requirement.source}", size=8.5)
    if outlook.uses_onet(role):
        pdf.ln(2)
        pdf.paragraph(outlook.ONET_ATTRIBUTION.replace("This page", "This report"), size=9.5)


def build_pdf(
    result: ScoreResult,
    *,
    content: Content,
    role: RoleProfile | str,
    candidate_alias: str | None = None,
    taken_on: date,
    previous: ScoreResult | None = None,
) -> bytes:
    """The report of one scored answer set as PDF bytes.

    `role` is the profile `result` was scored against (or its id); `previous`, if given, is the
    candidate's earlier attempt at the same role, shown as a change per competency.
    """
    profile = content.roles[role] if isinstance(role, str) else role
    title = f"Readiness report: {profile.title}"
    pdf = ReportPDF(footer_text=f"{title}, taken on {long_date(taken_on)}")
    pdf.set_title(title)
    pdf.set_subject(f"Job-readiness self-assessment for the role {profile.title}")
    pdf.set_lang("en")
    pdf.set_creator("readiness")
    pdf.add_page()

    pdf.font(20, bold=True)
    pdf.multi_cell(0, 10, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
    pdf.font(10, colour=MUTED)
    who = f"Prepared for {candidate_alias}. " if candidate_alias else ""
    pdf.multi_cell(
        0, 5, f"{who}Taken on {long_date(taken_on)}.", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.ln(4)

    _write_score(pdf, result, previous)
    _write_competencies(pdf, result)
    if previous is not None:
        _write_change(pdf, previous, result)
    _write_requirements(pdf, result)
    _write_plan(pdf, result)
    _write_pay(pdf, outlook.salary_outlook(content, profile))
    _write_growth(pdf, outlook.growth_outlook(content, profile))
    _write_career(pdf, outlook.career_path(content, profile))
    _write_method(pdf, profile)
    _write_sources(pdf, profile)
    return bytes(pdf.output())
