"""What must hold over the whole database, whatever wrote it: raw SQL over the tables, no app code.

    from tests.concurrency.invariants import check_invariants
    assert check_invariants(engine) == []

Each violation is one line naming the rule and the rows that break it, so a test can diff the list taken
before and after some work. The rules read table and column names, and take the state values from the lifecycles'
enums (never typed here: a state renamed in its enum is renamed here); they run on SQLite and PostgreSQL, and cover: duplicates the workflow must never create (one open round per
proposal, one undecided meeting item per proposal, one pending appeal per unit, one sheet per reviewer per
round), each proposal's history as one unbroken chain ending in its status with one event per transition,
the records each transition leaves (rounds, conclusions, meeting items, versions, screenings) matching its
events, one audit line per history event, the evaluation's figures matching its decisions, and every
foreign key pointing at a row that exists (for backups restored into an empty database).
"""
from __future__ import annotations

from weakref import WeakKeyDictionary

import sqlalchemy as sa

from budget_eval.assessment.domain.states import CLEARED, MaterialStatus, OFF_PANEL, RoundStatus, SETTLED_SELF, \
    SheetStatus, WAITING
from budget_eval.evaluation.domain.states import AppealStatus, InnovationStatus, YearStatus
from budget_eval.intake.domain.workflow import Status
from budget_eval.meetings.domain.states import Decision

# statuses in which the materials check is over and the self-assessment has been handed in
AFTER_MATERIALS = (Status.SELF_ASSESSMENT, Status.AUTHORITY_REVIEW, Status.FINANCE_REVIEW, Status.CONCLUDED,
                   Status.REVISING, Status.ADJUSTED, Status.REPORT_REVIEW, Status.CORRECTING, Status.REVIEWED,
                   Status.MEETING, Status.DECIDED)
AFTER_SELF_ASSESSMENT = AFTER_MATERIALS[1:]
# the stored values, quoted for SQL
OPEN_ROUND, CONCLUDED_ROUND = f"'{RoundStatus.OPEN}'", f"'{RoundStatus.CONCLUDED}'"
SUBMITTED_SHEET, APPROVED = f"'{SheetStatus.SUBMITTED}'", f"'{Decision.APPROVED}'"
FILED, UPHELD = f"'{AppealStatus.FILED}'", f"'{AppealStatus.UPHELD}'"
VERIFIED = f"'{InnovationStatus.VERIFIED}'"
OPEN_YEAR, PUBLISHED = f"'{YearStatus.OPEN}'", f"'{YearStatus.PUBLISHED}'"
FINANCE_REVIEW, MEETING = f"'{Status.FINANCE_REVIEW}'", f"'{Status.MEETING}'"


def _in(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in sorted(values)) + ")"


def _events(to_status: str, from_status: str | None = None) -> str:
    """Count of one proposal's history events into a status (optionally from one), as a subquery."""
    extra = f" AND e.from_status = '{from_status}'" if from_status else ""
    return (f"(SELECT COUNT(*) FROM proposal_event e WHERE e.proposal_id = p.id AND e.to_status = '{to_status}'"
            f"{extra})")


def _count(table: str, condition: str = "") -> str:
    return f"(SELECT COUNT(*) FROM {table} x WHERE x.proposal_id = p.id{' AND ' + condition if condition else ''})"


def _mismatch(records: str, events: str) -> str:
    return f"SELECT * FROM (SELECT p.id AS proposal, {records} AS records, {events} AS events FROM proposal p) t " \
           "WHERE records <> events"


