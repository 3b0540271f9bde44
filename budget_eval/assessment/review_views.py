"""A reviewer's tasks: declare no conflict (or decline), score with the rubric in view, submit once."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, Response, url_for
from flask_login import current_user

from budget_eval.assessment import evidence
from budget_eval.assessment.domain.ratings import ANALYSIS_FIELDS, MAX_CITATIONS, needs_comment
from budget_eval.assessment.sheets import read_analyses, read_ratings, read_scores
from budget_eval.intake.models import Attachment
from decimal import Decimal

from budget_eval.assessment.domain.scoring import comment_required, plain
from budget_eval.platform.extensions import db
from budget_eval.assessment.models import Assessment, PanelMember
from budget_eval.assessment.domain.visibility import may_see_sheet
from budget_eval.intake.models import Proposal
from budget_eval.assessment import panels as assessment, reviewer_tasks as tasks_of
from budget_eval.assessment.panels import ReviewError
from budget_eval.assessment.draws import pledge_now
from budget_eval.assessment.decision_aids import aids_for
from budget_eval.assessment.domain.states import CLEARED, REVIEWER, SHEET
from budget_eval.assessment.permissions import ROUTES
from budget_eval.platform import datatable
from budget_eval.platform.permissions import guard

bp = Blueprint("reviews", __name__, url_prefix="/reviews")
guard(bp, ROUTES)


TASKS = datatable.Spec("我的评审任务", (
    datatable.Col("proposal", "项目", lambda m: m.assessment.proposal.name, sort=tasks_of.SEAT_PROPOSAL_NAME),
    datatable.Col("round", "轮次", lambda m: m.assessment.round, sort=tasks_of.seat_round(Assessment.round),
                  kind="integer"),
    datatable.Col("deadline", "期限", lambda m: m.assessment.deadline, sort=tasks_of.seat_round(Assessment.deadline)),
    datatable.Col("state", "我的状态", lambda m: m.state_label, sort=PanelMember.status),
), tiebreak=PanelMember.id, search=(Proposal.name,), search_hint="项目名称")


@bp.get("/")
def index():
    # the project is joined only for a search (its name's index finds the matches); the plain list reads the seats alone
    tasks = tasks_of.reviewer_tasks(current_user, searching=bool((request.args.get("q") or "").strip()))
    if datatable.exporting():
        return datatable.export_select(tasks, TASKS)
    return render_template("reviews/index.html", listing=datatable.from_select(tasks, TASKS))


def own_task(member_id: int) -> PanelMember:
    """Only the reviewer themself opens their task; anyone else gets 404."""
    member = db.session.get(PanelMember, member_id)
    if member is None or member.user_id != current_user.id:
        abort(404)
    return member


@bp.route("/<int:member_id>", methods=["GET", "POST"])
def task(member_id: int):
    member = own_task(member_id)
    if request.method == "POST":
        try:
            problems = _act(member, request.form.get("step"), request.form)
        except ReviewError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return redirect(url_for(".task", member_id=member.id))
        if problems:
            flash("请修改标有“✕”提示的地方（光标已在第一处）。您填写的内容都已保留。", "danger")
            return task_page(member, dict(problems), request.form)
        return redirect(url_for(".task", member_id=member.id))
    return task_page(member)


def _act(member: PanelMember, step: str | None, form) -> list:
    """One step of the reviewer's task; returns the problems of a sheet that could not be saved (or [])."""
    if step == "declare":
        if form.get("agree") != "yes":
            raise ReviewError("请勾选“本人已阅读上述承诺……同意签署”后再签署")
        if conflict := assessment.conflict_of(current_user, member.assessment.proposal):
            raise ReviewError(conflict)
        assessment.declare(member)
        flash("已签署回避与保密承诺，现在可以查看材料并评分。", "success")
    elif step == "decline":
        assessment.decline(member, form.get("reason", ""))
        flash("已回避本项目评审。", "info")
    elif step == "justify":
        assessment.justify(member, form.get("justification", ""))
        flash("已说明理由。", "success")
    elif step in ("save", "submit"):
        return _save(member, form, submit=step == "submit")
    else:
        abort(400)
    return []


