"""Shared page helpers on their own."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ui.common import shown_time, viewer_zone

NOON_UTC = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)


def test_a_time_is_shown_on_the_readers_clock_with_its_zone() -> None:
    assert shown_time(NOON_UTC, viewer_zone("Europe/Paris")) == "14 Mar 2026, 13:00 CET"
    assert shown_time(NOON_UTC, viewer_zone("America/Chicago")) == "14 Mar 2026, 07:00 CDT"
    # Past midnight there: the day changes too.
    assert shown_time(NOON_UTC, viewer_zone("Pacific/Kiritimati")).startswith("15 Mar 2026, 02:00")


@pytest.mark.parametrize("name", ["", "Not/A_Zone", "../../etc/passwd", "UTC"])
def test_a_zone_the_server_does_not_know_is_utc_and_says_so(name: str) -> None:
    assert shown_time(NOON_UTC, viewer_zone(name)) == "14 Mar 2026, 12:00 UTC"
