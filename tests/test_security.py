"""The repository holds no secrets, and staff text stays out of reach of candidates' input."""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abpr]-[A-Za-z0-9-]{10,}"),
    "password in a URL": re.compile(r"\b[a-z+]+://[^/\s:@]+:(?P<secret>[^/\s@]{3,})@"),
    "Streamlit cookie secret": re.compile(r"cookieSecret\s*=\s*\"(?P<secret>[^\"]+)\""),
    "argon2 hash": re.compile(r"\$argon2(id|i|d)\$v=\d+\$"),
}
# Documentation shows where a secret goes with a placeholder, never a value.
PLACEHOLDER = re.compile(r"^(SECRET|PASSWORD|\.\.\.|<[^>]*>|\*+|\$\{?\w+\}?)$", re.IGNORECASE)
# Files allowed to mention a pattern, and why.
ALLOWED = {
    # this file spells the patterns out
    "tests/test_security.py",
}


def tracked_files() -> list[Path]:
    listing = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    return [ROOT / name.decode() for name in listing if name]


def test_no_secrets_in_tracked_files():
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    found = []
    for path in tracked_files():
        relative = path.relative_to(ROOT).as_posix()
        if relative in ALLOWED or not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        text = path.read_bytes().decode("utf-8", errors="ignore")
        for name, pattern in SECRET_PATTERNS.items():
            for match in pattern.finditer(text):
                secret = match.groupdict().get("secret")
                if secret is None or not PLACEHOLDER.match(secret):
                    found.append(f"{relative}: {name}")
    assert not found, "secrets in the repository:\n" + "\n".join(found)


def test_local_database_and_secrets_files_are_ignored():
    ignored = (ROOT / ".gitignore").read_text()
    assert "var/" in ignored
    if (ROOT / ".git").exists():
        names = {p.relative_to(ROOT).as_posix() for p in tracked_files()}
        assert not any(n.startswith("var/") for n in names)
        assert ".streamlit/secrets.toml" not in names


def test_scanner_finds_a_planted_secret(tmp_path):
    planted = "url = postgresql://admin:hunter22secret@db.example.org/app\n"
    assert SECRET_PATTERNS["password in a URL"].search(planted)
    assert not SECRET_PATTERNS["password in a URL"].search(
        "postgresql+psycopg://postgres@127.0.0.1:5432/x"
    )
