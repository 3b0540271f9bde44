"""Word documents: the assessment report and reviewer opinion forms (the meeting pack is in meetings.pack)."""
from __future__ import annotations

import re
from decimal import Decimal

from budget_eval.assessment.models import Assessment, PanelMember
from budget_eval.intake.models import Proposal
from budget_eval.assessment.documents.charts import radar_png
from budget_eval.assessment.documents.context import opinion_context, redact_for_variant, report_context
from budget_eval.assessment.domain.states import RoundStatus, SETTLED_SELF, SheetStatus
from budget_eval.assessment.domain.visibility import Audience, report_variant
from budget_eval.platform.documents import render, template_path
from budget_eval.assessment import self_assessment
from budget_eval.assessment.panels import rules_of
from budget_eval.assessment.domain.assessment_rules import AssessmentRules, ReportRules
from budget_eval.assessment.rules import report_before_v2
from budget_eval.platform.domain.report_settings import ReportSettings

REPORT = "assessment_report.docx"
OPINION = "opinion_sheet.docx"
RADAR_WIDTH_MM = 120


class ReportError(ValueError):
    """A document that cannot be made; the message is Chinese and fit for the user."""


def concluded_round(proposal: Proposal) -> Assessment:
    rounds = [a for a in proposal.assessments if a.status == RoundStatus.CONCLUDED]
    if not rounds:
        raise ReportError("该项目尚未出具评估结论，不能生成评估报告")
    return rounds[-1]


def stored_report(rules: AssessmentRules, category: str | None) -> tuple[ReportRules, ReportSettings]:
    """The names and wording the round stored for its report (before version 2, the frozen ones of that time)."""
    report = rules.report or report_before_v2(category)
    return report, report.report_settings()


def report_parts(proposal: Proposal, audience: Audience = Audience.MEETING) -> tuple[dict, bytes]:
    """The report's context in this audience's variant, and its radar chart (panel and the department's own)."""
    round_ = concluded_round(proposal)
    rules = rules_of(round_)
    labels, settings = stored_report(rules, proposal.category)
    context, chart = report_context(proposal, round_, rules, settings, labels)
    context = redact_for_variant(context, report_variant(audience, settings))
    compare = None
    record = proposal.self_assessment
    if record is not None and record.status in SETTLED_SELF:
        own = self_assessment.scores(record)
        compare = [float(sum((own.get(i.key, Decimal(0)) for i in d.indicators), Decimal(0)) / d.points * 100)
                   for d in rules.template.dimensions]
    return context, radar_png(chart["labels"], chart["rates"], compare)


def assessment_report(proposal: Proposal, audience: Audience) -> bytes:
    """The latest concluded round's report in the variant rules/reports.yaml gives this audience."""
    context, png = report_parts(proposal, audience)
    return render(template_path(REPORT), context, {"radar": (png, RADAR_WIDTH_MM)})


def opinion_sheet(member: PanelMember) -> bytes:
    if member.status != SheetStatus.SUBMITTED:
        raise ReportError("该评审人尚未提交评分")
    round_ = member.assessment
    rules = rules_of(round_)
    labels, settings = stored_report(rules, round_.proposal.category)
    context = opinion_context(round_.proposal, round_, member, rules, labels, settings)
    return render(template_path(OPINION), context)


def safe_name(text: str) -> str:
    """A file name inside the zip: no path separators or characters Windows refuses."""
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", text).strip(" .")[:80] or "项目"

