"""Word documents: the assessment report and reviewer opinion forms (the meeting pack is in meetings.pack)."""
from __future__ import annotations

import re
from decimal import Decimal

from budget_eval.assessment.models import Assessment, PanelMember
from budget_eval.intake.models import Proposal
from budget_eval.assessment.documents.charts import radar_png
from budget_eval.assessment.documents.context import opinion_context, report_context
from budget_eval.assessment.documents.variants import redact_for_variant
from budget_eval.assessment.domain.states import RoundStatus, SETTLED_SELF, SheetStatus
from budget_eval.assessment.domain.visibility import Audience, report_variant
from flask import current_app

from budget_eval.platform.domain.calendar import BEIJING
from budget_eval.platform.models.types import utcnow
from budget_eval.platform.numbering import number_once

from budget_eval.platform.documents import cached_document, render, render_paginated, template_path, template_version
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


def report_number(round_: Assessment, settings: ReportSettings) -> str:
    """The round's 报告编号: given once, from the counter of the year the report is issued (the conclusion's year,
    Beijing time, as printed under 报告日期), not the budget year; commits when it gives one."""
    issued = (round_.concluded_at or utcnow()) + BEIJING
    return number_once(round_, "report_number", "assessment_report", issued.year,
                       lambda seq: settings.number(issued.year, seq, round_.round))


def report_parts(proposal: Proposal, audience: Audience = Audience.MEETING) -> tuple[dict, bytes]:
    """The report's context in this audience's variant, and its radar chart (panel and the department's own)."""
    round_ = concluded_round(proposal)
    rules = rules_of(round_)
    labels, settings = stored_report(rules, proposal.category)
    context, chart = report_context(proposal, round_, rules, settings, labels)
    context["report_number"] = report_number(round_, settings)
    context = redact_for_variant(context, report_variant(audience, settings))
    context["annex"] = annex_numbers(context)
    compare = None
    record = proposal.self_assessment
    if record is not None and record.status in SETTLED_SELF:
        own = self_assessment.scores(record)
        compare = [float(sum((own.get(i.key, Decimal(0)) for i in d.indicators), Decimal(0)) / d.points * 100)
                   for d in rules.template.dimensions]
    return context, radar_png(chart["labels"], chart["rates"], compare)


def annex_numbers(context: dict) -> dict[str, str]:
    """The 附件 numbers after 1 and 2: the evidence list (when something was cited), the unit-cost comparison (when
    a 比较法 was recorded), the reviewers' opinions and their names (as the variant has them)."""
    numbers, n = {}, 2
    for key, present in (("evidence", bool(context.get("evidence"))), ("unit_costs", bool(context.get("unit_costs"))),
                         ("opinions", bool(context.get("reviewers"))),
                         ("names", bool(context.get("reviewers")) and context.get("variant") != "panel")):
        if present:
            n += 1
            numbers[key] = str(n)
    return numbers


TOC = (("一、评估对象基本情况", "bg1"), ("二、评估工作开展情况", "bg2"), ("三、评估内容与分析", "bg3"),
       ("四、评估结论", "bg4"), ("五、存在的主要问题", "bg5"), ("六、意见建议", "bg6"),
       ("七、其他需要说明的事项", "bg7"), ("附件1  绩效目标申报表", "fj1"), ("附件2  评分汇总表", "fj2"))


def report_toc(context: dict) -> list[dict]:
    """The standalone report's 目录: its seven parts and the 附件 it has (3 and 4 only with named reviewers)."""
    entries = list(TOC)
    annex = context.get("annex") or annex_numbers(context)
    if "evidence" in annex:
        entries.append((f"附件{annex['evidence']}  评估依据清单", "fj5"))
    if "unit_costs" in annex:
        entries.append((f"附件{annex['unit_costs']}  单位成本比较明细", "fj6"))
    if "opinions" in annex:
        entries.append((f"附件{annex['opinions']}  专家评估意见", "fj3"))
    if "names" in annex:
        entries.append((f"附件{annex['names']}  专家组及工作组名单", "fj4"))
    return [{"label": label, "bookmark": mark, "indent": 0, "page": ""} for label, mark in entries]


def assessment_report(proposal: Proposal, audience: Audience) -> bytes:
    """The latest concluded round's report in the variant rules/reports.yaml gives this audience, its 目录 page
    numbers cached when LibreOffice is installed (PAGINATE_DOCUMENTS). Rendered once and then served from the
    document cache, keyed by the round, its rules version, the template's version, the audience and the data the
    report reads that may still change after the conclusion (the proposal, the self-assessment)."""
    round_ = concluded_round(proposal)
    record = proposal.self_assessment
    def key() -> tuple:
        return ("assessment_report", round_.id, round_.rules_version, round_.concluded_at, round_.report_number,
                template_version(template_path(REPORT)), audience.value, proposal.updated_at, proposal.department.name,
                (record.status, record.submitted_at, record.reviewed_at) if record is not None else None,
                bool(current_app.config.get("PAGINATE_DOCUMENTS", True)))
    if round_.report_number is None:  # the first report gives the number: render, then keep under the numbered key
        data = _assessment_report(proposal, audience)
        return cached_document(key(), lambda: data)
    return cached_document(key(), lambda: _assessment_report(proposal, audience))


def _assessment_report(proposal: Proposal, audience: Audience) -> bytes:
    context, png = report_parts(proposal, audience)
    context = {**context, "toc": report_toc(context)}
    images = {"radar": (png, RADAR_WIDTH_MM)}
    if current_app.config.get("PAGINATE_DOCUMENTS", True):
        return render_paginated(template_path(REPORT), context, images)[0]
    return render(template_path(REPORT), context, images)


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

