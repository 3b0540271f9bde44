"""Store proposals: apply a draft, submit with screening, record history. One commit per action."""
from __future__ import annotations

from budget_eval.platform.audit import audit
from budget_eval.intake.domain import intake
from budget_eval.intake.domain.cost_lines import CostLine as CostLineData
from budget_eval.intake.domain.intake import ProposalDraft
from budget_eval.intake.domain.rule_files import ScreeningRules
from budget_eval.intake.domain.screening import Outcome, screen, ScreeningInput, ScreeningResult
from budget_eval.intake.domain.workflow import EDITABLE, Status
from budget_eval.platform.domain.lifecycle import Conflict
from budget_eval.platform.extensions import db
from budget_eval.platform.lifecycle import lock
from budget_eval.intake.models import CostLine, FundSource, FundYear, PerformanceTarget, Proposal, ScreeningRecord
from budget_eval.platform.models.user import User
from budget_eval.platform.models.types import utcnow
from budget_eval.intake.actions import add_version, record_event, transition


def to_draft(proposal: Proposal) -> ProposalDraft:
    """The stored proposal as domain data (for screening and completeness checks)."""
    return ProposalDraft(
        name=proposal.name,
        year=proposal.year,
        category=proposal.category or "",
        is_new=proposal.is_new,
        is_emergency=proposal.is_emergency,
        emergency_reason=proposal.emergency_reason,
        nature=proposal.nature or "",
        is_midyear=proposal.is_midyear,
        amount_estimated=proposal.amount_estimated,
        estimate_basis=proposal.estimate_basis,
        start_year=proposal.start_year,
        end_year=proposal.end_year,
        fund_years=tuple(intake.FundYear(f.year, f.amount_wan) for f in proposal.fund_years),
        sources={s.source: s.amount_wan for s in proposal.sources},
        basis_text=proposal.basis_text,
        plan_text=proposal.plan_text,
        budget_text=proposal.budget_text,
        targets=tuple(intake.Target(t.level1, t.level2, t.name, t.value, t.unit, t.comparator, t.basis, t.year)
                      for t in proposal.targets),
        cost_lines=tuple(CostLineData(c.item, c.quantity, c.unit, c.unit_price_yuan, c.amount_wan, c.basis,
                                      c.document, c.target) for c in proposal.cost_lines),
    )


def lock_for_edit(proposal: Proposal) -> None:
    """Lock a stored proposal before its tables are replaced, and check again that it may still be edited:
    of two saves or submits at once, the second waits, then finds the first one's result."""
    if proposal.id is None:
        return
    lock(proposal)
    if Status(proposal.status) not in EDITABLE:
        raise Conflict(f"项目处于“{Status(proposal.status).label}”阶段，不能修改。")


def apply_draft(proposal: Proposal, draft: ProposalDraft) -> None:
    """Copy the draft onto the proposal and replace its tables (not committed)."""
    lock_for_edit(proposal)
    for name in (
        "name", "year", "is_new", "is_emergency", "emergency_reason", "start_year", "end_year",
        "basis_text", "plan_text", "budget_text", "is_midyear", "amount_estimated", "estimate_basis",
    ):
        setattr(proposal, name, getattr(draft, name))
    proposal.nature = draft.nature or None
    proposal.category = draft.category or None
    proposal.fiscal_total_wan = draft.fiscal_total_wan
    # flush the removals first: the new rows reuse the (proposal, year) and (proposal, source) keys
    proposal.fund_years.clear()
    proposal.sources.clear()
    proposal.targets.clear()
    proposal.cost_lines.clear()
    db.session.flush()
    proposal.fund_years = [FundYear(year=f.year, amount_wan=f.amount_wan) for f in draft.fund_years]
    proposal.sources = [FundSource(source=code, amount_wan=amount) for code, amount in draft.sources.items()]
    proposal.targets = [
        PerformanceTarget(position=i, level1=t.level1, level2=t.level2, name=t.name, value=t.value, unit=t.unit,
                          comparator=t.comparator, basis=t.basis, year=t.year)
        for i, t in enumerate(draft.targets)
    ]
    proposal.cost_lines = [
        CostLine(position=i, item=c.item, quantity=c.quantity, unit=c.unit, unit_price_yuan=c.unit_price_yuan,
                 amount_wan=c.amount_wan, basis=c.basis, document=c.document, target=c.target)
        for i, c in enumerate(draft.cost_lines)
    ]


