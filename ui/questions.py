"""One question as a widget, the same for the candidate's assessment and the studio's preview.

Each widget reports its answer through `on_answer` as soon as it changes (the assessment page
saves it at once; the preview keeps it in the browser session).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import streamlit as st

from readiness.answers import AnswerMap
from readiness.conditions import value_key
from readiness.journey import Step
from readiness.markup import CHARACTER_REFERENCE
from readiness.messages import distinct_labels
from readiness.schema import Question, Questionnaire
from ui.common import plain

OnAnswer = Callable[[str, str, Any], None]
YES_NO = (True, False)
TEXT_ANSWER_CHARS = 2000  # what a typed answer may hold; ample for "anything else to add?"


def widget_key(prefix: str, questionnaire_id: str, question_id: str) -> str:
    return f"q:{prefix}:{questionnaire_id}:{question_id}"


def plain_number(value: Any) -> Any:
    """3.0 -> 3, so saved answers read as the author wrote the scale."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def render_step(
    step: Step,
    answers: AnswerMap,
    on_answer: OnAnswer,
    *,
    prefix: str,
    missing: set[str] = frozenset(),
    opens_questionnaire: bool = False,
) -> None:
    """The step's section title, intro and visible questions; first, if the step
    `opens_questionnaire` (`journey.opens_questionnaire`), the questionnaire's description."""
    if opens_questionnaire and step.questionnaire.description:
        st.markdown(step.questionnaire.description)
    # No "link to heading" anchor: it would be a Tab stop before every step's questions.
    st.header(plain(step.section.title), anchor=False)
    if step.section.intro:
        st.markdown(step.section.intro)
    given = answers.get(step.questionnaire.id, {})
    for question in step.questions:
        problem = missing_message(question) if question.id in missing else None
        with st.container(border=True):
            render_question(
                step.questionnaire,
                question,
                given.get(question.id),
                on_answer,
                prefix=prefix,
                problem=problem,
            )
            if problem:
                st.error(problem, icon=":material/error:")


def missing_message(question: Question) -> str:
    """What a required question left unanswered says. A number outside its bounds is never
    taken (the field only marks it), so a number question also says which numbers it takes."""
    message = "This question needs an answer before you go on."
    if question.type == "number" and (question.min is not None or question.max is not None):
        message += f" {number_hint(question)}."
    return message


def number_hint(question: Question) -> str:
    """Which numbers a number question takes, as its field's placeholder says."""
    low, high = question.min, question.max
    if low is not None and high is not None:
        return f"A number from {low:g} to {high:g}"
    if low is not None:
        return f"A number of at least {low:g}"
    if high is not None:
        return f"A number of at most {high:g}"
    return "Type a number"


# After Back or Next the page is drawn anew and the keyboard's focus falls to the document,
# so the next Tab would land wherever the pressed button used to be. These put it on the new
# step's heading, or on the first question still needing an answer. Constant text: a
# Content-Security-Policy names each by its hash (docs/deploy.md).
FOCUS_STEP_HEADING = """
requestAnimationFrame(() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const progress = main && main.querySelector('[data-testid="stProgress"]');
  const heading = progress && [...main.querySelectorAll("h2")].find(
    (h) => progress.compareDocumentPosition(h) & Node.DOCUMENT_POSITION_FOLLOWING);
  if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
});
"""
FOCUS_FIRST_MISSING = """
requestAnimationFrame(() => {
  const error = document.querySelector('[data-testid="stMain"] [data-testid="stAlertContentError"]');
  const question = error && error.closest('[data-testid="stVerticalBlock"]');
  const field = question && question.querySelector("input, textarea");
  if (field) { field.focus(); }
});
"""


def move_focus(script: str) -> None:
    """Run one of the focus scripts above once, on this run's page."""
    st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)


