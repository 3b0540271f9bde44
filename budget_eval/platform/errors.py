"""Error pages that need no database, a request id on every response and log line, and /healthz.

The error page is a static Chinese page (templates/error.html does not extend base.html, so it never asks
for the current user and never touches the database). Its request id is the one in the log line and in the
X-Request-ID header, so a user's screenshot leads to the log.

Database errors are told apart honestly (platform/db_errors.py): only a write that broke a unique constraint
declared as a race guard, or a transition refused after its lock or compare-and-set, is "该事项已由他人处理"
(a flash and back to the page, as a warning in the log). Any other integrity error (NOT NULL, CHECK, foreign key,
an undeclared unique) and a table or column the database lacks are bugs: an ERROR log line with the traceback and
the 500 page. Only a connection that fails is the 503 "database unavailable" page.
"""
from __future__ import annotations

import logging
import uuid
from pathlib import Path

import sqlalchemy as sa
from urllib.parse import urlsplit

from flask import (Blueprint, Flask, current_app, flash, g, get_flashed_messages, has_request_context, jsonify,
                   redirect, request)
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

from budget_eval.platform.db_errors import is_lost_race, is_schema_error, violated
from budget_eval.platform.downloads import FileMissing
from budget_eval.platform.domain.lifecycle import CONFLICT_MESSAGE, TransitionError
from budget_eval.platform.extensions import db
from budget_eval.platform.permissions import ROUTES, guard

MESSAGES = {
    400: "请求无效：表单可能已过期，请刷新页面后重试。",
    403: "您没有权限访问此页面。",
    404: "页面不存在，或您无权查看。",
    405: "不支持这种访问方式。",
    409: CONFLICT_MESSAGE,
    413: "上传的文件过大。",
    429: "请求过于频繁，请稍后再试。",
    500: "系统内部错误，请稍后重试或联系管理员。",
    503: "系统暂时无法连接数据库，请稍后重试；如持续出现，请联系管理员。",
}
bp = Blueprint("health", __name__)
guard(bp, ROUTES)
log = logging.getLogger("budget_eval.errors")


def request_id() -> str:
    if not has_request_context():
        return "-"
    if "request_id" not in g:
        g.request_id = uuid.uuid4().hex[:16]
    return g.request_id


class RequestIdFilter(logging.Filter):
    """Put the request id on every log record written while a request runs."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id()
        return True


def error_page(code: int, message: str | None = None):
    """Rendered without context processors: flask-login's would load the current user from the database."""
    page = current_app.jinja_env.get_template("error.html").render(
        code=code, message=message or MESSAGES.get(code, "请求失败。"), request_id=request_id(), flashes=_flashes())
    return page, code, {"Content-Type": "text/html; charset=utf-8"}


def _flashes() -> list[tuple[str, str]]:
    """Messages waiting in the session cookie (no database): a message set before a redirect still shows."""
    try:
        return get_flashed_messages(with_categories=True) if has_request_context() else []
    except Exception:  # a broken session cookie must not break the error page
        return []


def _http_error(error: HTTPException):
    code = error.code or 500
    if code >= 500:
        log.error("请求 %s 返回 %s：%s", request_id(), code, error.description)
    return error_page(code)


def _database_down(error: Exception):
    _forget_session()
    log.error("请求 %s：数据库不可用", request_id(), exc_info=error)
    return error_page(503)


def _unexpected(error: Exception):
    original = getattr(error, "original_exception", None) or error
    if isinstance(original, OperationalError | DBAPIError) and getattr(original, "connection_invalidated", False):
        return _database_down(original)
    return _broken(original, "出错")


def _broken(error: Exception, what: str):
    """A bug (in the code, the schema or a migration): logged with its traceback, shown as the 500 page."""
    _forget_session()
    log.error("请求 %s %s", request_id(), what, exc_info=error)
    return error_page(500)


def _operational(error: OperationalError):
    """The database is unreachable (503) unless it answered that a table or column is missing (a bug: 500)."""
    if is_schema_error(error) and not error.connection_invalidated:
        return _broken(error, f"出错：数据库结构与代码不符（缺少迁移？）：{error.orig}")
    return _database_down(error)


