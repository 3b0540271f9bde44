"""Load test: gunicorn serving PostgreSQL with 10,000 proposals, 30,000 reviews and 100 departments, under 20
concurrent simulated users. Prints p50/p95/p99 latency per page and for a trivial route of the same app.

Usage (PostgreSQL must be running; this DROPS the public schema of the database it is given):
  BUDGET_EVAL_BENCH_PG_URL=postgresql+psycopg://budget_eval:budget_eval_test@127.0.0.1:5432/budget_eval_bench \\
      .venv/bin/python benchmarks/load.py [PROPOSALS] [REQUESTS_PER_USER] [THINK_SECONDS]
Each simulated user waits a random 0.5–1.5 × THINK_SECONDS between requests, as a person reading a page does
(locust's `between`); THINK_SECONDS=0 saturates the server instead. The load generator runs on the same 2-core
machine as the server, so its own work is inside the figures.
"""
from __future__ import annotations

import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from budget_eval import create_app  # noqa: E402
from budget_eval.intake.domain.intake import FundYear, ProposalDraft, Target, to_record  # noqa: E402
from budget_eval.platform.extensions import db  # noqa: E402
from budget_eval.assessment.rules import assessment_rules  # noqa: E402

USERS, PASSWORD = 20, "load-test-pw"
NOW = datetime(2026, 11, 23)


def build(url: str, proposals: int) -> dict:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    app = create_app({"SECRET_KEY": "load", "INSTANCE_PATH": Path(tempfile.mkdtemp()), "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        rules = assessment_rules("other")
        keys = [i.key for i in rules.template.indicators]
        t = {name: db.metadata.tables[name] for name in db.metadata.tables}
        pw = generate_password_hash(PASSWORD, "pbkdf2:sha256:1000")
        with db.engine.begin() as conn:
            conn.execute(t["department"].insert(), [{"id": d, "name": f"杭州市第{d}局", "active": True,
                                                    "created_at": NOW} for d in range(1, 101)])
            people = [{"id": 1, "username": "admin", "display_name": "管理员", "password_hash": pw, "role": "admin",
                       "active": True, "department_id": None, "created_at": NOW}]
            people += [{"id": 100 + n, "username": f"expert{n}", "display_name": f"专家{n}", "password_hash": pw,
                        "role": "expert", "active": True, "department_id": None, "created_at": NOW}
                       for n in range(30)]
            conn.execute(t["user_account"].insert(), people)
        now = NOW
        rows = {name: [] for name in ("proposal", "fund_year", "fund_source", "performance_target", "proposal_version",
                                      "assessment", "panel_member", "panel_score", "screening_record")}
        snapshot = rules.snapshot()
        member_id = score_id = 0
        for p in range(1, proposals + 1):
            draft = ProposalDraft(name=f"第{p}号道路改造工程", year=2027, category="other", is_new=True, start_year=2027,
                                  end_year=2028, fund_years=(FundYear(2027, 600), FundYear(2028, 600)),
                                  sources={"general": 1200}, basis_text="依据规划", plan_text="分期实施",
                                  budget_text="按定额", targets=(Target("产出指标", "数量指标", "改造道路", "12", "公里"),))
            rows["proposal"].append({"id": p, "year": 2027, "name": draft.name, "department_id": p % 100 + 1,
                                     "category": "other", "is_new": True, "is_emergency": False, "emergency_reason": "",
                                     "start_year": 2027, "end_year": 2028, "basis_text": draft.basis_text,
                                     "plan_text": draft.plan_text, "budget_text": draft.budget_text,
                                     "fiscal_total_wan": 120000, "status": "concluded", "screening_outcome": "required",
                                     "conclusion": "revise", "created_by_id": 1, "created_at": now, "updated_at": now})
            rows["fund_year"] += [{"proposal_id": p, "year": y, "amount_wan": 60000} for y in (2027, 2028)]
            rows["fund_source"].append({"proposal_id": p, "source": "general", "amount_wan": 120000})
            rows["performance_target"].append({"proposal_id": p, "position": 0, "level1": "产出指标", "level2": "数量指标",
                                               "name": "改造道路", "value": "12", "unit": "公里"})
            rows["screening_record"].append({"proposal_id": p, "outcome": "required", "basis": "依据第五条",
                                             "fiscal_total_wan": 120000, "threshold_wan": 100000, "rule_set": "筛查",
                                             "rule_version": "v", "created_at": now, "created_by_id": 1})
            rows["proposal_version"].append({"id": p, "proposal_id": p, "number": 1,
                                             "snapshot": json.loads(json.dumps(to_record(draft), default=str)),
                                             "created_at": now, "created_by_id": 1})
            result = {"indicators": {k: "8.50" for k in keys}, "dimensions": {d.code: "17.00" for d in rules.template.dimensions},
                      "gate_failures": [], "disagreements": [], "outliers": [], "used": [], "dropped": [],
                      "sensitivity": "结论稳健"}
            rows["assessment"].append({"id": p, "proposal_id": p, "round": 1, "version_id": p,
                                       "rules_snapshot": snapshot,
                                       "rules_version": rules.version, "status": "concluded", "created_at": now, "duplicates": [],
                                       "total": 8500, "grade": "良", "conclusion": "revise",
                                       "conclusion_label": "调整完善后予以支持", "result": result,
                                       "opinion": "评估意见", "problems": "", "suggestions": "", "recommended_wan": 120000,
                                       "concluded_by_id": 1, "concluded_at": now})
            for r in range(3):
                member_id += 1
                rows["panel_member"].append({"id": member_id, "assessment_id": p, "user_id": 100 + (p + r) % 30,
                                             "status": "submitted", "declared_at": now, "decline_reason": "",
                                             "overall_opinion": "同意", "justification": "", "submitted_at": now})
                for k in keys:
                    score_id += 1
                    rows["panel_score"].append({"id": score_id, "member_id": member_id, "indicator": k, "score": 850,
                                                "comment": ""})
        with db.engine.begin() as conn:
            for name in ("proposal", "fund_year", "fund_source", "performance_target", "screening_record",
                         "proposal_version", "assessment", "panel_member", "panel_score"):
                for start in range(0, len(rows[name]), 20000):
                    conn.execute(t[name].insert(), rows[name][start:start + 20000])
            for name in ("department", "user_account", "proposal", "proposal_version", "assessment", "panel_member",
                         "panel_score"):
                conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                                     f"(SELECT MAX(id) FROM \"{name}\") + 1, false)"))
            conn.execute(sa.text("ANALYZE"))
        return {"proposals": proposals, "members": member_id, "scores": score_id}