def render_question(
    questionnaire: Questionnaire,
    question: Question,
    current: Any,
    on_answer: OnAnswer,
    *,
    prefix: str,
    problem: str | None = None,
) -> None:
    """The question's widget; `problem`, shown under it by the caller, is also added to the
    widget's accessible name, so that a screen reader says it with the question."""
    key = widget_key(prefix, questionnaire.id, question.id)
    label = question.prompt + ("" if question.is_required else " (optional)")

    def changed() -> None:
        on_answer(
            questionnaire.id, question.id, _value_from_widget(question, st.session_state.get(key))
        )

    common = {"key": key, "on_change": changed}
    if question.help or _reads_as_markdown(label) or problem:
        # The question first, then its help (for ratings, what each level means): a widget's
        # own label would sit under the help, in smaller type. Also a question that looks like
        # Markdown (`*`, `_`, a backquote): a label would read it as such, and escaped it
        # would be read out with its backslashes. And a flagged question, whose label names
        # its problem. The widget keeps the question as its accessible name. (Its identity
        # is its key: a new label keeps its answer.)
        st.markdown(f"**{plain(label)}**" + (f"\n\n{question.help}" if question.help else ""))
        common["label_visibility"] = "collapsed"
    if problem:
        label = f"{label} {problem}"
    # Content text is plain: Streamlit would read Markdown in options and captions. Not in
    # the widget's label: Streamlit also makes it the accessible name, where an escaping
    # backslash would be read out.
    kind = question.type
    if kind == "rating":
        scale = questionnaire.scales[question.scale]
        values = [plain_number(entry.value) for entry in scale]
        labels = _choice_labels([(v, v, e.label) for v, e in zip(values, scale, strict=True)])
        hints = [plain(entry.hint or "") for entry in scale]
        _seed(key, current if current in values else None)
        st.radio(label, values, format_func=labels.get, captions=hints, horizontal=True, **common)
    elif kind == "single_choice":
        values = [option.value for option in question.options]
        labels = _choice_labels([(value_key(o.value), o.value, o.label) for o in question.options])
        _seed(key, current if current in values else None)
        st.radio(label, values, format_func=lambda v: labels[value_key(v)], **common)
    elif kind == "multiple_choice":
        values = [option.value for option in question.options]
        # A multiselect shows its options as text, not Markdown: nothing to escape.
        labels = _choice_labels(
            [(value_key(o.value), o.value, o.label) for o in question.options], markdown=False
        )
        _seed(key, [v for v in (current or []) if v in values])
        st.multiselect(label, values, format_func=lambda v: labels[value_key(v)],
                       placeholder="Choose all that apply", **common)  # fmt: skip
    elif kind == "yes_no":
        _seed(key, current if isinstance(current, bool) else None)
        st.radio(
            label, YES_NO, format_func=lambda v: "Yes" if v else "No", horizontal=True, **common
        )
    elif kind == "number":
        _seed(key, float(current) if current is not None else None)
        st.number_input(
            label,
            min_value=float(question.min) if question.min is not None else None,
            max_value=float(question.max) if question.max is not None else None,
            step=1.0,
            format="%g",
            placeholder=number_hint(question),
            **common,
        )
    else:
        _seed(key, current if isinstance(current, str) else "")
        # A longer answer restored from a file keeps its room: the box would cut it on edit.
        room = max(TEXT_ANSWER_CHARS, len(current) if isinstance(current, str) else 0)
        st.text_area(label, max_chars=room, **common)


# What a widget's label would read as Markdown rather than show: emphasis, code, strikes and
# maths (`* _ ` ~ $`), links, `:name:` shortcodes and `:color[...]`, bare addresses, and
# character references (`&amp;`, `&#169;`), which it would show as the characters they name.
_LABEL_MARKUP = re.compile(
    r"[*_`~$]|\[[^\]]*\]\(|:[\w/+-]+(:|\[)|://|\bwww\.|" + CHARACTER_REFERENCE.pattern,
    re.IGNORECASE,
)


def _reads_as_markdown(text: str) -> bool:
    return _LABEL_MARKUP.search(text) is not None


def _choice_labels(choices: list[tuple[Any, Any, str]], *, markdown: bool = True) -> dict[Any, str]:
    """What each choice (key, value, label) shows, by key, no two alike (a label two choices
    share gets the choice's value added: `distinct_labels`), escaped if the widget reads
    `markdown`."""
    shown = distinct_labels((key, text, str(value)) for key, value, text in choices)
    return {key: plain(text) for key, text in shown.items()} if markdown else shown


def _seed(key: str, value: Any) -> None:
    # The widget's first value comes from saved answers; afterwards the widget owns it.
    if key not in st.session_state:
        st.session_state[key] = value


def _value_from_widget(question: Question, value: Any) -> Any:
    if question.type == "multiple_choice":
        return list(value) if value else None
    if question.type == "text":
        return value.strip() or None if isinstance(value, str) else None
    if question.type == "number":
        return plain_number(value) if value is not None else None
    return value
