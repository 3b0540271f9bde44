"""Filters of the proposal list, and the query that applies them within what the user may see."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select

from budget_eval.platform.domain.roles import Role
from budget_eval.intake.models import Proposal
from budget_eval.platform.request_input import id_arg


@dataclass(frozen=True)
class ListFilters:
    own_department: int | None  # set for department staff: they see only this department
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
            year=id_arg(args.get("year")),
            category=args.get("category", ""),
            status=args.get("status", ""),
            outcome=args.get("outcome", ""),
            department=None if own is not None else id_arg(args.get("department")),
            q=args.get("q", "").strip()[:100],
        )

    def args(self) -> dict:
        """The active filters as query arguments (for pagination links)."""
        keys = ("year", "category", "status", "outcome", "department", "q")
        return {k: getattr(self, k) for k in keys if getattr(self, k) not in (None, "")}


def proposal_query(filters: ListFilters) -> Select:
    query = select(Proposal).order_by(Proposal.updated_at.desc(), Proposal.id.desc())
    if filters.own_department is not None:
        query = query.where(Proposal.department_id == filters.own_department)
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
