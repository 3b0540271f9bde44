"""The audit log page for admins: filter, page through, export to Excel."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from budget_eval.platform.domain.calendar import BEIJING

from flask import current_app, render_template, request
from sqlalchemy import Select, select

from budget_eval.platform.admin.views import bp
from budget_eval.platform.formatting import beijing_time
from budget_eval.platform.models.audit import AuditEvent
from budget_eval.platform import datatable
from budget_eval.platform.audit import KINDS


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


_HASH = re.compile(r"@[0-9a-f]{6,}\b")


def readable(text: str | None) -> str:
    """An audit text for people: a rule set's version without its content hash (2026-2, not 2026-2@c5ec817074d4)."""
    return _HASH.sub("", text or "")


LIST = datatable.Spec("审计日志", (
    datatable.Col("at", "时间", lambda e: beijing_time(e.at, "%Y-%m-%d %H:%M:%S"), AuditEvent.at),
    datatable.Col("user", "用户", lambda e: e.username or "—", AuditEvent.username),
    datatable.Col("kind", "类别", lambda e: KINDS.get(e.kind, "其他"), AuditEvent.kind),
    datatable.Col("subject", "对象", lambda e: readable(e.subject), AuditEvent.subject),
    datatable.Col("detail", "内容", lambda e: readable(e.detail)),
), default="-at", tiebreak=AuditEvent.id)


@bp.get("/audit")
def audit_log():
    query, filters = _filtered(request.args)
    if datatable.exporting():
        return datatable.export_select(query, LIST)
    listing = datatable.from_select(query, LIST, args=filters, per_page=current_app.config["PER_PAGE"] * 2)
    return render_template("admin/audit.html", listing=listing, filters=filters, kinds=KINDS)


@bp.get("/audit.xlsx")
def audit_export():
    """The same as 导出 Excel on the page (kept for links saved before it)."""
    return datatable.export_select(_filtered(request.args)[0], LIST)
