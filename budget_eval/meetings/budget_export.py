"""The meetings' decisions as a budget system's project library takes them: one .xlsx with the projects (one
amount column per year) and their 绩效目标 on a second sheet, laid out as rules/meetings.yaml's budget_export
says (so another system's layout is a file edit), written through the one spreadsheet writer; and the same file
read back through the one tolerant table reader (platform/tables.py with rules/tables.yaml's reading rules).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from budget_eval.intake.models import Proposal
from budget_eval.intake.rules import screening_rules
from budget_eval.meetings.domain.rule_files import BudgetExport, YEAR
from budget_eval.meetings.domain.states import DECISION_LABELS, MEETING_ITEM
from budget_eval.meetings.models import Meeting, MeetingItem
from budget_eval.meetings.rules import meeting_rules
from budget_eval.platform import spreadsheets
from budget_eval.platform.domain.money import parse_amount_exact
from budget_eval.platform.extensions import db
from budget_eval.platform.domain.table_spec import Column as ReadColumn, split_unit, squeeze, TableSpec
from budget_eval.platform.imports import unzipped_limit
from budget_eval.platform.rules import table_rules
from budget_eval.platform.spreadsheets import Column
from budget_eval.platform.tables import read_table

YES, NO = "是", "否"
# how each exported field is written (spreadsheets' column kinds) and read back (the table reader's kinds)
WRITE_KINDS = {"number": "integer", "year_amount": "money", "score": "score"}
READ_KINDS = {"assessed": "yesno", "in_library": "yesno"}


def decided_items(meeting_id: int | None = None) -> list[MeetingItem]:
    """Each project's latest decision (of one meeting, or of all), in meeting and agenda order."""
    query = (select(MeetingItem).join(Meeting).where(MeetingItem.decision.is_not(None))
             .options(selectinload(MeetingItem.meeting), selectinload(MeetingItem.assessment),
                      selectinload(MeetingItem.years),
                      selectinload(MeetingItem.proposal).selectinload(Proposal.department),
                      selectinload(MeetingItem.proposal).selectinload(Proposal.fund_years),
                      selectinload(MeetingItem.proposal).selectinload(Proposal.targets))
             .order_by(MeetingItem.id))
    if meeting_id is not None:
        query = query.where(MeetingItem.meeting_id == meeting_id)
    latest = {item.proposal_id: item for item in db.session.scalars(query)}
    return sorted(latest.values(), key=lambda i: (i.meeting.meeting_date or i.meeting.created_at.date(),
                                                  i.meeting_id, i.position))


def _category(code: str | None) -> str:
    try:
        return screening_rules().category(code or "").label
    except KeyError:
        return code or ""


def _years(items: list[MeetingItem]) -> list[int]:
    return sorted({f.year for item in items for f in item.proposal.fund_years} | {y.year for i in items for y in i.years})


def _project_value(field: str, item: MeetingItem):
    proposal, round_ = item.proposal, item.assessment
    values = {
        "number": proposal.id, "name": proposal.name, "department": proposal.department.name,
        "category": _category(proposal.category), "assessed": YES if round_ is not None else NO,
        "conclusion": round_.conclusion_label if round_ is not None else "",
        "score": round_.total if round_ is not None else None,
        "decision": DECISION_LABELS[MEETING_ITEM.state(item.decision)], "meeting": item.meeting.title,
        "cut_reason": item.cut_reason, "in_library": YES if item.in_library else NO,
        "library_date": item.library_date.isoformat() if item.library_date else "",
    }
    return values[field]


def _target_value(field: str, proposal: Proposal, target) -> object:
    values = {"number": proposal.id, "name": proposal.name, "level1": target.level1, "level2": target.level2,
              "target": target.name, "comparator": target.comparator, "value": target.value, "unit": target.unit,
              "year": target.year}
    return values[field]


def budget_tables(items: list[MeetingItem], layout: BudgetExport | None = None) -> list[spreadsheets.Table]:
    layout = layout or meeting_rules().budget_export
    years = _years(items)
    columns, rows = [], [[] for _ in items]
    for column in layout.projects.columns:
        if column.field == "year_amount":
            for year in years:
                columns.append(Column(column.header.replace(YEAR, str(year)), WRITE_KINDS["year_amount"]))
                for row, item in zip(rows, items, strict=True):
                    amounts = {y.year: y.approved_wan for y in item.years}
                    row.append(amounts.get(year))
        else:
            columns.append(Column(column.header, WRITE_KINDS.get(column.field, "text")))
            for row, item in zip(rows, items, strict=True):
                row.append(_project_value(column.field, item))
    target_columns = [Column(c.header, WRITE_KINDS.get(c.field, "text")) for c in layout.targets.columns]
    target_rows = [[_target_value(c.field, item.proposal, target) for c in layout.targets.columns]
                   for item in items for target in sorted(item.proposal.targets, key=lambda t: t.position)]
    return [spreadsheets.Table(layout.projects.sheet, columns, rows),
            spreadsheets.Table(layout.targets.sheet, target_columns, target_rows)]


def budget_xlsx(items: list[MeetingItem]) -> bytes:
    return spreadsheets.xlsx(*budget_tables(items))


# --- reading it back --------------------------------------------------------------------------------------
@dataclass
class ExportRead:
    projects: list[dict]  # field → value; year amounts under "year_amount" as {year: Decimal 万元 or None}
    targets: list[dict]  # field → text


def _spec(key: str, label: str, columns: list[tuple[str, str]]) -> TableSpec:
    """The reader's view of the layout; a year's amount column ("year:2027") is in 万元 unless its header says."""
    kinds = [(header, "amount" if field.startswith("year:") else READ_KINDS.get(field, "text"))
             for header, field in columns]
    return TableSpec(key, label, tuple(ReadColumn(header, kind, (), True, unit="万元" if kind == "amount" else None)
                                       for header, kind in kinds))


def read_budget_export(data: bytes, filename: str = "export.xlsx", layout: BudgetExport | None = None) -> ExportRead:
    """Read an export (or the budget system's copy of it) back with the tolerant reader; TableError if it is not."""
    layout = layout or meeting_rules().budget_export
    rules, limit = table_rules(), unzipped_limit()
    fixed = [(c.header, c.field) for c in layout.projects.columns if c.field != "year_amount"]
    first = read_table(data, filename, _spec("budget_projects", layout.label, fixed), rules, limit)
    template = next(c.header for c in layout.projects.columns if c.field == "year_amount")
    before, _, after = squeeze(template).partition(YEAR)
    pattern = re.compile(re.escape(before) + r"(\d{4})" + re.escape(split_unit(after)[0]) + "$")
    years = sorted({int(m.group(1)) for h in first.headers if (m := pattern.match(split_unit(squeeze(h))[0]))})
    year_columns = [(template.replace(YEAR, str(y)), f"year:{y}") for y in years]
    table = read_table(data, filename, _spec("budget_projects", layout.label, fixed + year_columns), rules, limit)
    projects = []
    for _, row in table.frame.iterrows():
        record: dict = {field: row[header] for header, field in fixed}
        record["year_amount"] = {
            year: parse_amount_exact(row[header], table.units[header].unit)[0]
            for (header, _), year in zip(year_columns, years, strict=True)}
        projects.append(record)
    target_fields = [(c.header, c.field) for c in layout.targets.columns]
    targets_table = read_table(data, filename, _spec("budget_targets", layout.label, target_fields), rules, limit)
    targets = [{field: row[header] for header, field in target_fields} for _, row in targets_table.frame.iterrows()]
    return ExportRead(projects, targets)
