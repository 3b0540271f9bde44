"""Meetings: bundle concluded projects for the executive meeting and record its decisions."""
from __future__ import annotations

import io
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from budget_eval.assessment.documents.build import ReportError, safe_name
from budget_eval.platform.domain.money import MoneyError, parse_wan
from budget_eval.intake.domain.workflow import WorkflowError
from budget_eval.platform.extensions import db
from budget_eval.meetings.models import Meeting, MeetingItem
from budget_eval.platform.request_input import ids_from
from budget_eval.meetings import operations as meetings
from budget_eval.meetings.pack import meeting_pack
from budget_eval.platform.downloads import send_download
from budget_eval.meetings.permissions import ROUTES
from budget_eval.platform.permissions import guard

bp = Blueprint("meetings", __name__, url_prefix="/meetings")
guard(bp, ROUTES)


@bp.route("/", methods=["GET", "POST"])
def index():
    if request.method == "POST":
        try:
            when = date.fromisoformat(request.form["meeting_date"]) if request.form.get("meeting_date") else None
            ids = ids_from(request.form.getlist("proposal_id"))
            kind, session = _kind_and_session(request.form)
            meeting = meetings.create(request.form.get("title", ""), when, ids, request.form.get("order", "score"),
                                      current_user, kind, session)
            flash(f"已将{len(meeting.items)}个项目提交“{meeting.title}”。", "success")
            return redirect(url_for(".detail", meeting_id=meeting.id))
        except ValueError as exc:
            db.session.rollback()
            flash(str(exc) if isinstance(exc, WorkflowError) else "会议日期格式应为 2027-01-31", "danger")
    return render_template("meetings/index.html", eligible=meetings.eligible(), orders=meetings.ORDERS,
                           kinds=meetings.KINDS,
                           meetings=db.session.scalars(select(Meeting).order_by(Meeting.id.desc())
                                                       .options(selectinload(Meeting.items))).all())


def _kind_and_session(form) -> tuple[str | None, int | None]:
    kind = form.get("kind") or None
    raw = (form.get("session_no") or "").strip()
    if raw and not (raw.isascii() and raw.isdigit() and len(raw) <= 3):
        raise WorkflowError("会议届次应为1至999之间的整数")
    return kind, int(raw) if raw else None


@bp.get("/<int:meeting_id>")
def detail(meeting_id: int):
    meeting = db.get_or_404(Meeting, meeting_id)
    return render_template("meetings/detail.html", meeting=meeting, decisions=meetings.DECISIONS)


@bp.post("/items/<int:item_id>/decide")
def decide(item_id: int):
    item = db.get_or_404(MeetingItem, item_id)
    try:
        amount = parse_wan(request.form.get("approved_wan"))
        meetings.decide(item, request.form.get("decision", ""), amount, request.form.get("note", ""), current_user)
        flash(f"已记录“{item.proposal.name}”的会议决策。", "success")
    except (WorkflowError, MoneyError) as exc:
        db.session.rollback()
        flash(str(exc), "danger")
    return redirect(url_for(".detail", meeting_id=item.meeting_id))


@bp.get("/<int:meeting_id>/pack.zip")
def pack(meeting_id: int):
    """The meeting pack (.zip: the pack as .docx, its PDF when possible, the summary .xlsx), in the meeting's order."""
    meeting = db.get_or_404(Meeting, meeting_id)
    try:
        data = meeting_pack([item.proposal for item in meeting.items], meeting.title, order="given", meeting=meeting)
    except ReportError as exc:
        flash(str(exc), "warning")
        return redirect(url_for(".detail", meeting_id=meeting.id))
    return send_download(io.BytesIO(data), f"{safe_name(meeting.title)}_会议材料.zip", "application/zip")
