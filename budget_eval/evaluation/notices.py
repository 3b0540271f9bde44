"""Who is told what when an evaluation year or an appeal changes state (platform.notifications rules).

The state writer's state_changed signal calls these; nothing here is sent by a view. A year's publication,
withdrawal (with its reason) and correction reach every unit's staff; an appeal's decision reaches the unit that
filed it and every unit whose total, rank or grade it changed (operations.decide_appeal names them on the row).
"""
from __future__ import annotations

from flask import Flask

from budget_eval.evaluation.models import EvaluationUnit, EvaluationYear
from budget_eval.platform import notifications
from budget_eval.platform.extensions import db
from budget_eval.platform.notifications import Notice, link, users_of


def _year_notices(row: EvaluationYear, action: str, before, after, user) -> list[Notice]:
    departments = [u.department_id for u in row.units]
    url = link("evaluation.mine")
    if action == "publish":
        return [Notice(users_of(departments), f"{row.year}年度部门综合考评结果已公布，申诉截止{row.appeal_deadline or '见结果页'}。", url)]
    if action == "withdraw":
        return [Notice(users_of(departments), f"{row.year}年度部门综合考评结果已撤回，更正后将重新公布。", url)]
    if action == "correct":
        changed = set(getattr(row, "changed_departments", ()))
        return [Notice(users_of(changed), f"{row.year}年度部门综合考评结果已更正，本单位的总分、排名或等级有变化，请查看。", url),
                Notice(users_of(d for d in departments if d not in changed), f"{row.year}年度部门综合考评结果已更正并重新公布。", url)]
    return []


def _appeal_notices(row, action: str, before, after, user) -> list[Notice]:
    if action not in ("uphold", "dismiss"):
        return []
    unit = db.session.get(EvaluationUnit, row.unit_id)
    url = link("evaluation.mine")
    outcome = "申诉成立" if action == "uphold" else "申诉不成立"
    notices = [Notice(users_of([unit.department_id]), f"{unit.year.year}年度考评：本单位的申诉已处理，{outcome}。", url)]
    others = [d for d in getattr(row, "changed_departments", ()) if d != unit.department_id]
    if others:
        notices.append(Notice(users_of(others), f"{unit.year.year}年度考评：因{unit.department.name}的申诉处理，"
                              "本单位的总分、排名或等级有变化，请查看。", url))
    return notices


def register(app: Flask) -> None:
    notifications.register(app, "evaluation_year", _year_notices)
    notifications.register(app, "appeal", _appeal_notices)
