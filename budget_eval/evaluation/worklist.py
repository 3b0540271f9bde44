"""The departmental evaluation's part of the 工作台 (platform/worklist.py).

The 考评办: appeals not yet decided (待处理申诉), 创新创优 declarations not yet verified (待核验), rectifications past
their deadline and not reported done (逾期整改), and open years without any survey response (待导入). A department:
its own units' published results still within the appeal period with no appeal filed (申诉期内), and its
rectifications in progress (整改进行中) with their deadlines — its own only (evaluation.permissions.may_see_unit).
A fixed number of queries each.
"""
from __future__ import annotations

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from budget_eval.evaluation.domain.comment_lifecycles import Commitment
from budget_eval.evaluation.domain.states import AppealStatus, InnovationStatus, YearStatus
from budget_eval.evaluation.models import (Appeal, EvaluationUnit, EvaluationYear, Innovation, Rectification,
                                           SurveyResponse)
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.platform.worklist import beijing_today, Entry

UNIT = (joinedload(EvaluationUnit.year), joinedload(EvaluationUnit.department))


def _entry(group: str, title: str, unit: EvaluationUnit, order: int, **extra) -> Entry:
    return Entry(group, title, url_for("evaluation.unit", unit_id=unit.id), detail=unit.department.name,
                 order=order, **extra)


def _office() -> list[Entry]:
    today = beijing_today()
    filed = EvaluationUnit.appeals.any(Appeal.status == AppealStatus.FILED.value)
    declared = EvaluationUnit.innovations.any(Innovation.status == InnovationStatus.DECLARED.value)
    overdue = EvaluationUnit.rectifications.any(
        (Rectification.status == Commitment.COMMITTED.value) & (Rectification.deadline < today))
    units = db.session.scalars(select(EvaluationUnit).where(filed | declared | overdue).options(
        *UNIT, selectinload(EvaluationUnit.appeals), selectinload(EvaluationUnit.innovations),
        selectinload(EvaluationUnit.rectifications)))
    found = []
    for unit in units:
        found += [_entry("待处理申诉", f"{unit.year.year}年度考评申诉", unit, 60, stage="待处理")
                  for a in unit.appeals if a.status == AppealStatus.FILED]
        found += [_entry("待核验", i.title, unit, 61, stage="待核验")
                  for i in unit.innovations if i.status == InnovationStatus.DECLARED]
        found += [_entry("逾期整改", r.topic, unit, 62, stage="整改中", deadline=r.deadline)
                  for r in unit.rectifications
                  if r.status == Commitment.COMMITTED and r.deadline is not None and r.deadline < today]
    imported = select(SurveyResponse.year_id).distinct()
    found += [Entry("待导入", f"{y.year}年度社会评价问卷", url_for("evaluation.year", year=y.year), stage="考评中",
                    order=59) for y in db.session.scalars(select(EvaluationYear).where(
                        EvaluationYear.status == YearStatus.OPEN.value, EvaluationYear.id.not_in(imported)))]
    return found


def _department(user) -> list[Entry]:
    today = beijing_today()
    units = db.session.scalars(select(EvaluationUnit).join(EvaluationYear).where(
        EvaluationUnit.department_id == user.department_id, EvaluationYear.status == YearStatus.PUBLISHED.value)
        .options(*UNIT, selectinload(EvaluationUnit.appeals), selectinload(EvaluationUnit.rectifications)))
    found = []
    for unit in units:
        deadline = unit.year.appeal_deadline
        if deadline is not None and deadline >= today and not unit.appeals:
            found.append(_entry("申诉期内", f"{unit.year.year}年度考评结果", unit, 50, stage="已公布", deadline=deadline))
        found += [_entry("整改进行中", r.topic, unit, 51, stage="整改中", deadline=r.deadline)
                  for r in unit.rectifications if r.status == Commitment.COMMITTED]
    return found


def evaluation_waiting(user) -> list[Entry]:
    if user.role_enum is Role.EVAL_OFFICE:
        return _office()
    if user.role_enum is Role.DEPARTMENT and user.department_id is not None:
        return _department(user)
    return []
