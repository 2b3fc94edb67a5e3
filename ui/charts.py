"""Charts on a page, each built once per distinct input and then drawn from the cache.

A candidate's report shows its charts as images rendered on the server, as the PDF prints
them: the browser then has no chart library to load and run, and the page draws in a fraction
of the time (docs/performance.md, target (d)). The figures are in the table beside each chart.
The counselor's cohort page draws its charts in the browser, for their tooltips.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

import altair as alt
import streamlit as st

from readiness import charts
from readiness.markup import chart_image

ChartBuilder = Callable[[], alt.TopLevelMixin]

# The charts are drawn for a white page, as in the report's images and the PDF (black value
# labels, dark subtitles). On Streamlit's dark theme a chart in the browser keeps that white
# figure, every colour stated, rather than take the theme's light text onto it.
LIGHT_FIGURE = {
    "title": {"color": "#000000"},
    "axis": {
        "labelColor": "#000000",
        "titleColor": "#000000",
        "gridColor": "#dddddd",
        "domainColor": "#888888",
        "tickColor": "#888888",
    },
    "legend": {"labelColor": "#000000", "titleColor": "#000000"},
    "view": {"stroke": "#dddddd"},
}


@st.cache_data(show_spinner=False, max_entries=512)
def _spec(cache_key: str, _build: ChartBuilder) -> dict[str, Any]:
    # `_build` is not hashed (leading underscore): `cache_key` must name everything it uses.
    # No schema validation here: it costs 15-25 ms a chart and only repeats what the tests
    # check of every builder's output (tests/test_charts.py validates each spec).
    return _build().to_dict(validate=False)


def show_chart(cache_key: str, build: ChartBuilder, *, key: str) -> None:
    """Draw the chart `build` returns in the browser; `cache_key` must change whenever its
    input does."""
    # The spec's own `description` is the chart's accessible name.
    st.vega_lite_chart(
        _as_light_figure(_spec(cache_key, build)), width="stretch", theme=None, key=key
    )


def _as_light_figure(spec: dict[str, Any]) -> dict[str, Any]:
    """`spec` on a white background with `LIGHT_FIGURE`'s colours under its own settings."""
    own = spec.get("config", {})
    config = {**LIGHT_FIGURE, **own}
    for group, colours in LIGHT_FIGURE.items():
        if isinstance(own.get(group), dict):
            config[group] = {**colours, **own[group]}
    # A margin inside the white, so titles and labels do not touch its edge. Per side: the
    # frontend adds to `padding.bottom`, which a single number cannot take.
    padding = dict.fromkeys(("left", "right", "top", "bottom"), 8)
    return {"padding": padding, **spec, "background": "white", "config": config}


@st.cache_data(show_spinner=False, max_entries=256)
def _image(cache_key: str, _build: ChartBuilder, _build_narrow: ChartBuilder | None) -> str:
    chart = _build()
    narrow = charts.chart_svg(_build_narrow()) if _build_narrow else None
    return chart_image(charts.chart_svg(chart), charts.description_of(chart), narrow_svg=narrow)


def chart_image_html(
    cache_key: str, build: ChartBuilder, *, narrow: ChartBuilder | None = None
) -> str:
    """The chart `build` returns as an image rendered here, as HTML to place in a section;
    `narrow` builds the version for a narrow column, if it needs one. `cache_key` must change
    whenever their input does."""
    return _image(cache_key, build, narrow)


def show_chart_image(
    cache_key: str, build: ChartBuilder, *, narrow: ChartBuilder | None = None
) -> None:
    """Draw the chart as an image on its own (see `chart_image_html`)."""
    st.html(chart_image_html(cache_key, build, narrow=narrow))


@functools.cache
def warm_up_renderer_in_background() -> None:
    """Start the chart renderer now, on a thread of its own, rather than on the first page
    that needs it (see `readiness.charts.warm_up_renderer`). Once per process."""
    threading.Thread(
        target=charts.warm_up_renderer, name="chart-renderer-warm-up", daemon=True
    ).start()