RULES: list[tuple[str, str]] = [
    # --- duplicates -------------------------------------------------------------------------------------
    ("one open round per proposal",
     f"SELECT proposal_id AS proposal, COUNT(*) AS open_rounds FROM assessment WHERE status = {OPEN_ROUND} "
     "GROUP BY proposal_id HAVING COUNT(*) > 1"),
    ("one undecided meeting item per proposal",
     "SELECT proposal_id AS proposal, COUNT(*) AS undecided FROM meeting_item WHERE decision IS NULL "
     "GROUP BY proposal_id HAVING COUNT(*) > 1"),
    ("one pending appeal per unit",
     f"SELECT unit_id AS unit, COUNT(*) AS pending FROM eval_appeal WHERE status = {FILED} "
     "GROUP BY unit_id HAVING COUNT(*) > 1"),
    ("one sheet per reviewer per round",
     "SELECT assessment_id AS round, user_id AS reviewer, COUNT(*) AS sheets FROM panel_member "
     "GROUP BY assessment_id, user_id HAVING COUNT(*) > 1"),
    ("one score per indicator per sheet",
     "SELECT member_id AS sheet, indicator, COUNT(*) AS scores FROM panel_score "
     "GROUP BY member_id, indicator HAVING COUNT(*) > 1"),
    ("one random draw per round (changes afterwards are replacements)",
     "SELECT assessment_id AS round, COUNT(*) AS draws FROM panel_draw WHERE kind = 'draw' "
     "GROUP BY assessment_id HAVING COUNT(*) > 1"),
    ("each draw seated exactly as many reviewers as it drew",
     "SELECT d.id AS draw, d.size, COUNT(m.id) AS seats FROM panel_draw d LEFT JOIN panel_member m "
     "ON m.draw_id = d.id GROUP BY d.id, d.size HAVING COUNT(m.id) <> d.size"),
    ("a replaced sheet has exactly one replacement draw with its reason, and every replacement replaced one",
     "SELECT m.id AS sheet, m.status, COUNT(d.id) AS replacements FROM panel_member m LEFT JOIN panel_draw d "
     f"ON d.replaced_member_id = m.id GROUP BY m.id, m.status HAVING (m.status = '{SheetStatus.REPLACED}' AND "
     f"COUNT(d.id) <> 1) OR (m.status <> '{SheetStatus.REPLACED}' AND COUNT(d.id) > 0)"),
    ("a replacement draw states its reason",
     "SELECT id AS draw FROM panel_draw WHERE kind = 'replace' AND (reason = '' OR replaced_member_id IS NULL)"),
    ("a reviewer who may see the materials signed the pledge: its text and time are stored",
     f"SELECT id AS sheet, status FROM panel_member WHERE status IN {_in(CLEARED)} "
     "AND (declared_at IS NULL OR pledge_text = '')"),
    # --- states that agree with each other ---------------------------------------------------------------
    ("an open round exactly while the proposal is in finance review",
     "SELECT p.id AS proposal, p.status, COUNT(a.id) AS open_rounds FROM proposal p "
     f"LEFT JOIN assessment a ON a.proposal_id = p.id AND a.status = {OPEN_ROUND} GROUP BY p.id, p.status "
     f"HAVING (p.status = {FINANCE_REVIEW} AND COUNT(a.id) <> 1) OR (p.status <> {FINANCE_REVIEW} AND COUNT(a.id) > 0)"),
    ("an undecided meeting item exactly while the proposal is before a meeting",
     "SELECT p.id AS proposal, p.status, COUNT(i.id) AS undecided FROM proposal p "
     "LEFT JOIN meeting_item i ON i.proposal_id = p.id AND i.decision IS NULL GROUP BY p.id, p.status "
     f"HAVING (p.status = {MEETING} AND COUNT(i.id) <> 1) OR (p.status <> {MEETING} AND COUNT(i.id) > 0)"),
    ("a concluded round has its conclusion, who issued it and when; an open round has none",
     f"SELECT id AS round, status FROM assessment WHERE (status = {CONCLUDED_ROUND} AND (conclusion IS NULL "
     f"OR concluded_at IS NULL OR concluded_by_id IS NULL)) OR (status = {OPEN_ROUND} AND (conclusion IS NOT NULL "
     "OR concluded_at IS NOT NULL))"),
    ("a concluded round has every sheet submitted or declined (the conclusion counts all of them)",
     "SELECT a.id AS round, m.id AS sheet, m.status FROM assessment a JOIN panel_member m ON m.assessment_id = a.id "
     f"WHERE a.status = {CONCLUDED_ROUND} AND m.status IN {_in(WAITING)}"),
    ("a round's stored seat counts are its seats recounted (the 工作台 finds its rounds by them)",
     "SELECT a.id AS round, a.seats_seated, a.seats_waiting, a.seats_submitted, COALESCE(s.seated, 0) AS seated, "
     "COALESCE(s.waiting, 0) AS waiting, COALESCE(s.submitted, 0) AS submitted FROM assessment a LEFT JOIN "
     f"(SELECT assessment_id, SUM(CASE WHEN status NOT IN {_in(OFF_PANEL)} THEN 1 ELSE 0 END) AS seated, "
     f"SUM(CASE WHEN status IN {_in(WAITING)} THEN 1 ELSE 0 END) AS waiting, "
     f"SUM(CASE WHEN status = {SUBMITTED_SHEET} THEN 1 ELSE 0 END) AS submitted FROM panel_member "
     "GROUP BY assessment_id) s ON s.assessment_id = a.id WHERE a.seats_seated <> COALESCE(s.seated, 0) "
     "OR a.seats_waiting <> COALESCE(s.waiting, 0) OR a.seats_submitted <> COALESCE(s.submitted, 0)"),
    ("a sheet is submitted exactly when it has a submission time",
     f"SELECT id AS sheet, status FROM panel_member WHERE (status = {SUBMITTED_SHEET} AND submitted_at IS NULL) "
     f"OR (status <> {SUBMITTED_SHEET} AND submitted_at IS NOT NULL)"),
    ("an approved amount only with the decision 通过, and 通过 always with an amount",
     "SELECT id AS meeting_item, decision, approved_wan FROM meeting_item "
     f"WHERE (decision = {APPROVED} AND approved_wan IS NULL) "
     f"OR (COALESCE(decision, '') <> {APPROVED} AND approved_wan IS NOT NULL)"),
    ("an approved amount is the sum of its years, each at most its request; years only with 通过",
     "SELECT i.id AS meeting_item, i.decision, i.approved_wan, y.approved, y.over FROM meeting_item i JOIN "
     "(SELECT item_id, SUM(approved_wan) AS approved, SUM(CASE WHEN approved_wan > requested_wan THEN 1 ELSE 0 END) "
     "AS over FROM meeting_item_year GROUP BY item_id) y ON y.item_id = i.id "
     f"WHERE COALESCE(i.decision, '') <> {APPROVED} OR i.approved_wan <> y.approved OR y.over > 0"),
    ("a cut (less than requested) has its reason",
     "SELECT i.id AS meeting_item, y.requested, y.approved FROM meeting_item i JOIN (SELECT item_id, "
     "SUM(requested_wan) AS requested, SUM(approved_wan) AS approved FROM meeting_item_year GROUP BY item_id) y "
     "ON y.item_id = i.id WHERE y.approved < y.requested AND COALESCE(i.cut_reason, '') = ''"),
    ("the project library holds approved items only, each with its date and who entered it",
     "SELECT id AS meeting_item, decision, library FROM meeting_item WHERE (library IS NOT NULL AND "
     f"(COALESCE(decision, '') <> {APPROVED} OR library_date IS NULL OR library_by_id IS NULL)) "
     "OR (library IS NULL AND (library_date IS NOT NULL OR library_by_id IS NOT NULL))"),
    ("a decided meeting item says who decided and when; an undecided one does not",
     "SELECT id AS meeting_item, decision FROM meeting_item WHERE (decision IS NOT NULL AND "
     "(decided_at IS NULL OR decided_by_id IS NULL)) OR (decision IS NULL AND decided_at IS NOT NULL)"),
    ("past the materials check, every required material is received or waived",
     "SELECT p.id AS proposal, p.status, m.code AS material, m.status AS material_status FROM proposal p "
     f"JOIN material_item m ON m.proposal_id = p.id WHERE p.status IN {_in(AFTER_MATERIALS)} "
     f"AND m.required AND NOT m.waived AND m.status <> '{MaterialStatus.RECEIVED}'"),
    ("past the self-assessment, it is submitted or approved",
     "SELECT p.id AS proposal, p.status, s.status AS self_assessment FROM proposal p "
     f"JOIN self_assessment s ON s.proposal_id = p.id WHERE p.status IN {_in(AFTER_SELF_ASSESSMENT)} "
     f"AND s.status NOT IN {_in(SETTLED_SELF)}"),
    # --- records left by transitions match the history ---------------------------------------------------
    ("one round per entry into finance review", _mismatch(_count("assessment"), _events(Status.FINANCE_REVIEW))),
    ("one conclusion per concluded round",
     _mismatch(_count("assessment", f"x.status = {CONCLUDED_ROUND}"), _events(Status.CONCLUDED))),
    ("one meeting item per submission to a meeting", _mismatch(_count("meeting_item"), _events(Status.MEETING))),
    ("one decision per decided meeting item",
     _mismatch(_count("meeting_item", "x.decision IS NOT NULL"), _events(Status.DECIDED))),
    ("one version per submission, resubmission after an adjustment and corrected report",
     _mismatch(_count("proposal_version"),
               # a submission (a draft's, or one returned for 补正), to review or closed as 无需评估 at once
               f"{_events(Status.SUBMITTED, Status.DRAFT)} + {_events(Status.SUBMITTED, Status.RETURNED)} + "
               f"{_events(Status.NOT_ASSESSED, Status.DRAFT)} + {_events(Status.NOT_ASSESSED, Status.RETURNED)} + "
               f"{_events(Status.FINANCE_REVIEW, Status.REVISING)} + "
               f"{_events(Status.ADJUSTED, Status.REVISING)} + {_events(Status.REPORT_REVIEW, Status.CORRECTING)}")),
    # art. 5's two reviews: each recorded once (a pass stays in 报告审核, a return goes to 退回补正)
    ("one report review record per review taken",
     _mismatch(_count("report_review"),
               f"{_events(Status.REPORT_REVIEW, Status.REPORT_REVIEW)} + "
               f"{_events(Status.CORRECTING, Status.REPORT_REVIEW)}")),
    ("at most one review by each reviewer in each cycle",
     "SELECT proposal_id AS proposal, cycle, reviewer, COUNT(*) AS reviews FROM report_review "
     "GROUP BY proposal_id, cycle, reviewer HAVING COUNT(*) > 1"),
    ("one adjustment answer per adjustment submitted",
     _mismatch(_count("adjustment_response"), _events(Status.ADJUSTED, Status.REVISING))),
    ("one decision on an adjustment answer per decision finance took",
     _mismatch(_count("adjustment_response", "x.outcome IS NOT NULL"),
               f"(SELECT COUNT(*) FROM proposal_event e WHERE e.proposal_id = p.id AND e.from_status = "
               f"'{Status.ADJUSTED}')")),
    # a screening is recorded by each submission (to 已提交, or closed at once as 无需评估) and by each resubmitted
    # adjustment (the revised version is screened again: issue 21)
    ("one screening per submission",
     _mismatch(_count("screening_record"),
               "(SELECT COUNT(*) FROM proposal_event e WHERE e.proposal_id = p.id AND ("
               f"(e.to_status IN ('{Status.SUBMITTED}', '{Status.NOT_ASSESSED}') "
               f"AND e.from_status IN ('{Status.DRAFT}', '{Status.RETURNED}')) "
               f"OR (e.to_status = '{Status.ADJUSTED}' AND e.from_status = '{Status.REVISING}')))")),
    ("one audit line per history event (audit_event kind 'state', subject = the proposal's name)",
     "SELECT ev.name AS proposal_name, ev.events, COALESCE(au.audits, 0) AS audits FROM "
     "(SELECT p.name, COUNT(e.id) AS events FROM proposal p JOIN proposal_event e ON e.proposal_id = p.id "
     "GROUP BY p.name) ev LEFT JOIN (SELECT subject, COUNT(*) AS audits FROM audit_event WHERE kind = 'state' "
     "AND detail LIKE '项目：%' GROUP BY subject) au ON au.subject = ev.name WHERE ev.events <> COALESCE(au.audits, 0)"),
    # --- departmental evaluation ---------------------------------------------------------------------------
    ("a unit's adjustment is the sum of its upheld appeals' changes",
     "SELECT u.id AS unit, u.adjustment, COALESCE(SUM(a.change), 0) AS upheld_changes FROM evaluation_unit u "
     f"LEFT JOIN eval_appeal a ON a.unit_id = u.id AND a.status = {UPHELD} GROUP BY u.id, u.adjustment "
     "HAVING u.adjustment <> COALESCE(SUM(a.change), 0)"),
    ("a decided appeal says who decided and when; a pending one does not",
     f"SELECT id AS appeal, status FROM eval_appeal WHERE (status = {FILED} AND decided_at IS NOT NULL) "
     f"OR (status <> {FILED} AND (decided_at IS NULL OR decided_by_id IS NULL))"),
    ("appeals only against published results (a year withdrawn after publication keeps its appeals)",
     "SELECT a.id AS appeal, y.year, y.status FROM eval_appeal a JOIN evaluation_unit u ON u.id = a.unit_id "
     f"JOIN evaluation_year y ON y.id = u.year_id WHERE y.status <> {PUBLISHED} AND y.published_at IS NULL"),
    ("a verified innovation has verified points, at most those claimed; others have none",
     "SELECT id AS innovation, status, claimed, verified FROM eval_innovation "
     f"WHERE (status = {VERIFIED} AND (verified IS NULL OR verified > claimed)) "
     f"OR (status <> {VERIFIED} AND verified IS NOT NULL)"),
    ("a published year has its publication time and appeal deadline; an open year has neither unless withdrawn",
     f"SELECT year, status FROM evaluation_year y WHERE (status = {PUBLISHED} AND (published_at IS NULL "
     f"OR appeal_deadline IS NULL)) OR (status = {OPEN_YEAR} AND published_at IS NOT NULL AND NOT EXISTS ("
     "SELECT 1 FROM state_event e WHERE e.lifecycle = 'evaluation_year' AND e.record_id = y.id "
     "AND e.action = 'withdraw'))"),
    ("a year is published, withdrawn and corrected in turn: each withdrawal follows a publication or correction",
     "SELECT y.year, COUNT(*) FILTER (WHERE e.action = 'withdraw') AS withdrawals, "
     "COUNT(*) FILTER (WHERE e.action IN ('publish', 'correct')) AS publications, y.status "
     "FROM evaluation_year y JOIN state_event e ON e.lifecycle = 'evaluation_year' AND e.record_id = y.id "
     "GROUP BY y.id, y.year, y.status HAVING COUNT(*) FILTER (WHERE e.action IN ('publish', 'correct')) "
     f"- COUNT(*) FILTER (WHERE e.action = 'withdraw') <> CASE WHEN y.status = {PUBLISHED} THEN 1 ELSE 0 END"),
]


