"""The test fixtures themselves work: servers start, databases are fresh, Chromium renders."""

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from tests.fixtures.browser import axe_violations, format_violations, save_screenshot, wait_rendered


def test_postgres_answers_select_1(postgres_url: str) -> None:
    engine = sa.create_engine(postgres_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(sa.text("select 1")).scalar_one() == 1
    finally:
        engine.dispose()


# Two rounds per backend: the second would see the first round's table if databases were shared.
@pytest.mark.parametrize("round_", [1, 2])
def test_database_url_is_fresh_and_writable(database_url: str, round_: int) -> None:
    engine = sa.create_engine(database_url)
    try:
        assert sa.inspect(engine).get_table_names() == []
        with engine.begin() as connection:
            connection.execute(sa.text("create table marker (round integer)"))
            connection.execute(sa.text("insert into marker values (:r)"), {"r": round_})
        with engine.connect() as connection:
            assert connection.execute(sa.text("select round from marker")).scalar_one() == round_
    finally:
        engine.dispose()


@pytest.mark.browser
def test_chromium_renders_a_served_script(start_app_server, page: Page, tmp_path) -> None:
    script = tmp_path / "smoke.py"
    script.write_text(
        "import os\n\nimport streamlit as st\n\n"
        'st.title("Smoke")\n'
        'st.write(os.environ["READINESS_DATABASE_URL"])\n'
    )
    server = start_app_server(script=script)
    assert server.database_url.startswith("sqlite:///")

    page.goto(server.url)
    wait_rendered(page, "Smoke")
    # The server's own database setting reaches the script.
    expect(page.get_by_text(server.database_url)).to_be_visible()
    save_screenshot(page, "infrastructure-smoke")
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)
