"""Meetings: bundle concluded projects for the meeting of art. 5 (a kind from rules/), record its decisions with
per-year amounts, put approved projects into the project library, and export the results for the budget system."""
from __future__ import annotations

import io
from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload, with_expression

from budget_eval.assessment.documents.build import ReportError, safe_name
from budget_eval.intake.models import Proposal
from budget_eval.platform.domain.lifecycle import TransitionError
from budget_eval.platform.domain.money import MoneyError, parse_wan
from budget_eval.intake.domain.workflow import WorkflowError
from budget_eval.platform.extensions import db
from budget_eval.meetings.budget_export import budget_xlsx, decided_items
from budget_eval.meetings.domain.decision import CUT_FIELD, DECISION_FIELD, year_field
from budget_eval.meetings.models import Meeting, MeetingItem
from budget_eval.meetings.rules import meeting_rules
from budget_eval.platform.request_input import ids_from, page_number
from budget_eval.meetings import operations as meetings
from budget_eval.meetings.pack import meeting_pack
from budget_eval.platform import datatable
from budget_eval.platform.downloads import send_download
from budget_eval.platform.spreadsheets import XLSX_MIMETYPE
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
    rules = meeting_rules()
    bases: dict[tuple[str, str], list[str]] = {}  # (source, quote) → the kinds it names, in the file's order
    for kind in rules.meeting_kinds:
        bases.setdefault((rules.source_of(kind), kind.quote), []).append(kind.label)
    query = select(Meeting).options(with_expression(Meeting.item_count, _items()),
                                    with_expression(Meeting.decided_count, _items(MeetingItem.decision.is_not(None))))
    if datatable.exporting():
        return datatable.export_select(query, MEETINGS)
    # the candidates page by ?cpage=, the meetings list below by ?page= (the candidates' pager keeps the list's place)
    page = meetings.eligible(page_number(request.args.get("cpage")), current_app.config["PER_PAGE"])
    candidate_args = {k: v for k, v in request.args.items() if k != "cpage"}
    return render_template("meetings/index.html", eligible=page.items, page=page, candidate_args=candidate_args,
                           orders=meetings.ORDERS,
                           kinds=rules.meeting_kinds, bases=bases, listing=datatable.from_select(query, MEETINGS))


def _items(*conditions):
    """How many items a meeting of the list has (meeting those conditions), counted in SQL per listed meeting."""
    return select(func.count(MeetingItem.id)).where(MeetingItem.meeting_id == Meeting.id, *conditions) \
        .correlate(Meeting).scalar_subquery()


MEETINGS = datatable.Spec("会议", (
    datatable.Col("title", "会议", lambda m: m.title, Meeting.title),
    datatable.Col("kind", "会议类型", lambda m: m.kind_label or "未记录", Meeting.kind_label),
    datatable.Col("date", "日期", lambda m: m.meeting_date, Meeting.meeting_date),
    datatable.Col("items", "项目数", lambda m: m.item_count, kind="integer"),
    datatable.Col("decided", "已决策", lambda m: m.decided_count, kind="integer"),
), default="-id", tiebreak=Meeting.id, search=(Meeting.title,), search_hint="会议名称")


def _kind_and_session(form) -> tuple[str | None, int | None]:
    kind = form.get("kind") or None
    raw = (form.get("session_no") or "").strip()
    if raw and not (raw.isascii() and raw.isdigit() and len(raw) <= 3):
        raise WorkflowError("会议届次应为1至999之间的整数")
    return kind, int(raw) if raw else None


def _meeting(meeting_id: int) -> Meeting:
    """The meeting with what its page shows, loaded in a fixed number of queries."""
    meeting = db.session.scalar(
        select(Meeting).where(Meeting.id == meeting_id).options(
            selectinload(Meeting.items).selectinload(MeetingItem.proposal).selectinload(Proposal.department),
            selectinload(Meeting.items).selectinload(MeetingItem.proposal).selectinload(Proposal.fund_years),
            selectinload(Meeting.items).selectinload(MeetingItem.assessment),
            selectinload(Meeting.items).selectinload(MeetingItem.years)))
    if meeting is None:
        from flask import abort
        abort(404)
    return meeting


