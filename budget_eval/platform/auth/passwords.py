"""Password policy and checking, the same work for every user name (no timing oracle).

The policy (OWASP ASVS 4.0.3 level 2, V2.1): at least PASSWORD_MIN_LENGTH (12) characters, at most 128, no
composition rules; refused when it is on a list of breached or common passwords shipped with the product
(checked offline), when it is the user's name or built from context words (the city's name of
rules/reports.yaml, PASSWORD_CONTEXT_WORDS: hangzhou …, any year) with digits and symbols around them, or when it repeats a few characters.
It is applied wherever a password is set: an admin creating a user or resetting a password, a user changing
their own, `create-admin` and the demo data.

The lists: budget_eval/platform/data/breached_passwords.txt.gz (437,652 passwords from SecLists, source in
breached_passwords.SOURCE.md) and common_passwords.txt (zxcvbn's list and passwords common in Chinese offices,
source at its top). Kept in memory as a sorted array of 8-byte hashes (about 3.5 MB a process).
"""
from __future__ import annotations

import bisect
import gzip
import hashlib
import re
from array import array
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

DATA = Path(__file__).resolve().parent.parent / "data"
COMMON_PASSWORDS = DATA / "common_passwords.txt"
BREACHED_PASSWORDS = DATA / "breached_passwords.txt.gz"
MAX_LENGTH = 128
MIN_CORE = 4  # what is left once context words, digits and symbols around them are taken away
MIN_DISTINCT = 5  # fewer distinct characters than this is a repetition (abcabcabcabc)
YEAR = re.compile(r"(19|20)\d\d")
EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


def _key(password: str) -> int:
    return int.from_bytes(hashlib.blake2b(password.encode("utf-8"), digest_size=8).digest(), "big")


def _common_lines() -> Iterable[str]:
    for line in COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line
    with gzip.open(BREACHED_PASSWORDS, "rt", encoding="utf-8", errors="replace") as lines:
        yield from lines


@lru_cache(maxsize=1)
def _sorted_keys() -> array:
    return array("Q", sorted({_key(line.strip().lower()) for line in _common_lines() if line.strip()}))


def is_common(password: str) -> bool:
    """Whether this password (compared case-insensitively) is on the shipped lists."""
    keys, key = _sorted_keys(), _key(password.strip().lower())
    index = bisect.bisect_left(keys, key)
    return index < len(keys) and keys[index] == key


def common_passwords_count() -> int:
    return len(_sorted_keys())


def context_words(username: str = "", display_name: str = "") -> list[str]:
    """The words an attacker tries first: the user's names and the configured context words (city, bureau)."""
    from budget_eval.platform.rules import report_settings

    words = [username, display_name, report_settings().city_name, *current_app.config["PASSWORD_CONTEXT_WORDS"]]
    return sorted({w.strip().lower() for w in words if len(w.strip()) >= 2}, key=len, reverse=True)


def password_problem(password: str, username: str = "", min_length: int | None = None,
                     display_name: str = "") -> str | None:
    """Why this password may not be used (Chinese, for the field), or None when it may."""
    if min_length is None:
        min_length = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < min_length:
        return f"密码至少{min_length}位"
    if len(password) > MAX_LENGTH:
        return f"密码不超过{MAX_LENGTH}位"
    lowered = password.lower()
    name = username.strip().lower()
    if name and (name in lowered or lowered in name):
        return "密码不能包含用户名"
    if is_common(lowered) or len(set(lowered)) < MIN_DISTINCT:
        return "该密码过于常见、容易被猜中，请换一个"
    core = lowered
    for word in context_words(username, display_name):
        core = core.replace(word, " ")
    core = EDGES.sub("", YEAR.sub(" ", core))
    if len(core.strip()) < MIN_CORE:
        return "密码不能主要由用户名、地名、单位名称、年份或数字组成，请换一个"
    if is_common(core) or is_common(core.replace(" ", "")):
        return "该密码过于常见、容易被猜中，请换一个"
    return None


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    return generate_password_hash("no such user: a password nobody has", method=method)


def verify(password_hash: str | None, password: str) -> bool:
    """Check a password; for an unknown user name hash against a dummy, so both take the same time."""
    if password_hash is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return False
    return check_password_hash(password_hash, password)