def _database_error(error: DBAPIError):
    """Any other database error (an unknown column on PostgreSQL, bad data …): a bug, unless the connection died."""
    if error.connection_invalidated:
        return _database_down(error)
    return _broken(error, f"出错：数据库报错：{error.orig}")


def _integrity(error: IntegrityError):
    """A lost race only if the write broke a constraint declared as a race guard; anything else is a bug."""
    if is_lost_race(error, db.metadata):
        return _lost_race(error)
    names = "、".join(violated(error, db.metadata)) or "未命名约束"
    return _broken(error, f"出错：数据库拒绝了写入（{names}），不是并发冲突：{error.orig}")


def _lost_race(error: Exception):
    """A lost race or a double click that reached a race-guarding unique index, or a transition refused after its
    lock or its compare-and-set: nothing was saved; the user is told so and sent back to the page."""
    _forget_session()
    message = str(error) if isinstance(error, TransitionError) else CONFLICT_MESSAGE
    if isinstance(error, IntegrityError):
        log.warning("请求 %s：并发或重复的写入被唯一约束 %s 拒绝", request_id(), "、".join(violated(error, db.metadata)))
    if request.method == "GET":
        return error_page(409, message)
    flash(message, "warning")
    return redirect(_same_site(request.referrer) or "/")


def _file_missing(error: FileMissing):
    """A stored file is gone or unreadable: logged with its path, answered with a Chinese message (404)."""
    log.error("请求 %s：文件缺失或无法读取：%s（%s）：%s", request_id(), error.name, error.path, error.reason)
    return error_page(404, error.message)


def _unreadable(error: OSError):
    """A file the app needs (a generated document's template, a kept upload …) is missing or unreadable."""
    _forget_session()
    log.error("请求 %s：所需文件缺失或无法读取：%s", request_id(), error, exc_info=error)
    return error_page(503, "所需文件缺失或无法读取，暂时无法完成此操作。此问题已记录，请联系管理员。")


def _same_site(url: str | None) -> str | None:
    """The referring page if it is one of ours (never an open redirect)."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.host:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _forget_session() -> None:
    try:
        db.session.remove()
    except Exception:  # the database may be gone; the page must still render
        log.warning("请求 %s：无法回滚数据库会话", request_id())


def register(app: Flask) -> None:
    for code in MESSAGES:
        app.register_error_handler(code, _http_error)
    app.register_error_handler(OperationalError, _operational)
    app.register_error_handler(IntegrityError, _integrity)
    app.register_error_handler(DBAPIError, _database_error)
    app.register_error_handler(TransitionError, _lost_race)
    app.register_error_handler(FileMissing, _file_missing)
    for error in (FileNotFoundError, PermissionError, IsADirectoryError):
        app.register_error_handler(error, _unreadable)
    app.register_error_handler(500, _unexpected)
    app.register_blueprint(bp)
    app.after_request(_tag_response)
    app.logger.addFilter(RequestIdFilter())
    log.addFilter(RequestIdFilter())


def _tag_response(response):
    response.headers.setdefault("X-Request-ID", request_id())
    return response


@bp.get("/livez")
def live():
    """For load balancers and the load benchmark's floor: the process answers (no database, no template)."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/healthz")
def health():
    """Each part this app needs, checked now; 503 naming the parts that are down."""
    parts = {"database": _check_database(), "attachments": _check_attachments()}
    names = {"database": "数据库", "attachments": "附件存储"}
    down = [f"{names[p]}（{p}）" for p, ok in parts.items() if not ok]
    body = {"status": "down" if down else "ok", "parts": {p: "ok" if ok else "down" for p, ok in parts.items()},
            "message": ("不可用：" + "、".join(down)) if down else "正常", "request_id": request_id()}
    return jsonify(body), 503 if down else 200


def _check_database() -> bool:
    try:
        with db.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return True
    except Exception:
        log.error("请求 %s：健康检查连接数据库失败", request_id(), exc_info=True)
        return False


def _check_attachments() -> bool:
    folder = Path(current_app.config["ATTACHMENT_DIR"])
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".healthz-{uuid.uuid4().hex}"
        probe.write_bytes(b"ok")
        probe.unlink()
        return True
    except OSError:
        log.error("请求 %s：附件存储不可写：%s", request_id(), folder)
        return False
