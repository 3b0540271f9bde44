"""Generated data at any scale, written with bulk inserts (no ORM objects): proposals at every stage with their
rounds, panels and scores, meetings, audit events and a year's survey. Used by tests/web/test_page_cost.py
(100 against 2,000 proposals) and benchmarks/load.py (up to 100,000 proposals). Each call adds rows with ids
after the ones already there, so a test can grow the same database and look at the same pages again."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from budget_eval.assessment.rules import assessment_rules
from budget_eval.intake.domain.intake import FundYear, ProposalDraft, Target, to_record
from budget_eval.platform.extensions import db

PASSWORD = "load-test-pw"
NOW = datetime(2026, 11, 23)
DEPARTMENTS = 20
EXPERTS = 5  # few experts: each has a long task list at every scale
BATCH = 5000
# the stages a generated proposal is in, by its id modulo 10
STAGES = ["concluded"] * 5 + ["reviewed", "reviewed", "finance_review", "submitted", "draft"]
COMMENTS = ["停车难问题突出，希望增加停车位", "道路拥堵严重，早晚高峰通行慢", "办事效率有待提高，窗口排队时间长",
            "垃圾分类宣传不够，小区垃圾桶不足", "托育机构太少，收费偏高", "公园绿道维护不到位", "老旧小区加装电梯推进慢",
            "菜场环境卫生差", "政务服务网上办理方便了很多", "医院挂号难，看病排队久"]
GROUPS = ["市民代表", "企业代表", "人大代表", "政协委员", "社区负责人"]
ANSWERS = ["满意", "比较满意", "基本满意", "不满意"]


@dataclass
class Scale:
    proposals: int = 0
    reviews: int = 0
    audit: int = 0
    survey: int = 0
    meetings: int = 0


def _next_id(conn, table: str) -> int:
    return (conn.execute(sa.text(f'SELECT MAX(id) FROM "{table}"')).scalar() or 0) + 1


def base(conn, password_method: str = "pbkdf2:sha256:1000") -> None:
    """Departments and one user of each role (admin, reviewer, kpb, jiaotong), experts expert0…"""
    t = db.metadata.tables
    pw = generate_password_hash(PASSWORD, password_method)
    conn.execute(t["department"].insert(), [{"id": d, "name": f"杭州市第{d}局", "active": True, "created_at": NOW}
                                            for d in range(1, DEPARTMENTS + 1)])
    people = [("admin", "admin", None), ("reviewer", "reviewer", None), ("kpb", "eval_office", None),
              ("jiaotong", "department", 1)]
    people += [(f"expert{n}", "expert", None) for n in range(EXPERTS)]
    conn.execute(t["user_account"].insert(), [
        {"id": n, "username": name, "username_key": name, "display_name": name, "password_hash": pw, "role": role,
         "active": True, "department_id": dep, "created_at": NOW} for n, (name, role, dep) in enumerate(people, 1)])


def open_year() -> None:
    """The 2026 evaluation year under the Hangzhou scheme, every department a unit (through the ORM: commits)."""
    from budget_eval.evaluation import operations as evaluation
    from budget_eval.platform.audit import system

    evaluation.open_year(2026, "hangzhou", system("生成测试数据"))


def expert_ids(conn) -> list[int]:
    return [i for (i,) in conn.execute(sa.text("SELECT id FROM user_account WHERE role = 'expert' ORDER BY id"))]


def grow(conn, proposals: int, survey: int = 0, audit_per_proposal: int = 5, meeting_size: int = 50) -> Scale:
    """Add `proposals` proposals (with rounds, 3 reviews each, scores and audit lines), meetings of
    `meeting_size` concluded ones, and `survey` survey rows. Returns what was added."""
    t = db.metadata.tables
    rules = assessment_rules("other")
    keys = [i.key for i in rules.template.indicators]
    snapshot = rules.snapshot()
    experts = expert_ids(conn)
    first = _next_id(conn, "proposal")
    member_id, score_id, item_id = _next_id(conn, "panel_member"), _next_id(conn, "panel_score"), \
        _next_id(conn, "meeting_item")
    meeting_id = _next_id(conn, "meeting")
    audit_id = _next_id(conn, "audit_event")
    rows: dict[str, list] = {name: [] for name in (
        "proposal", "fund_year", "fund_source", "performance_target", "proposal_version", "assessment",
        "panel_member", "panel_score", "screening_record", "meeting", "meeting_item", "audit_event")}
    draft = ProposalDraft(name="道路改造工程", year=2027, category="other", is_new=True, start_year=2027,
                          end_year=2028, fund_years=(FundYear(2027, 600), FundYear(2028, 600)),
                          sources={"general": 1200}, basis_text="依据规划", plan_text="分期实施",
                          budget_text="按定额", targets=(Target("产出指标", "数量指标", "改造道路", "12", "公里"),))
    record = json.loads(json.dumps(to_record(draft), default=str))
    result = {"indicators": {k: "8.50" for k in keys}, "dimensions": {d.code: "17.00" for d in rules.template.dimensions},
              "gate_failures": [], "disagreements": [], "outliers": [], "used": [], "dropped": [],
              "sensitivity": "结论稳健"}
    meeting_open: list[int] = []
    for p in range(first, first + proposals):
        stage = STAGES[p % 10]
        when = NOW + timedelta(seconds=p)
        concluded = stage in ("concluded", "reviewed")
        rows["proposal"].append({
            "id": p, "year": 2027, "name": f"第{p}号道路改造工程",
            "department_id": 1 if p % 3 == 0 else p % DEPARTMENTS + 1,  # jiaotong's has a third
            "category": "other", "is_new": True, "is_emergency": False, "emergency_reason": "", "start_year": 2027,
            "end_year": 2028, "basis_text": "依据规划", "plan_text": "分期实施", "budget_text": "按定额",
            "fiscal_total_wan": 120000, "status": stage,
            "screening_outcome": None if stage == "draft" else "required",
            "conclusion": "support" if concluded else None, "created_by_id": 4, "created_at": when,
            "updated_at": when, "assessor_staff": []})
        rows["fund_year"] += [{"proposal_id": p, "year": y, "amount_wan": 60000} for y in (2027, 2028)]
        rows["fund_source"].append({"proposal_id": p, "source": "general", "amount_wan": 120000})
        rows["performance_target"].append({"proposal_id": p, "position": 0, "level1": "产出指标",
                                           "level2": "数量指标", "name": "改造道路", "value": "12", "unit": "公里"})
        for n in range(audit_per_proposal):
            rows["audit_event"].append({"id": audit_id, "at": when, "user_id": 1, "username": "admin",
                                        "kind": "workflow", "subject": f"第{p}号道路改造工程", "detail": f"步骤{n}"})
            audit_id += 1
        if stage == "draft":
            continue
        rows["screening_record"].append({"proposal_id": p, "outcome": "required", "basis": "依据第五条",
                                         "fiscal_total_wan": 120000, "threshold_wan": 100000, "rule_set": "筛查",
                                         "rule_version": "v", "created_at": when, "created_by_id": 4})
        rows["proposal_version"].append({"id": p, "proposal_id": p, "number": 1, "snapshot": record,
                                         "created_at": when, "created_by_id": 4})
        if stage == "submitted":
            continue
        rows["assessment"].append({
            "id": p, "proposal_id": p, "round": 1, "version_id": p, "rules_snapshot": snapshot,
            "rules_version": rules.version, "status": "concluded" if concluded else "open", "created_at": when,
            "duplicates": [], "total": 8500 if concluded else None, "grade": "良" if concluded else None,
            "conclusion": "support" if concluded else None,
            "conclusion_label": "予以支持" if concluded else None, "result": result if concluded else None,
            "opinion": "评估意见" if concluded else "", "problems": "", "suggestions": "",
            "recommended_wan": 120000 if concluded else None, "concluded_by_id": 1 if concluded else None,
            "concluded_at": when if concluded else None,
            "deadline": (NOW - timedelta(days=1)).date() if not concluded else None,
            # its three seats below, by state (assessment.seats_*: what assessment/seat_counts.py stores)
            "seats_seated": 3, "seats_waiting": 0 if concluded else 3, "seats_submitted": 3 if concluded else 0})
        for r in range(3):
            rows["panel_member"].append({
                "id": member_id, "assessment_id": p, "user_id": experts[(p + r) % len(experts)],
                "status": "submitted" if concluded else "accepted", "declared_at": when, "decline_reason": "",
                "overall_opinion": "同意" if concluded else "", "justification": "",
                "submitted_at": when if concluded else None})
            if concluded:
                for k in keys:
                    rows["panel_score"].append({"id": score_id, "member_id": member_id, "indicator": k,
                                                "score": 850, "comment": ""})
                    score_id += 1
            member_id += 1
        if stage == "concluded":
            meeting_open.append(p)
            if len(meeting_open) == meeting_size:
                rows["meeting"].append({"id": meeting_id, "title": f"第{meeting_id}次会议", "kind": "executive",
                                        "kind_label": "市政府常务会议", "kind_quote": "", "kind_source": "",
                                        "created_at": when, "created_by_id": 1})
                for position, q in enumerate(meeting_open, 1):
                    rows["meeting_item"].append({"id": item_id, "meeting_id": meeting_id, "proposal_id": q,
                                                 "assessment_id": q, "position": position, "decision": "approved",
                                                 "approved_wan": 120000, "decision_note": "", "cut_reason": "",
                                                 "decided_at": when, "decided_by_id": 1})
                    item_id += 1
                meeting_id += 1
                meeting_open = []
    columns = {name: {c.name for c in t[name].columns} for name in rows}
    for name, values in rows.items():
        for row in values:
            unknown = set(row) - columns[name]
            assert not unknown, (name, unknown)
        for start in range(0, len(values), BATCH):
            conn.execute(t[name].insert(), values[start:start + BATCH])
    _survey(conn, survey)
    if conn.dialect.name == "postgresql":
        for name in ("proposal", "proposal_version", "assessment", "panel_member", "panel_score", "meeting",
                     "meeting_item", "audit_event", "survey_response", "department", "user_account",
                     "evaluation_year", "evaluation_unit"):
            conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                                 f"(SELECT COALESCE(MAX(id), 0) FROM \"{name}\") + 1, false)"))
    return Scale(proposals=proposals, reviews=len(rows["panel_member"]), audit=len(rows["audit_event"]),
                 survey=survey, meetings=len(rows["meeting"]))


def _survey(conn, count: int) -> None:
    if not count:
        return
    table = db.metadata.tables["survey_response"]
    first = _next_id(conn, "survey_response")
    values = []
    for n in range(first, first + count):
        values.append({"id": n, "year_id": 1, "respondent": f"R{n // 10}", "group": GROUPS[n % len(GROUPS)],
                       "department_id": n % DEPARTMENTS + 1, "answer": ANSWERS[n % len(ANSWERS)],
                       "comment": COMMENTS[n % len(COMMENTS)],
                       "feedback_status": "confirmed"})
        if len(values) == BATCH:
            conn.execute(table.insert(), values)
            values = []
    if values:
        conn.execute(table.insert(), values)
    # rows written behind the application's back: its stored figures (platform/derived.py) are stale, and the year's
    # comments changed (raised as every writer of the comments raises them: the hot words are keyed by it)
    from budget_eval.evaluation.versions import bumped

    conn.execute(db.metadata.tables["derived_figure"].delete())
    conn.execute(bumped(1))
