"""Initial form data from a stored proposal (or defaults for a new one)."""
from __future__ import annotations


from types import SimpleNamespace

from budget_eval.platform.worklist import beijing_today
from budget_eval.intake.models import Proposal


def form_data(proposal: Proposal, *, creating: bool) -> dict:
    if creating:
        next_year = beijing_today().year + 1
        return {"year": str(next_year), "start_year": str(next_year), "end_year": str(next_year)}
    return {
        "name": proposal.name,
        "year": _text(proposal.year),
        "category": proposal.category or "",
        "is_new": "" if proposal.is_new is None else ("new" if proposal.is_new else proposal.nature or "continuing"),
        "is_midyear": proposal.is_midyear,
        "is_emergency": proposal.is_emergency,
        "amount_estimated": proposal.amount_estimated,
        "estimate_basis": proposal.estimate_basis,
        "emergency_reason": proposal.emergency_reason,
        "start_year": _text(proposal.start_year),
        "end_year": _text(proposal.end_year),
        "fund_years": [{"year": str(f.year), "amount": f"{f.amount_wan:f}"} for f in proposal.fund_years],
        # An object, not a dict: WTForms spreads a dict into keyword arguments, and the source code
        # "self" (单位自筹) would collide with Form.__init__'s own `self`.
        "sources": SimpleNamespace(**{s.source: f"{s.amount_wan:f}" for s in proposal.sources}),
        "basis_text": proposal.basis_text,
        "plan_text": proposal.plan_text,
        "budget_text": proposal.budget_text,
        "targets": [
            {"level1": t.level1, "level2": t.level2, "name": t.name, "value": t.value, "unit": t.unit,
             "comparator": t.comparator, "basis": t.basis, "year": _text(t.year)}
            for t in proposal.targets
        ],
        "cost_lines": [
            {"item": c.item, "quantity": _number(c.quantity), "unit": c.unit, "unit_price": _number(c.unit_price_yuan),
             "amount": _number(c.amount_wan), "basis": c.basis, "document": c.document, "target": c.target}
            for c in proposal.cost_lines
        ],
    }


def _text(value: int | None) -> str:
    return "" if value is None else str(value)


def _number(value) -> str:
    return "" if value is None else f"{value:f}"