class Session:
    """One simulated user: a keep-alive connection and a signed-in cookie."""

    def __init__(self, port: int, username: str):
        self.username = username
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookie = ""
        page = self.request("GET", "/login")[1]
        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        body = f"username={username}&password={PASSWORD}&csrf_token={token}"
        status, _ = self.request("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 302, status

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        self.conn.request(method, path, body=body, headers={**(headers or {}), "Cookie": self.cookie})
        response = self.conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookie = header.split(";", 1)[0]
        return response.status, data.decode("utf-8", "replace")


def run(port: int, name: str, paths, per_user: int, users: list[str], think: float) -> list[float]:
    timings: list[float] = []
    lock = threading.Lock()
    sessions = [Session(port, u) for u in users]

    def work(session: Session, seed: int):
        rnd = random.Random(seed)
        mine = []
        for _ in range(per_user):
            path = paths(rnd, session)
            start = time.perf_counter()
            status, _ = session.request("GET", path)
            mine.append(time.perf_counter() - start)
            assert status == 200, (name, path, status)
            if think:
                time.sleep(think * rnd.uniform(0.5, 1.5))
        with lock:
            timings.extend(mine)

    threads = [threading.Thread(target=work, args=(s, n)) for n, s in enumerate(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def main(proposals: int, per_user: int, think: float) -> None:
    url = os.environ.get("BUDGET_EVAL_BENCH_PG_URL")
    if not url:
        sys.exit("set BUDGET_EVAL_BENCH_PG_URL to a PostgreSQL database that may be wiped")
    start = time.perf_counter()
    counts = build(url, proposals)
    print(f"users: {USERS}, think time {think:g} s (0.5–1.5×), gunicorn 3 workers")
    print(f"data: {counts['proposals']:,} proposals, {counts['members']:,} reviews ({counts['scores']:,} scores), "
          f"100 departments — built in {time.perf_counter() - start:.0f} s", flush=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "load", "FLASK_APP": "budget_eval"}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "3", "-b", f"127.0.0.1:{port}",
                               "budget_eval:create_app()"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):  # wait until gunicorn answers
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        admins = ["admin"] * USERS
        experts = [f"expert{n}" for n in range(USERS)]
        pages = {
            "trivial route (/livez), the floor": (lambda r, s: "/livez", admins),
            "proposal list (20 a page, filters)": (lambda r, s: f"/proposals/?page={r.randint(1, 400)}", admins),
            "proposal detail": (lambda r, s: f"/proposals/{r.randint(1, proposals)}", admins),
            "scoring page (reviewer's sheet)": (None, experts),
            "assessment report (.docx)": (lambda r, s: f"/proposals/{r.randint(1, proposals)}/report.docx", admins),
        }
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            tasks = {u: [m for (m,) in conn.execute(sa.text(
                "SELECT pm.id FROM panel_member pm JOIN user_account u ON u.id = pm.user_id WHERE u.username = :u "
                "LIMIT 200"), {"u": u})] for u in experts}
        engine.dispose()
        print(f"{'page':<40}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'p95/floor':>11}", flush=True)
        floor = None
        for name, (paths, users) in pages.items():
            if paths is None:  # a reviewer opens one of their own submitted sheets

                def paths(r, session):
                    return f"/reviews/{r.choice(tasks[session.username])}"
            timings = run(port, name, paths, per_user, users, think)
            p50, p95, p99 = (percentile(timings, p) * 1000 for p in (50, 95, 99))
            floor = floor or p95
            print(f"{name:<40}{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}{p95 / floor:>10.1f}x", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    args = sys.argv[1:]
    main(int(args[0]) if args else 10000, int(args[1]) if len(args) > 1 else 30,
         float(args[2]) if len(args) > 2 else 1.0)
