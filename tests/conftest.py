"""Shared fixtures. Larger fixture groups live in tests/fixtures/ and are registered here."""

pytest_plugins = [
    "tests.fixtures.content",
    "tests.fixtures.browser",
    "tests.fixtures.postgres",
    "tests.fixtures.apptest",
    "tests.fixtures.storage",
    "tests.fixtures.sample",
]