def check_invariants(engine: sa.Engine) -> list[str]:
    """Every violation of the rules above, of the history chains and of the foreign keys, one line each."""
    found: list[str] = []
    with engine.connect() as conn:
        for rule, query in RULES:
            for row in conn.execute(sa.text(query)):
                found.append(f"{rule}: " + ", ".join(f"{k}={v}" for k, v in row._mapping.items()))
        found += history_chains(conn)
        found += orphans(conn, _foreign_keys(engine, conn))
    return found


def history_chains(conn: sa.Connection) -> list[str]:
    """Each proposal's status events form one chain from 草稿 to its current status, one event per step."""
    status = dict(conn.execute(sa.text("SELECT id, status FROM proposal")).all())
    events = conn.execute(sa.text(
        "SELECT proposal_id, id, from_status, to_status FROM proposal_event WHERE to_status IS NOT NULL "
        "ORDER BY proposal_id, id")).all()
    rule = "history chain ends in the proposal's status, one event per transition"
    found, last = [], {}
    for proposal, event, before, after in events:
        expected = last.get(proposal, Status.DRAFT.value)
        if (before or Status.DRAFT.value) != expected:
            found.append(f"{rule}: proposal={proposal}, event={event}, from={before} but the history stood at {expected}")
        last[proposal] = after
    for proposal, current in status.items():
        if last.get(proposal) != current:
            found.append(f"{rule}: proposal={proposal}, status={current}, history ends at {last.get(proposal)}")
    return found


