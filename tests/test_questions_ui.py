"""The question widgets on their own: what a choice shows, and which value it saves."""

from __future__ import annotations

import html
import re

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from ui.common import plain

SCRIPT = """
import streamlit as st
from readiness.schema import Questionnaire
from ui.questions import render_question

questionnaire = Questionnaire.model_validate({
    "format": "questionnaire/1", "id": "q", "title": "Q", "version": "1",
    "scales": {"s": [
        {"value": 0, "label": "Same"}, {"value": 2, "label": "Same"},
        {"value": 4, "label": "*Other*", "hint": "see [docs](https://example.org)"},
    ]},
    "sections": [{"id": "main", "title": "Main", "questions": [
        {"id": "r", "type": "rating", "prompt": "Rate `this`", "scale": "s"},
        {"id": "c", "type": "single_choice", "prompt": "Choose", "options": [
            {"value": "a", "label": "Same", "level": 0},
            {"value": "b", "label": "Same", "level": 4},
        ]},
        {"id": "m", "type": "multiple_choice", "prompt": "Many", "options": [
            {"value": "a", "label": "Same (CMR)", "level": 1},
            {"value": "b", "label": "Same (CMR)", "level": 3},
            {"value": "c", "label": "Other (CHBC)", "level": 2},
        ]},
        # A label with another's value added reads as a third's own label.
        {"id": "c2", "type": "single_choice", "prompt": "Choose again", "options": [
            {"value": "c", "label": "X", "level": 0},
            {"value": "d", "label": "X", "level": 0},
            {"value": "e", "label": "X (c)", "level": 4},
        ]},
        {"id": "m2", "type": "multiple_choice", "prompt": "Many again", "options": [
            {"value": "a", "label": "Y", "level": 1},
            {"value": "b", "label": "Y", "level": 1},
            {"value": "d", "label": "Y (b)", "level": 1},
        ]},
    ]}],
})
saved = st.session_state.setdefault("saved", {})
for question in questionnaire.sections[0].questions:
    render_question(
        questionnaire, question, None,
        lambda _q, qid, value: saved.__setitem__(qid, value), prefix="t",
    )
"""


def test_choices_that_share_a_label_save_their_own_value():
    at = AppTest.from_string(SCRIPT).run()
    assert not at.exception, at.exception
    rating, choice, again = at.radio
    assert rating.options == ["Same \\(0\\)", "Same \\(2\\)", "\\*Other\\*"]
    assert choice.options == ["Same \\(a\\)", "Same \\(b\\)"]
    assert again.options == ["X \\(c\\) \\#1", "X \\(d\\)", "X \\(c\\) \\#3"]
    # A multiselect shows plain text (no Markdown), so its options are not escaped.
    many, many_again = at.multiselect
    assert many.options == ["Same (CMR) (a)", "Same (CMR) (b)", "Other (CHBC)"]
    assert many_again.options == ["Y (a)", "Y (b) #2", "Y (b) #3"]
    rating.set_value(0).run()
    choice.set_value("a").run()
    many.set_value(["a", "c"]).run()
    again.set_value("c").run()
    many_again.set_value(["a", "b", "d"]).run()
    assert at.session_state["saved"] == {
        "r": 0, "c": "a", "m": ["a", "c"], "c2": "c", "m2": ["a", "b", "d"]
    }  # fmt: skip


def test_content_text_is_shown_as_written_not_as_markdown():
    at = AppTest.from_string(SCRIPT).run()
    rating = at.radio[0]
    # The label is also the accessible name: as written, with no escaping backslash.
    assert rating.label == "Rate `this`"
    # Shown above it, escaped (a label would read the backquotes as code); the label hidden.
    assert rating.proto.label_visibility.value == rating.proto.label_visibility.COLLAPSED
    assert [m.value for m in at.markdown] == [f"**{plain('Rate `this`')}**"]
    # A plain question stays the widget's own visible label.
    choice = at.radio[1]
    assert choice.label == "Choose"
    assert choice.proto.label_visibility.value == choice.proto.label_visibility.VISIBLE
    # Escaped, so Streamlit shows the brackets rather than a link.
    assert rating.proto.captions[-1] == plain("see [docs](https://example.org)")


TEXT_SCRIPT = """
import streamlit as st
from readiness.schema import Questionnaire
from ui.questions import render_question

questionnaire = Questionnaire.model_validate({
    "format": "questionnaire/1", "id": "q", "title": "Q", "version": "1",
    "sections": [{"id": "main", "title": "Main", "questions": [
        {"id": "t", "type": "text", "prompt": "Anything else?"},
    ]}],
})
render_question(questionnaire, questionnaire.sections[0].questions[0], ANSWER, lambda *_: None, prefix="t")
"""


