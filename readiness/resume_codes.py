"""Resume codes: the words a candidate writes down to come back to their answers.

A code is six words drawn with `secrets` from the BIP-0039 English word list (2048 words,
shipped by the `mnemonic` package): 6 × log2(2048) = 66 bits of entropy, so guessing one is
hopeless even without the rate limit on `Store.resume`. Every word is 3–8 lowercase letters and
no two words share their first four letters, so a code survives capitals, extra spaces, other
separators and words shortened to four letters (`normalise` restores the full words).

Storage keeps only a code's `digest`, as a site keeps a password's hash: a copy of the database
lets nobody resume as a candidate. The candidate sees their code from their browser session.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from functools import cache

from mnemonic import Mnemonic

WORDS_PER_CODE = 6
PREFIX_LENGTH = 4  # BIP-0039 words are unique in their first four letters
SEPARATOR = "-"


@cache
def word_list() -> tuple[str, ...]:
    return tuple(Mnemonic("english").wordlist)


@cache
def _by_prefix() -> dict[str, str]:
    return {word[:PREFIX_LENGTH]: word for word in word_list()}


def entropy_bits() -> float:
    """Bits of entropy of a code: 66.0 with six words from 2048."""
    return WORDS_PER_CODE * math.log2(len(word_list()))


def new_code() -> str:
    """A fresh random code such as `ladder-orbit-pencil-violin-snack-canyon`."""
    words = word_list()
    return SEPARATOR.join(secrets.choice(words) for _ in range(WORDS_PER_CODE))


def normalise(code: str) -> str | None:
    """The canonical form of a typed code, or None if it cannot be one.

    Case, spaces, hyphens, dots and commas between words do not matter, and each word may be
    shortened to its first four letters.
    """
    parts = [part for part in re.split(r"[\s\-_.,;:/]+", code.strip().lower()) if part]
    if len(parts) != WORDS_PER_CODE:
        return None
    words = []
    lookup = _by_prefix()
    for part in parts:
        if not part.isalpha() or not part.isascii():
            return None
        word = lookup.get(part[:PREFIX_LENGTH])
        # A shortened word must be a prefix of the real one; a longer one must match it.
        if word is None or not (
            word.startswith(part) and len(part) >= min(PREFIX_LENGTH, len(word))
        ):
            return None
        words.append(word)
    return SEPARATOR.join(words)


def digest(code: str) -> str:
    """What storage keeps of a normalised code: its SHA-256, in hex.

    A plain hash, not a slow password hash: with 66 bits of entropy, finding a code from its
    digest takes about 2**65 hashes, where a password's few bits of entropy need the slowness.
    """
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


# Cohort share codes --------------------------------------------------------------------------
# A counselor reads these out or writes them on a board, so they are short: 10 characters of
# Crockford's base32 (no I, L, O or U), 50 bits. Knowing one only lets a candidate share their
# own results into that cohort, so it need not be as strong as a resume code.

COHORT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
COHORT_CODE_LENGTH = 10
_COHORT_LOOKALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})


def new_cohort_code() -> str:
    """A fresh share code such as `K7QM2-XD9RT`."""
    raw = "".join(secrets.choice(COHORT_ALPHABET) for _ in range(COHORT_CODE_LENGTH))
    return format_cohort_code(raw)


def format_cohort_code(raw: str) -> str:
    half = COHORT_CODE_LENGTH // 2
    return f"{raw[:half]}{SEPARATOR}{raw[half:]}"


def normalise_cohort_code(code: str) -> str | None:
    """The canonical `XXXXX-XXXXX` form of a typed share code, or None if it cannot be one."""
    raw = re.sub(r"[\s\-_.]+", "", code.upper()).translate(_COHORT_LOOKALIKES)
    if len(raw) != COHORT_CODE_LENGTH or any(c not in COHORT_ALPHABET for c in raw):
        return None
    return format_cohort_code(raw)
