from __future__ import annotations

import unicodedata
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from budget_eval.platform.domain.roles import FINANCE_ROLES, Role
from budget_eval.platform.extensions import db
from budget_eval.platform.models.constraints import race_guard
from budget_eval.platform.models.department import Department
from budget_eval.platform.models.types import utcnow


def username_key(name: str) -> str:
    """What two user names are compared by: Unicode NFKC with case folding (NFKC_Casefold), so `Admin`,
    `ADMIN` and the full-width `ａｄｍｉｎ` are all the same name as `admin`."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name.strip()).casefold())


class User(UserMixin, db.Model):
    __tablename__ = "user_account"  # "user" is reserved in PostgreSQL
    __table_args__ = (race_guard("username"), race_guard("username_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    # the name as compared (username_key()): set with the name, unique, so look-alikes are refused by the database
    username_key: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    # required for department staff; for others their affiliation (used for conflict-of-interest checks)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    # for experts: 工作单位 and 职称, printed on opinion forms and the expert list of reports
    organisation: Mapped[str] = mapped_column(String(100), default="", server_default="")
    professional_title: Mapped[str] = mapped_column(String(50), default="", server_default="")
    # where notifications are also e-mailed when SMTP is configured (platform/mail.py); none = in-app only
    email: Mapped[str | None] = mapped_column(String(254))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # part of every session's id: raising it ends every session of this user (logout, password, role, deactivation)
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    department: Mapped[Department | None] = relationship()

    @validates("username")
    def _keep_key(self, _key: str, value: str) -> str:
        self.username_key = username_key(value)
        return value

    def get_id(self) -> str:  # flask-login keeps this in the session; the loader checks the version
        return f"{self.id}.{self.session_version}"

    def end_sessions(self) -> None:
        """Invalidate every session of this user, everywhere (takes effect on their next request)."""
        self.session_version = (self.session_version or 0) + 1

    @property
    def is_active(self) -> bool:  # flask-login refuses inactive accounts
        return self.active

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def is_finance(self) -> bool:
        return self.role_enum in FINANCE_ROLES

    def has_role(self, *roles: Role) -> bool:
        return self.role_enum in roles

    def set_password(self, password: str, method: str) -> None:
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class LoginAttempt(db.Model):
    """Every sign-in attempt: the audit trail of logins, and the count behind login throttling."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), default="")
    succeeded: Mapped[bool]
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class LoginThrottle(db.Model):
    """Failed sign-ins (platform/auth/throttle.py): a row per (user name, client address), per client (user name
    "") and per account (address ""); the user name is the compared form (username_key).

    Counted before the password is checked, by compare-and-set on `failures`, so parallel attempts cannot
    slip past the count; a client is never refused for failures that other clients made.
    """

    __tablename__ = "login_throttle"
    __table_args__ = (race_guard("username", "address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime | None]
    next_allowed_at: Mapped[datetime | None]
