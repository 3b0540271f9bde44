"""Filters of the proposal list, and the query that applies them within what the user may see."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, Select, select

from budget_eval.intake.domain.screening import Outcome, OUTCOME_LABELS
from budget_eval.intake.domain.workflow import Status, STATUS_LABELS
from budget_eval.intake.formatting import category_label
from budget_eval.platform.datatable import Col, Spec
from budget_eval.platform.formatting import beijing_time

from budget_eval.platform.domain.roles import Role
from budget_eval.intake.domain.assessor import AssessorKind
from budget_eval.intake.models import Proposal
from budget_eval.platform.extensions import db
from budget_eval.platform.models.department import Department
from budget_eval.platform.request_input import id_arg


@dataclass(frozen=True)
class ListFilters:
    own_department: int | None  # set for department staff: this department and the units it oversees
    assessor: int | None = None  # set for a third-party agency's staff: the proposals they were commissioned for
    year: int | None = None
    category: str = ""
    status: str = ""
    outcome: str = ""
    department: int | None = None
    q: str = ""

    @classmethod
    def from_args(cls, args, user) -> ListFilters:
        own = user.department_id if user.role_enum is Role.DEPARTMENT else None
        return cls(
            own_department=own,
            assessor=user.id if user.role_enum is Role.THIRD_PARTY else None,
            year=id_arg(args.get("year")),
            category=args.get("category", ""),
            status=args.get("status", ""),
            outcome=args.get("outcome", ""),
            department=id_arg(args.get("department")),
            q=args.get("q", "").strip()[:100],
        )

    def args(self) -> dict:
        """The active filters as query arguments (for pagination links)."""
        keys = ("year", "category", "status", "outcome", "department", "q")
        return {k: getattr(self, k) for k in keys if getattr(self, k) not in (None, "")}


def proposal_query(filters: ListFilters) -> Select:
    query = select(Proposal).order_by(Proposal.updated_at.desc(), Proposal.id.desc())
    if filters.own_department is not None:  # as intake.domain.visibility: own, or a unit it oversees
        overseen = select(Department.id).where(or_(Department.authority_id == filters.own_department,
                                                   Department.sector_authority_id == filters.own_department))
        query = query.where(or_(Proposal.department_id == filters.own_department,
                                Proposal.department_id.in_(overseen)))
    if filters.assessor is not None:  # as intake.domain.visibility.is_commissioned_assessor
        rows = db.session.execute(select(Proposal.id, Proposal.assessor_staff)
                                  .where(Proposal.assessor_kind == AssessorKind.THIRD_PARTY.value)).all()
        query = query.where(Proposal.id.in_([id_ for id_, staff in rows if filters.assessor in (staff or [])]))
    if filters.department:
        query = query.where(Proposal.department_id == filters.department)
    if filters.year:
        query = query.where(Proposal.year == filters.year)
    if filters.category:
        query = query.where(Proposal.category == filters.category)
    if filters.status:
        query = query.where(Proposal.status == filters.status)
    if filters.outcome == "none":
        query = query.where(Proposal.screening_outcome.is_(None))
    elif filters.outcome:
        query = query.where(Proposal.screening_outcome == filters.outcome)
    if filters.q:
        pattern = "%" + filters.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(Proposal.name.like(pattern, escape="\\"))
    return query


_DEPARTMENT_NAME = select(Department.name).where(Department.id == Proposal.department_id).scalar_subquery()

# the list's columns: what each sorts by (the whitelist) and what its export writes
LIST = Spec("申报项目", (
    Col("name", "项目名称", lambda p: p.name, Proposal.name),
    Col("department", "申报部门", lambda p: p.department.name, _DEPARTMENT_NAME),
    Col("year", "年度", lambda p: p.year, Proposal.year, "integer"),
    Col("category", "类别", lambda p: category_label(p.category), Proposal.category),
    Col("new", "新出台/延续", lambda p: "" if p.is_new is None else ("新出台" if p.is_new else "延续"), Proposal.is_new),
    Col("amount", "申请财政资金", lambda p: p.fiscal_total_wan, Proposal.fiscal_total_wan, "money"),
    Col("status", "状态", lambda p: STATUS_LABELS.get(Status(p.status), p.status), Proposal.status),
    Col("outcome", "事前评估", lambda p: OUTCOME_LABELS[Outcome(p.screening_outcome)] if p.screening_outcome
        else "未筛查", Proposal.screening_outcome),
    Col("updated", "更新时间", lambda p: beijing_time(p.updated_at), Proposal.updated_at),
), default="-updated", tiebreak=Proposal.id)
