"""Write liaison-quick-check.xlsx, the example workbook of docs/authoring.md.

    python docs/examples/make_example_workbook.py [OUT.xlsx]

The workbook is what an instructor would type in a spreadsheet program; convert it with
`python -m readiness import-xlsx docs/examples/liaison-quick-check.xlsx OUT.yaml`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

SETTINGS = [
    ["id", "title", "version", "description", "estimated_minutes"],
    [
        "liaison-quick-check",
        "Physician liaison quick check",
        "2026.11",
        "Five minutes on the skills a physician liaison uses every week.\n"
        "Rate what you have **actually done**, at work, in study or as a volunteer.",
        5,
    ],
]

SURVEY_COLUMNS = [
    "type", "id", "prompt", "help", "required", "show_if", "measures", "weight",
    "min", "max", "levels", "yes_level",
]  # fmt: skip
SURVEY = [
    {
        "type": "begin section",
        "id": "physicians",
        "prompt": "Working with physicians",
        "help": "How you explain, build trust and solve problems with referring offices.",
    },
    {
        "type": "rating proficiency",
        "id": "explain-service",
        "measures": "communication",
        "prompt": "Explain a medical service (what it treats, who qualifies, how to refer) to a "
        "physician in about two minutes, accurately and in plain words.",
    },
    {
        "type": "rating proficiency",
        "id": "first-meeting",
        "measures": "relationship-building",
        "weight": 2,
        "prompt": "Get a first meeting with a busy professional you do not know, and leave with a "
        "reason to come back.",
        "help": "This counts twice for relationship building: it is the core of the job.",
    },
    {
        "type": "rating proficiency",
        "id": "handle-complaint",
        "measures": "negotiation",
        "prompt": "Resolve a complaint from a referring office and agree a fix both sides keep.",
    },
    {"type": "end section"},
    {},  # a blank row: skipped, and the rows below keep their numbers
    {"type": "begin section", "id": "tools-events", "prompt": "Tools, data and events"},
    {
        "type": "single_choice crm",
        "id": "crm-use",
        "measures": "crm-technology",
        "prompt": "Which best describes how you keep track of professional contacts?",
    },
    {
        "type": "number",
        "id": "referral-reports",
        "measures": "market-research",
        "prompt": "How many reports have you built from referral, sales or visit data?",
        "help": "Count reports someone else used to make a decision.",
        "min": 0,
        "max": 500,
        "levels": "0:0, 1:1, 3:2, 10:3",
    },
    {
        "type": "yes_no",
        "id": "terminology-course",
        "measures": "medical-knowledge",
        "yes_level": 2,
        "prompt": "Have you completed a medical terminology course?",
    },
    {
        "type": "yes_no",
        "id": "ran-event",
        "prompt": "Have you helped run an educational event, such as a lunch-and-learn?",
    },
    {
        "type": "multiple_choice events",
        "id": "event-kinds",
        "measures": "presentation-education",
        "show_if": "{question: ran-event, equals: true}",
        "prompt": "Which parts of an event have you done yourself?",
        "help": "Choose all that apply.",
    },
    {
        "type": "text",
        "id": "notes",
        "required": "no",
        "prompt": "Anything you would like a career counselor to know?",
    },
    {"type": "end section"},
]

CHOICES = [
    ["list", "value", "label", "level"],
    ["crm", "none", "I do not keep a contact list", 0],
    ["crm", "spreadsheet", "A spreadsheet or address book", 1],
    ["crm", "one-crm", "One CRM product, such as Salesforce or HubSpot", 2],
    ["crm", "several-crm", "Several CRM products, including their reports", 3],
    ["events", "invite", "Invited the audience", 1],
    ["events", "present", "Presented to the audience", 2],
    ["events", "follow-up", "Followed up with attendees afterwards", 1],
    ["events", "budget", "Planned the budget and venue", 1],
]

SCALES = [
    ["scale", "value", "label", "hint"],
    ["proficiency", 0, "None", "I have not done this."],
    ["proficiency", 1, "Aware", "I know what it involves but have not done it."],
    ["proficiency", 2, "With help", "I have done it with guidance or someone checking."],
    ["proficiency", 3, "On my own", "I do it well without help."],
    ["proficiency", 4, "Expert", "I could teach it to others."],
]


def build_workbook() -> Workbook:
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(SURVEY_COLUMNS)
    for row in SURVEY:
        survey.append([row.get(column) for column in SURVEY_COLUMNS])
    for title, rows in (("choices", CHOICES), ("scales", SCALES), ("settings", SETTINGS)):
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    for sheet in workbook.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for column, width in zip("ABCD", (22, 22, 60, 50), strict=True):
            sheet.column_dimensions[column].width = width
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
    return workbook


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else Path(__file__).with_name("liaison-quick-check.xlsx")
    build_workbook().save(target)
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