def _render(meeting: Meeting, problems: dict[int, dict[str, str]] | None = None,
            typed: dict[int, dict[str, str]] | None = None, status: int = 200):
    return render_template("meetings/detail.html", meeting=meeting, decisions=meetings.DECISIONS,
                           requested={item.id: meetings.requested_years(item.proposal) for item in meeting.items},
                           problems=problems or {}, typed=typed or {}, year_field=year_field,
                           decision_field=DECISION_FIELD, cut_field=CUT_FIELD), status


@bp.get("/<int:meeting_id>")
def detail(meeting_id: int):
    return _render(_meeting(meeting_id))


@bp.post("/items/<int:item_id>/decide")
def decide(item_id: int):
    item = db.get_or_404(MeetingItem, item_id)
    meeting_id, name = item.meeting_id, item.proposal.name
    years = meetings.requested_years(item.proposal)
    typed = {key: request.form.get(key, "") for key in
             (DECISION_FIELD, CUT_FIELD, "note", *(year_field(y) for y in years))}
    problems: dict[str, str] = {}
    amounts = {}
    for year in years:
        try:
            amounts[year] = parse_wan(typed[year_field(year)])
        except MoneyError as exc:
            problems[year_field(year)] = f"{year}年安排资金：{exc}"
    try:
        if problems:
            raise meetings.DecisionError(problems)
        meetings.decide(item, typed[DECISION_FIELD], amounts, typed[CUT_FIELD], typed["note"], current_user)
    except meetings.DecisionError as exc:
        db.session.rollback()
        flash("会议决策未记录，请按提示修改。", "danger")
        return _render(_meeting(meeting_id), {item_id: exc.problems}, {item_id: typed}, 200)
    except (TransitionError, WorkflowError) as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for(".detail", meeting_id=meeting_id))
    flash(f"已记录“{name}”的会议决策。", "success")
    return redirect(url_for(".detail", meeting_id=meeting_id) + f"#item-{item_id}")


@bp.post("/items/<int:item_id>/library")
def include(item_id: int):
    item = db.get_or_404(MeetingItem, item_id)
    meeting_id, name = item.meeting_id, item.proposal.name
    try:
        raw = (request.form.get("library_date") or "").strip()
        try:
            when = date.fromisoformat(raw) if raw else None
        except ValueError:
            raise WorkflowError("纳入项目库日期格式应为 2027-01-31") from None
        meetings.include(item, when, current_user)
        flash(f"已将“{name}”纳入项目库。", "success")
    except (TransitionError, WorkflowError) as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        # the page again with the date as typed and the error beside it
        return _render(_meeting(meeting_id), {item_id: {"library_date": str(exc)}},
                       {item_id: {"library_date": request.form.get("library_date", "")}}, 200)
    return redirect(url_for(".detail", meeting_id=meeting_id) + f"#item-{item_id}")


@bp.get("/budget.xlsx")
def budget():
    """The decisions as the budget system's project library takes them (layout in rules/meetings.yaml)."""
    raw = request.args.get("meeting", "")
    meeting_id = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None
    items = decided_items(meeting_id)
    name = "会议决定_预算安排表.xlsx"
    if meeting_id is not None:
        meeting = db.get_or_404(Meeting, meeting_id)
        name = f"{safe_name(meeting.title)}_预算安排表.xlsx"
    return send_download(io.BytesIO(budget_xlsx(items)), name, XLSX_MIMETYPE)


@bp.post("/<int:meeting_id>/pack")
def pack_job(meeting_id: int):
    """Start the meeting pack as a background job (reports and the PDF take a while); its page follows it."""
    from budget_eval.meetings import pack_job as job_kind

    meeting = db.get_or_404(Meeting, meeting_id)
    job = job_kind.start(meeting, current_user)
    return redirect(url_for("jobs.status", job_id=job.id))


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