def _save(member: PanelMember, form, submit: bool) -> list:
    rules = assessment.rules_of(member.assessment)
    analyses = read_analyses(form, rules.template)
    if rules.by_points:
        ratings, problems = read_ratings(form, rules.template)
        scores, comments = {}, {}
    else:
        scores, comments, problems = read_scores(form, rules.template)
        ratings = None
    if not problems:
        problems = assessment.save_sheet(member, scores, comments, form.get("opinion", ""), submit=submit,
                                         ratings=ratings, analyses=analyses)
    if not problems:
        flash("评分已提交，不能再修改。" if submit else "评分草稿已保存。", "success")
    return problems


def task_page(member: PanelMember, errors: dict | None = None, form=None, economy_kept=None,
              economy_error: str = ""):
    """The task page; `form`/`errors` the scoring form sent back, `economy_kept`/`economy_error` the 投入经济性
    panel's form sent back (economy_views)."""
    round_, rules = member.assessment, assessment.rules_of(member.assessment)
    proposal = round_.proposal
    cleared = member.state in CLEARED
    scores, comments = assessment.sheet_of(member)
    return render_template(
        "reviews/task.html", member=member, round_=round_, proposal=proposal, rules=rules, errors=errors or {},
        form=form, scores=scores, comments=comments, cleared=cleared,
        result=assessment.panel_result(round_) if member.is_submitted else None,
        actions=SHEET.actions(member.status, REVIEWER), pledge=pledge_now(),
        aids=aids_for(proposal, round_, None) if cleared else None,
        # blind scoring: others' sheets only once this reviewer has submitted their own
        others=[m for m in round_.members
                if m.id != member.id and m.is_submitted and may_see_sheet(current_user, m)],
        sheet_of=assessment.sheet_of, needs_comment=lambda s, i: s is not None and comment_required(s, i, rules.scoring),
        ratings=assessment.ratings_of(member), analyses=member.analyses or {}, analysis_fields=ANALYSIS_FIELDS,
        materials=_materials(proposal) if cleared else [], citation_rows=range(1, MAX_CITATIONS + 1),
        comment_levels=[level for level in [*rules.scoring.levels, rules.scoring.insufficient]
                        if needs_comment(level, rules.scoring)],
        can_render=evidence.can_render(), cite_label=_cite_label(proposal),
        grade_ranges=lambda points: grade_ranges(points, rules.scoring),
        comment_hint=lambda points: comment_hint(points, rules.scoring),
        economy_kept=economy_kept or {}, economy_error=economy_error,
    )


def _cite_label(proposal):
    files = {a.id: a for a in proposal.attachments}
    return lambda citation: evidence.label(files.get(citation.attachment), citation.page)


def grade_ranges(points, scoring) -> dict[str, str]:
    """Each level's score range for a free-number indicator (优 9—10分 …), from the grade bands' rates."""
    ranges, upper = {}, None
    for band in scoring.grades:
        low = (points * band.min_rate).quantize(Decimal("0.01"))
        ranges[band.label] = (f"{plain(low)}—{plain(points)}分" if upper is None
                              else f"{plain(low)}—{plain(upper - Decimal('0.01'))}分" if low else
                              f"低于{plain(upper)}分")
        upper = low
    return ranges


def comment_hint(points, scoring) -> str:
    """When a free-number score needs a comment, in points: 低于8分（“良”档下限）或给满分时必填."""
    band = next(g for g in scoring.grades if g.label == scoring.comment_below_grade)
    text = f"低于{plain((points * band.min_rate).quantize(Decimal('0.01')))}分（“{band.label}”档下限）"
    return text + ("或给满分时必填" if scoring.comment_at_full_marks else "时必填")


def _materials(proposal) -> list[dict]:
    """Every uploaded file of the proposal with its page count (None: unreadable), for the viewer and the
    citation choices."""
    return [{"file": a, "pages": evidence.page_count(a), "pdf": evidence.is_pdf(a)} for a in proposal.attachments]


@bp.get("/<int:member_id>/materials/<int:attachment_id>/<int:page>.png")
def material_page(member_id: int, attachment_id: int, page: int):
    """A page of a PDF material rendered on the server, for the viewer inside the scoring page: only for the
    reviewer who signed the pledge, only files of the proposal under review."""
    member = own_task(member_id)
    attachment = db.session.get(Attachment, attachment_id)
    if member.state not in CLEARED or attachment is None or attachment.proposal_id != member.assessment.proposal_id:
        abort(404)
    path = evidence.page_png(attachment, page)
    if path is None:
        abort(404)
    return Response(path.read_bytes(), mimetype="image/png")
