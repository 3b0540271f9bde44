"""The unit-cost library (issue 26): every unit cost known, from the cost lines of proposals past their draft and
from imported contract prices and 定额. Computed once per change of its inputs and stored (platform.derived), so
a scoring page never reads every cost line of the city: a cost line or imported row written, or a proposal
changing state, forgets it."""
from __future__ import annotations

from sqlalchemy import delete, event, select
from sqlalchemy.orm import selectinload

from budget_eval.assessment.domain.unit_costs import classify, Sample
from budget_eval.assessment.economy_models import UnitCostRecord
from budget_eval.intake.domain.economy_rules import EconomyFile
from budget_eval.intake.domain.workflow import Status
from budget_eval.intake.models import CostLine, Proposal
from budget_eval.platform.derived import invalidate, stored
from budget_eval.platform.extensions import db
from budget_eval.platform.models.derived import DerivedFigure

KIND_LABELS = {"project": "以往项目申报", "contract": "历史合同", "quota": "定额"}


def library_samples(rules: EconomyFile, *, exclude_proposal: int | None = None) -> list[Sample]:
    """Every unit cost known: the cost lines (with quantity and price, of a known output type) of every proposal
    past its draft, and every imported row; computed once per change of its inputs and stored (platform.derived:
    a scoring page never reads every cost line of the city)."""
    samples = stored(LIBRARY, str(rules.version), lambda: _all_samples(rules))
    own = f"项目申报#{exclude_proposal}"
    return [s for s in samples if s.source != own] if exclude_proposal is not None else samples


def _all_samples(rules: EconomyFile) -> list[Sample]:
    types = rules.classifier()
    samples: list[Sample] = []
    lines = db.session.execute(
        select(CostLine, Proposal).join(Proposal, CostLine.proposal_id == Proposal.id)
        .where(Proposal.status != Status.DRAFT.value, Proposal.year.is_not(None))
        .options(selectinload(Proposal.department))
    ).all()
    for line, proposal in lines:
        if not line.quantity or line.unit_price_yuan is None:
            continue
        kind = classify(line.item, line.unit, types)
        if kind is None:
            continue
        samples.append(Sample(kind, line.unit.strip(), proposal.year, line.unit_price_yuan,
                              f"{proposal.name}（{proposal.department.name}，{proposal.year}年度）",
                              f"项目申报#{proposal.id}", proposal.category or "", proposal.department.name))
    for row in db.session.scalars(select(UnitCostRecord)):
        samples.append(Sample(row.output_type, row.unit, row.year, row.unit_price_yuan,
                              f"{row.item}（{row.department or KIND_LABELS[row.kind]}，{row.year}年）",
                              f"{row.source_file}第{row.source_row}行：{row.document}", row.category,
                              row.department, row.kind, row.approved_wan, row.actual_wan))
    return samples


LIBRARY = "economy_library"


def _forget_library(_mapper, connection, _target) -> None:
    """A cost line or an imported row written: the stored library is computed again (in the same transaction)."""
    connection.execute(delete(DerivedFigure).where(DerivedFigure.kind == LIBRARY))


def forget_library_on_state_change(_sender, row=None, **_kwargs) -> None:
    """A proposal leaving (or coming back to) its draft changes which lines count (platform.signals.state_changed)."""
    if isinstance(row, Proposal):
        invalidate(LIBRARY)


for _model in (CostLine, UnitCostRecord):
    for _event in ("after_insert", "after_update", "after_delete"):
        event.listen(_model, _event, _forget_library)
