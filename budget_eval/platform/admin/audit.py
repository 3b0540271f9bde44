"""The audit log page for admins: filter, page through, export to Excel."""
from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta

from budget_eval.platform.domain.calendar import BEIJING

from flask import current_app, render_template, request
from sqlalchemy import Select, select

from budget_eval.platform.admin.views import bp
from budget_eval.platform.extensions import db
from budget_eval.platform.formatting import beijing_time
from budget_eval.platform.models.audit import AuditEvent
from budget_eval.platform.paging import paged
from budget_eval.platform.request_input import page_number
from budget_eval.platform import spreadsheets
from budget_eval.platform.spreadsheets import Column
from budget_eval.platform.audit import KINDS
from budget_eval.platform.downloads import send_download

EXPORT_LIMIT = 100000


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _filtered(args) -> tuple[Select, dict]:
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    kind, who, q = args.get("kind", ""), args.get("user", "").strip()[:64], args.get("q", "").strip()[:100]
    start, end = _day(args.get("from")), _day(args.get("to"))
    if kind in KINDS:
        query = query.where(AuditEvent.kind == kind)
    if who:
        query = query.where(AuditEvent.username == who)
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(AuditEvent.subject.like(pattern, escape="\\") | AuditEvent.detail.like(pattern, escape="\\"))
    if start:  # the user's dates are Beijing dates; stored times are UTC
        query = query.where(AuditEvent.at >= datetime.combine(start, datetime.min.time()) - BEIJING)
    if end:
        query = query.where(AuditEvent.at < datetime.combine(end + timedelta(days=1), datetime.min.time()) - BEIJING)
    filters = {"kind": kind, "user": who, "q": q, "from": args.get("from", ""), "to": args.get("to", "")}
    return query, {k: v for k, v in filters.items() if v}


@bp.get("/audit")
def audit_log():
    query, filters = _filtered(request.args)
    page = paged(query, page_number(request.args.get("page")), current_app.config["PER_PAGE"] * 2)  # capped count
    return render_template("admin/audit.html", page=page, filters=filters, kinds=KINDS)


_HASH = re.compile(r"@[0-9a-f]{6,}\b")


def readable(text: str | None) -> str:
    """An audit text for people: a rule set's version without its content hash (2026-2, not 2026-2@c5ec817074d4)."""
    return _HASH.sub("", text or "")


@bp.get("/audit.xlsx")
def audit_export():
    query, _ = _filtered(request.args)
    rows = [(beijing_time(e.at, "%Y-%m-%d %H:%M:%S"), e.username, KINDS.get(e.kind, "其他"), readable(e.subject),
             readable(e.detail)) for e in db.session.scalars(query.limit(EXPORT_LIMIT))]
    columns = [Column(h, "text") for h in ("时间", "用户", "类别", "对象", "内容")]
    data = spreadsheets.xlsx(spreadsheets.Table("审计日志", columns, rows))
    return send_download(io.BytesIO(data), "审计日志.xlsx", spreadsheets.XLSX_MIMETYPE)
