"""Downloads of the Word documents (assessment report, opinion sheet), for the roles that may see each one."""
from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user

from budget_eval.platform.extensions import db
from budget_eval.assessment.models import PanelMember
from budget_eval.intake.models import Proposal
from budget_eval.assessment.domain.visibility import (
    may_download_opinion_sheet,
    report_audience,
)
from budget_eval.intake.permissions import can_view_proposal
from budget_eval.assessment.documents import build as reports
from budget_eval.assessment.documents.build import ReportError
from budget_eval.platform.downloads import send_download
from budget_eval.assessment.permissions import ROUTES
from budget_eval.platform.permissions import guard

bp = Blueprint("reports", __name__)
guard(bp, ROUTES)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _send(data: bytes, name: str, mimetype: str = DOCX):
    return send_download(io.BytesIO(data), name, mimetype)


@bp.get("/proposals/<int:proposal_id>/report.docx")
def assessment_report(proposal_id: int):
    """The concluded assessment report, in the variant the reader's audience gets (rules/reports.yaml)."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not can_view_proposal(current_user, proposal):
        abort(404)
    audience = report_audience(current_user, proposal)
    if audience is None:
        flash("请先提交本人本轮评分，再查看评估报告和其他评审人的意见。", "warning")
        return redirect(url_for("proposals.detail", proposal_id=proposal.id))
    try:
        data = reports.assessment_report(proposal, audience)
        return _send(data, f"{reports.safe_name(proposal.name)}_事前绩效评估报告.docx")
    except ReportError as exc:
        flash(str(exc), "warning")
        return redirect(url_for("proposals.detail", proposal_id=proposal.id))


@bp.get("/reviews/<int:member_id>/opinion.docx")
def opinion_sheet(member_id: int):
    """A reviewer's opinion sheet: for that reviewer and for admins."""
    member = db.session.get(PanelMember, member_id)
    if member is None or not may_download_opinion_sheet(current_user, member):
        abort(404)
    try:
        noun = "财政评审人员" if member.is_finance_reviewer else "专家"
        name = f"{reports.safe_name(member.assessment.proposal.name)}_{noun}评审意见表_{member.user.display_name}.docx"
        return _send(reports.opinion_sheet(member), reports.safe_name(name))
    except ReportError as exc:
        flash(str(exc), "warning")
        return redirect(url_for("home.index"))

