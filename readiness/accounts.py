"""Staff accounts: who they are, and how their passwords are hashed and checked.

Passwords are hashed with Argon2id (argon2-cffi's `PasswordHasher` defaults) and never kept,
logged or printed in clear. The `Store` methods `add_user`, `authenticate` and `get_user` use
what is here; sign-in lockouts live with the other rate limits in `readiness.storage`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

COUNSELOR, INSTRUCTOR = "counselor", "instructor"
ROLES = (COUNSELOR, INSTRUCTOR)
MIN_PASSWORD_LENGTH = 10
MIN_DISTINCT_CHARACTERS = 5
MAX_PASSWORD_LENGTH = 1024  # hashing megabytes of "password" would be a cheap denial of service
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountError(ValueError):
    """An account cannot be created as asked; the message says why."""


@dataclass(frozen=True)
class User:
    id: int
    email: str
    name: str | None
    role: str
    # Set at sign-in: which password the session was opened with (`credential_of`), so that a
    # new password ends the sessions opened with the old one.
    credential: str = field(default="", compare=False, repr=False)


def credential_of(password_hash: str) -> str:
    """A short fingerprint of a stored password hash: it changes with every new password."""
    return hashlib.sha256(password_hash.encode("utf-8")).hexdigest()[:32]


@cache
def password_hasher() -> PasswordHasher:
    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    return password_hasher().hash("not a password of anyone")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_new_account(email: str, password: str, role: str) -> str:
    """The normalised e-mail, or AccountError saying what is wrong with the request."""
    normalised = normalise_email(email)
    if not _EMAIL.match(normalised) or len(normalised) > 320:
        raise AccountError(f"{email!r} is not an e-mail address")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)} (got {role!r})")
    check_password(password)
    return normalised


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at most {MAX_PASSWORD_LENGTH} characters")
    # Length alone would let ten spaces, or one key held down, pass.
    if len(set(password.strip())) < MIN_DISTINCT_CHARACTERS:
        raise AccountError(
            f"the password must use at least {MIN_DISTINCT_CHARACTERS} different characters, "
            "not counting spaces at either end"
        )


def hash_password(password: str) -> str:
    return password_hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True if `password` matches; for an unknown account (None) it takes about as long."""
    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    try:
        return password_hasher().verify(stored_hash or _dummy_hash(), password) and (
            stored_hash is not None
        )
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's defaults."""
    try:
        return password_hasher().check_needs_rehash(stored_hash)
    except InvalidHashError:
        return False
