"""Charts on a page: each Altair spec is built once per distinct input and then drawn from
the cache (building and validating a spec costs far more than drawing it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import altair as alt
import streamlit as st


@st.cache_data(show_spinner=False, max_entries=512)
def _spec(cache_key: str, _build: Callable[[], alt.TopLevelMixin]) -> dict[str, Any]:
    # `_build` is not hashed (leading underscore): `cache_key` must name everything it uses.
    # No schema validation here: it costs 15-25 ms a chart and only repeats what the tests
    # check of every builder's output (tests/test_charts.py validates each spec).
    return _build().to_dict(validate=False)


def show_chart(cache_key: str, build: Callable[[], alt.TopLevelMixin], *, key: str) -> None:
    """Draw the chart `build` returns; `cache_key` must change whenever its input does."""
    spec = _spec(cache_key, build)
    # The spec's own `description` is the chart's accessible name.
    st.vega_lite_chart(spec, width="stretch", key=key)
