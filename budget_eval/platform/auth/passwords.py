"""Password policy and checking, the same work for every user name (no timing oracle).

The policy is applied wherever a password is set: an admin creating a user or resetting a password, a user
changing their own, `create-admin` and the demo data. The list of common passwords ships with the app
(budget_eval/platform/data/common_passwords.txt, its source noted at the top).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

COMMON_PASSWORDS = Path(__file__).resolve().parent.parent / "data" / "common_passwords.txt"
MAX_LENGTH = 128


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str, username: str = "", min_length: int | None = None) -> str | None:
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
    if lowered in common_passwords() or len(set(lowered)) < 3:
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