def save_draft(proposal: Proposal, draft: ProposalDraft, user: User) -> None:
    """Create or update a draft; the first save records its creation in the history."""
    creating = proposal.id is None
    if creating:  # the new record starts in the column's default state, DRAFT
        proposal.created_by = user
        db.session.add(proposal)
    before = None
    if not creating:  # what is stored now, read under the lock: an identical save changes nothing, logs nothing
        lock_for_edit(proposal)
        db.session.refresh(proposal)
        before = snapshot(proposal)
    apply_draft(proposal, draft)
    if creating:
        record_event(proposal, user, "创建草稿", to_status=Status.DRAFT)
    elif snapshot(proposal) != before:
        audit("edit", proposal.name, "项目：保存修改", user)
    db.session.commit()


def submit(proposal: Proposal, draft: ProposalDraft, user: User, rules: ScreeningRules) -> ScreeningResult:
    """Save the final data, screen it under art. 5 and mark it submitted, in one transaction."""
    if proposal.id is None:
        proposal.created_by = user
        db.session.add(proposal)
    apply_draft(proposal, draft)
    result = record_screening(proposal, draft, user, rules)
    db.session.flush()  # a new proposal gets its id and its first state (DRAFT, the column default)
    # screened out (不需要 / 免于评估): the submission closes the item as 无需评估, its final state
    step = "submit" if result.outcome == Outcome.REQUIRED else "submit_not_required"
    transition(proposal, step, user, note=f"事前绩效评估范围判定：{result.outcome.label}。{result.basis}")
    proposal.submitted_at = utcnow()
    add_version(proposal, user, intake.to_record(draft))
    db.session.commit()
    return result


def record_screening(proposal: Proposal, draft: ProposalDraft, user: User, rules: ScreeningRules) -> ScreeningResult:
    """Screen the proposal as it now stands under art. 5 and store the result (on submission, and again when a
    revised version is sent back, so the screening shown is always that of the current version)."""
    result = screen(screening_input(draft), rules)
    proposal.screenings.append(
        ScreeningRecord(
            outcome=result.outcome,
            basis=result.basis,
            fiscal_total_wan=result.amount_wan if result.amount_wan is not None else draft.fiscal_total_wan,
            amount_estimated=result.estimated,
            threshold_wan=result.threshold_wan,
            rule_set=rules.name,
            rule_version=result.rule_version,
            created_by_id=user.id,
        )
    )
    proposal.screening_outcome = result.outcome
    return result


def return_submission(proposal: Proposal, user: User, reason: str) -> str:
    """退回补正: finance sends a submission back to the department with its reasons (the proposal page's step)."""
    transition(proposal, "return_submission", user, reason=reason)
    return "已退回申报部门补正，部门修改后可重新提交。"


def screening_input(draft: ProposalDraft) -> ScreeningInput:
    """What art. 5 screening needs from a proposal: the sources of its total investment, this level's
    fiscal funds by year, its nature (new, continuing, …) and whether the amount is an estimate."""
    return ScreeningInput(
        draft.category, bool(draft.is_new), draft.fiscal_total_wan, draft.is_emergency,
        nature="" if draft.is_new else draft.nature, midyear=draft.is_midyear, sources=dict(draft.sources),
        fund_years=tuple((f.year, f.amount_wan) for f in draft.fund_years),
        estimate_basis=draft.estimate_basis.strip() if draft.amount_estimated else "",
    )


def snapshot(proposal: Proposal) -> dict:
    """The stored proposal as version data."""
    return intake.to_record(to_draft(proposal))