def test_a_longer_text_answer_restored_from_a_file_keeps_its_room():
    for answer, room in ((None, 2000), ("short", 2000), ("x" * 2500, 2500)):
        at = AppTest.from_string(TEXT_SCRIPT.replace("ANSWER", repr(answer))).run()
        assert not at.exception, at.exception
        (box,) = at.text_area
        assert (box.value, box.proto.max_chars) == (answer or "", room)


@pytest.mark.parametrize(
    "text",
    [
        "Visit http://example.com/x_y now",
        "See WWW.example.org",
        "Mail a.b@example.org",
        "O*NET: $60,000",
    ],
)
def test_bare_addresses_in_content_text_stay_text(text):
    shown = plain(text)
    # What the browser reads once Markdown's escapes are undone: the same text, with only an
    # invisible word joiner inside each address, so that Streamlit does not turn it into a link.
    read = re.sub(r"\\(.)", r"\1", shown)
    assert read.replace("\u2060", "") == text
    assert not re.search(r"https?://|www\.|@[\w-]", read, re.IGNORECASE), read


@pytest.mark.parametrize(
    "text",
    ["Q&amp;A and &copy; 2024", "AT&T &#169; &#xA9;", "&lt;b&gt;bold&lt;/b&gt;", "*x* [a](b) `c`"],
)
def test_content_text_reads_as_written_once_markdown_renders_it(text):
    # CommonMark, as the browser's renderer reads it: character references become the
    # characters they name unless escaped.
    rendered = MarkdownIt("commonmark").renderInline(plain(text))
    assert "<" not in rendered.replace("&lt;", "")  # no tag: no emphasis, link or code
    assert html.unescape(rendered) == text


def test_a_question_with_a_character_reference_is_drawn_above_its_widget():
    at = AppTest.from_string(SCRIPT.replace('"Choose"', '"Q&amp;A"')).run()
    choice = at.radio[1]
    assert choice.label == "Q&amp;A"  # the accessible name, as written
    assert choice.proto.label_visibility.value == choice.proto.label_visibility.COLLAPSED
    assert f"**{plain('Q&amp;A')}**" in [m.value for m in at.markdown]


def test_the_computation_shows_a_small_weight_as_written(tmp_path) -> None:
    from readiness.content import load_content
    from readiness.scoring import score_one
    from tests.fixtures.content import MINIMAL_QUESTIONNAIRE, write_root
    from ui.report_view import computation_table

    light = MINIMAL_QUESTIONNAIRE.replace("measures: communication", "measures: communication\n        weight: 0.001")  # fmt: skip
    content = load_content(write_root(tmp_path, questionnaires={"skills.yaml": light}))
    assert content.ok, content.issues
    result = score_one(content, "analyst", {"skills": {"presenting": 4}})
    assert list(computation_table(result)["Weight"]) == ["0.001"]


@pytest.mark.parametrize(
    ("bounds", "hint"),
    [
        ({"min": 0, "max": 50}, "A number from 0 to 50"),
        ({"min": 1.5}, "A number of at least 1.5"),
        ({"max": -2}, "A number of at most -2"),
        ({}, "Type a number"),
    ],
)
def test_a_number_field_says_which_numbers_it_takes(bounds, hint):
    # A number outside the bounds is never taken (the field only marks it red), so "needs an
    # answer" alone would puzzle someone who typed 60: the message names the range.
    from readiness.schema import Questionnaire
    from ui.questions import missing_message

    document = {
        "format": "questionnaire/1", "id": "q", "title": "Q", "version": "1",
        "sections": [{"id": "s", "title": "S", "questions": [
            {"id": "n", "type": "number", "prompt": "How many?", **bounds},
        ]}],
    }  # fmt: skip
    question = Questionnaire.model_validate(document).sections[0].questions[0]
    at = AppTest.from_string(
        "from readiness.schema import Questionnaire\n"
        "from ui.questions import render_question\n"
        f"questionnaire = Questionnaire.model_validate({document!r})\n"
        "question = questionnaire.sections[0].questions[0]\n"
        "render_question(questionnaire, question, None, lambda *a: None, prefix='t')\n"
    ).run()
    assert not at.exception, at.exception
    assert at.number_input[0].proto.placeholder == hint
    expected = "This question needs an answer before you go on."
    assert missing_message(question) == (expected if not bounds else f"{expected} {hint}.")
