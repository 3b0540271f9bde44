"""Configuration: defaults here, then instance/config.py, then the environment, then a test mapping."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MiB = 1024 * 1024


def defaults(instance_path: Path) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance_path / 'budget_eval.sqlite3'}",
        "RULES_DIR": PROJECT_ROOT / "rules",
        "REPORT_TEMPLATES_DIR": PROJECT_ROOT / "report_templates",
        "ATTACHMENT_DIR": instance_path / "attachments",
        "ATTACHMENT_MAX_BYTES": 20 * MiB,
        "MAX_CONTENT_LENGTH": 50 * MiB,
        "UNZIPPED_MAX_BYTES": 400 * MiB,  # an uploaded .xlsx/.docx may expand to this, no more (zip bombs)  # whole request; batch sheets and attachments stay below it
        "PASSWORD_HASH_METHOD": "scrypt",
        "PER_PAGE": 20,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,  # a long form may stay open all afternoon; the token lives with the session
        # sessions end after this long without a request, and this long after signing in whatever happens
        "SESSION_IDLE_MINUTES": 120,
        "SESSION_ABSOLUTE_HOURS": 12,
        "HSTS_SECONDS": 0,  # Strict-Transport-Security max-age; production sets a year
        # passwords (OWASP ASVS 4.0.3 L2, V2.1): minimum length, no composition rules; the shipped lists of breached
        # and common passwords, the user's name and these context words (with any year) are always refused
        "PASSWORD_MIN_LENGTH": 12,
        # (the city's name from rules/reports.yaml, city_name, is added to these)
        "PASSWORD_CONTEXT_WORDS": ["hangzhou", "财政", "caizheng", "预算", "yusuan", "绩效", "jixiao", "budget",
                                   "admin"],
        # the client's address: how many proxies in front of the app set X-Forwarded-For / -Proto (werkzeug's
        # ProxyFix); 0 = the app is reached directly. Behind the HTTPS proxy of the production set-up: 1
        "TRUSTED_PROXIES": 0,
        # login throttling, never a lock-out. Per (account, client): free failures, then a wait that doubles up
        # to the cap, for that client only; per client (all accounts): the same with more free failures (password
        # spraying); per account (all clients): past its free failures every attempt on the account is answered
        # only after a short step-up delay, from every client, but never refused. The counts start again after
        # LOGIN_FORGET_MINUTES without a failure. 修改密码 counts a wrong current password the same way.
        "LOGIN_FREE_FAILURES": 5,
        "LOGIN_CLIENT_FREE_FAILURES": 20,
        "LOGIN_ACCOUNT_FREE_FAILURES": 10,
        "LOGIN_STEP_UP_SECONDS": 2,
        "LOGIN_DELAY_SECONDS": 30,
        "LOGIN_MAX_DELAY_SECONDS": 900,
        "LOGIN_FORGET_MINUTES": 60,
        # attachments per proposal: how many files and how many bytes in total
        "ATTACHMENT_MAX_COUNT": 50,
        "ATTACHMENT_MAX_TOTAL_BYTES": 200 * MiB,
        # background jobs (platform/jobs.py): "" = SqliteHuey in JOBS_SQLITE; redis://… = RedisHuey;
        # JOBS_IMMEDIATE None = run tasks at once (in the request) exactly when TESTING
        "JOBS_URL": "",
        "JOBS_SQLITE": instance_path / "jobs.sqlite3",
        "JOBS_IMMEDIATE": None,
        # a downloaded report is converted once with LibreOffice (when installed) to cache its 目录 page numbers
        "PAGINATE_DOCUMENTS": True,
        # notifications also by e-mail (platform/mail.py): off while SMTP_HOST is empty; BASE_URL (https://…)
        # makes the links in the messages whole, else they carry the path only
        "SMTP_HOST": "",
        "SMTP_PORT": 25,
        "SMTP_USER": "",
        "SMTP_PASSWORD": "",
        "SMTP_FROM": "",
        "SMTP_STARTTLS": False,
        "SMTP_TIMEOUT": 10,
        "BASE_URL": "",
    }


def from_environment() -> dict:
    """Read settings a deployment passes in the environment."""
    settings: dict = {}
    if url := os.environ.get("DATABASE_URL"):
        settings["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(url)
    if key := os.environ.get("SECRET_KEY"):
        settings["SECRET_KEY"] = key
    if os.environ.get("BUDGET_EVAL_PRODUCTION") == "1":
        settings.update(production())
    if url := os.environ.get("BUDGET_EVAL_JOBS_URL"):
        settings["JOBS_URL"] = url
    for name in ("RULES_DIR", "REPORT_TEMPLATES_DIR", "ATTACHMENT_DIR", "JOBS_SQLITE"):
        if value := os.environ.get(f"BUDGET_EVAL_{name}"):
            settings[name] = Path(value)
    for name in ("SESSION_IDLE_MINUTES", "SESSION_ABSOLUTE_HOURS", "PASSWORD_MIN_LENGTH", "TRUSTED_PROXIES",
                 "SMTP_PORT", "SMTP_TIMEOUT"):
        if value := os.environ.get(f"BUDGET_EVAL_{name}"):
            settings[name] = int(value)
    for name in ("SMTP_HOST", "SMTP_USER", "SMTP_PASSWORD", "SMTP_FROM", "BASE_URL"):
        if value := os.environ.get(f"BUDGET_EVAL_{name}"):
            settings[name] = value
    if value := os.environ.get("BUDGET_EVAL_SMTP_STARTTLS"):
        settings["SMTP_STARTTLS"] = value.strip().lower() in ("1", "true", "yes", "on")
    return settings


def production() -> dict:
    """Cookie settings for a deployment behind HTTPS."""
    return {
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": True,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PREFERRED_URL_SCHEME": "https",
        "HSTS_SECONDS": 365 * 24 * 3600,
    }


def _normalise_db_url(url: str) -> str:
    """Let operators write postgres:// or postgresql:// and still use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def instance_secret_key(instance_path: Path) -> str:
    """Keep a random key in instance/ so sessions survive restarts without a key in the code."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