_SCHEMAS: WeakKeyDictionary = WeakKeyDictionary()  # engine → its tables and foreign keys, read once


def _foreign_keys(engine: sa.Engine, conn: sa.Connection) -> list[tuple[str, dict]]:
    if engine not in _SCHEMAS:
        inspector = sa.inspect(conn)
        _SCHEMAS[engine] = [(t, key) for t in inspector.get_table_names() for key in inspector.get_foreign_keys(t)]
    return _SCHEMAS[engine]


def orphans(conn: sa.Connection, foreign_keys: list[tuple[str, dict]]) -> list[str]:
    """Rows whose foreign key names a row that does not exist."""
    found = []
    for table, key in foreign_keys:
        pairs = list(zip(key["constrained_columns"], key["referred_columns"]))
        present = " AND ".join(f'c."{c}" IS NOT NULL' for c, _ in pairs)
        match = " AND ".join(f'r."{r}" = c."{c}"' for c, r in pairs)
        count = conn.execute(sa.text(
            f'SELECT COUNT(*) FROM "{table}" c WHERE {present} AND NOT EXISTS '
            f'(SELECT 1 FROM "{key["referred_table"]}" r WHERE {match})')).scalar_one()
        if count:
            found.append(f"every foreign key points at a row: {table}({', '.join(key['constrained_columns'])}) "
                         f"→ {key['referred_table']}: {count} missing")
    return found


def table_counts(engine: sa.Engine) -> dict[str, int]:
    """Rows per table (Alembic's own table aside), to compare what two runs of an action added."""
    with engine.connect() as conn:
        # nor stored derived figures and kept rule-file copies (caches: whichever request computes them first)
        names = [n for n in sa.inspect(conn).get_table_names()
                 if n not in ("alembic_version", "derived_figure", "rule_file_copy")]
        # not the measured action's rows: sign-ins (kind 'login', the harness opening sessions) and the first use
        # of a rule-set version in this database (kind 'rules', written by whichever request loads it first)
        where = {"audit_event": " WHERE kind NOT IN ('login', 'rules')"}
        return {n: conn.execute(sa.text(f'SELECT COUNT(*) FROM "{n}"{where.get(n, "")}')).scalar_one()
                for n in names}
