"""Text pieces of the assessment report built from records: the procedure from the proposal's history, the
analysis of each dimension from the reviewers' comments and the department's self-assessment, numbered lists.

Nothing here writes that something happened unless a record says so.
"""
from __future__ import annotations

import re
from decimal import Decimal

from budget_eval.intake.domain.workflow import TRANSITIONS
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.documents import chinese_date as local_date

CN_NUMBERS = "一二三四五六七八九十"
# how each recorded action reads in the report's 评估程序 (who acted comes from the record)
PROCEDURE_WORDING = {
    "submit": "{unit}提交项目申报材料，系统按《杭州市预算事前绩效评估管理办法》第五条判定评估范围",
    "accept": "{unit}受理申报，开始材料审查",
    "materials_complete": "{unit}完成材料审查，确认材料齐全",
    "submit_self": "{unit}提交部门自评，报主管部门审核",
    "submit_self_direct": "{unit}提交部门自评，报财政局评估",
    "authority_approve": "主管部门（{unit}）审核通过部门自评",
    "authority_return": "主管部门（{unit}）退回部门自评修改",
    "conclude": "{unit}汇总评估组评分，出具评估结论",
    "start_revision": "{unit}开始调整完善",
    "resubmit": "{unit}逐条回应评估意见，提交调整完善情况和修改说明",
    "confirm_adjustment": "{unit}确认调整到位",
    "return_adjustment": "{unit}退回部门继续调整",
    "adjustment_new_round": "{unit}认为调整变化较大，重新组织评审",
}


ACTION_BY_LABEL = {t.label: t.action for t in TRANSITIONS.values()}


def cn_ordinal(n: int) -> str:
    """1 → （一）, up to （二十）."""
    if n <= 10:
        return f"（{CN_NUMBERS[n - 1]}）"
    return f"（{'' if n < 20 else CN_NUMBERS[n // 10 - 1]}十{CN_NUMBERS[n % 10 - 1] if n % 10 else ''}）"


def paragraphs(text: str | None) -> list[str]:
    """Split user text into paragraphs at line breaks, dropping empty lines."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


_ITEM = re.compile(r"(?:^|[；;。\s])\s*(?:\d+|[一二三四五六七八九十]+)[.、．)）]\s*")


def items(text: str | None) -> list[str]:
    """Split "1. 甲；2. 乙" or one item per line into items without their old numbers."""
    parts = []
    for line in paragraphs(text):
        pieces = [p.strip(" ；;") for p in _ITEM.split(line) if p.strip(" ；;")]
        parts.extend(pieces or [line])
    return [p if p.endswith(("。", "！", "？")) else p + "。" for p in parts]


def numbered(entries: list[str]) -> list[str]:
    return [f"{n}. {text}" for n, text in enumerate(entries, 1)]


def procedure(events, round_number: int) -> list[str]:
    """The recorded workflow steps up to this round's conclusion (its n-th 出具评估结论), dated, in order."""
    lines, concluded = [], 0
    for event in events:
        if concluded >= round_number:
            break
        action = ACTION_BY_LABEL.get(event.action, event.action)  # events store the step's label
        concluded += action == "conclude"
        wording = PROCEDURE_WORDING.get(action)
        if wording is None:
            transition = TRANSITIONS.get(action)
            wording = "{unit}" + (transition.label if transition else event.action)
        user = event.user
        unit = user.department.name if user is not None and user.department is not None else "财政部门"
        if user is not None and user.role == Role.THIRD_PARTY:  # a commissioned agency's staff act for the agency
            unit = user.organisation or "第三方评估机构"
        lines.append(f"{local_date(event.at)}，{wording.format(unit=unit)}。")
    return lines


def unique(texts) -> list[str]:
    seen, out = set(), []
    for text in texts:
        text = (text or "").strip()
        if text and text not in seen:
            seen.add(text)
            out.append(text)
    return out


def dimension_summary(label: str, rate: Decimal, grade: str, weak: list[str]) -> str:
    text = f"{label}维度得分率{rate}，评价等级为“{grade}”"
    if weak:
        return text + f"，{'、'.join(weak)}需重点完善。"
    return text + "，各指标得分未低于“良”档。"


def self_notes(notes: dict | None) -> list[str]:
    """The department's own facts, problems and judgement for one dimension, labelled as theirs."""
    notes = notes or {}
    labels = (("facts", "事实依据"), ("problems", "存在问题"), ("judgement", "自评判断"))
    return [f"申报单位自评（{label}）：{notes[key].strip()}" for key, label in labels if (notes.get(key) or "").strip()]
