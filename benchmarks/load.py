"""Load test (issue 22): gunicorn (3 workers) serving PostgreSQL with generated data (tests/scale_data.py: proposals
at every stage with rounds, 3 reviews each, meetings, audit lines, a year's survey), under 20 concurrent simulated
users. Prints p50/p95/p99 latency per page and p95 as a multiple of the /healthz p95 of the same run (the floor).

Usage (PostgreSQL must be running; this DROPS the public schema of the database it is given):
  BUDGET_EVAL_BENCH_PG_URL=postgresql+psycopg://budget_eval:budget_eval_test@127.0.0.1:5432/budget_eval_bench \\
      .venv/bin/python benchmarks/load.py [PROPOSALS] [REQUESTS_PER_USER] [THINK_SECONDS] [SURVEY_ROWS]
The default is a small smoke run (2,000 proposals); the issue's scale is 100000 (300,000 reviews, 500,000 audit
events: 5 a proposal) with SURVEY_ROWS 425000.
Each simulated user waits a random 0.5–1.5 × THINK_SECONDS between requests, as a person reading a page does
(locust's `between`); THINK_SECONDS=0 saturates the server instead. The load generator runs on the same 2-core
machine as the server, so its own work is inside the figures.
"""
from __future__ import annotations

import http.client
from urllib.parse import quote
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from budget_eval import create_app  # noqa: E402
from budget_eval.platform.extensions import db  # noqa: E402
from tests import scale_data  # noqa: E402

USERS, PASSWORD = 20, scale_data.PASSWORD


def build(url: str, proposals: int, survey: int) -> dict:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    app = create_app({"SECRET_KEY": "load", "INSTANCE_PATH": Path(tempfile.mkdtemp()), "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        with db.engine.begin() as conn:
            scale_data.base(conn)
        scale_data.open_year()
        added = scale_data.Scale()
        step = 20000
        for start in range(0, proposals, step):  # in slices: memory stays bounded
            with db.engine.begin() as conn:
                got = scale_data.grow(conn, min(step, proposals - start), survey=0)
            added.reviews += got.reviews
            added.audit += got.audit
        for start in range(0, survey, 100000):
            with db.engine.begin() as conn:
                scale_data._survey(conn, min(100000, survey - start))
        with db.engine.begin() as conn:
            conn.execute(sa.text("ANALYZE"))
        # the derived figures (platform/derived.py) computed and stored once after generating the survey, as a
        # background job after an import would (the import itself only invalidates them): the year's hot words and
        # survey counts and each unit's own words. Otherwise the first view computes them inside a request
        from budget_eval.evaluation import hotword_job, operations as evaluation
        from budget_eval.evaluation.models import EvaluationYear
        from budget_eval.platform.audit import system

        year = db.session.scalar(sa.select(EvaluationYear))
        hotword_job.compute(year, system("基准测试数据"))  # the year's and every unit's words, as the job does
        db.session.commit()
        evaluation.survey_counts(year)
        db.session.remove()
        return {"proposals": proposals, "members": added.reviews, "audit": added.audit, "survey": survey}


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
            path = quote(paths(rnd, session), safe="/?=&")
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


def main(proposals: int, per_user: int, think: float, survey: int) -> None:
    url = os.environ.get("BUDGET_EVAL_BENCH_PG_URL")
    if not url:
        sys.exit("set BUDGET_EVAL_BENCH_PG_URL to a PostgreSQL database that may be wiped")
    start = time.perf_counter()
    counts = build(url, proposals, survey)
    print(f"users: {USERS}, think time {think:g} s (0.5–1.5×), gunicorn 3 workers")
    print(f"data: {counts['proposals']:,} proposals, {counts['members']:,} reviews, {counts['audit']:,} audit events, "
          f"{counts['survey']:,} survey rows, {scale_data.DEPARTMENTS} departments — built in "
          f"{time.perf_counter() - start:.0f} s", flush=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "load", "FLASK_APP": "budget_eval"}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "3", "-b", f"127.0.0.1:{port}",
                               "budget_eval:create_app()"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):  # wait until a worker answers (gunicorn binds before its workers have booted)
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                probe.request("GET", "/livez")
                if probe.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        time.sleep(5)  # the other workers finish booting
        admins = ["admin"] * USERS
        experts = [f"expert{n % scale_data.EXPERTS}" for n in range(USERS)]
        office = ["kpb"] * USERS
        deep = max(1, min(proposals // 20, 500))
        pages = {
            "/healthz, the floor": (lambda r, s: "/healthz", admins),
            "工作台 home (admin)": (lambda r, s: "/", admins),
            "proposal list, page 1": (lambda r, s: "/proposals/", admins),
            "proposal list, deep page": (lambda r, s: f"/proposals/?page={r.randint(deep // 2, deep)}", admins),
            "proposal list, filter": (lambda r, s: f"/proposals/?status=concluded&department={r.randint(1, 20)}",
                                      admins),
            "proposal list, name search": (lambda r, s: f"/proposals/?q=第{r.randint(1, proposals)}号", admins),
            "proposal detail": (lambda r, s: f"/proposals/{r.randint(1, proposals)}", admins),
            "scoring page (reviewer's sheet)": (None, experts),
            "task list (expert)": (lambda r, s: f"/reviews/?page={r.randint(1, 5)}", experts),
            "meetings": (lambda r, s: "/meetings/", admins),
            "pipeline": (lambda r, s: "/pipeline/", admins),
            "audit log": (lambda r, s: f"/admin/audit?page={r.randint(1, 50)}", admins),
            "audit search": (lambda r, s: f"/admin/audit?q=第{r.randint(1, proposals)}号", admins),
            "evaluation year": (lambda r, s: "/evaluation/2026/", office),
            "evaluation unit": (lambda r, s: f"/evaluation/units/{r.randint(1, 20)}", office),
            "hot words": (lambda r, s: "/evaluation/2026/hotwords", office),
            # the goal is a repeated download (served from the document cache): each report is downloaded once first,
            # one after another, and that first rendering is printed on its own line
            "report download, repeated (.docx)": (lambda r, s: f"/proposals/{5 + 10 * r.randint(0, 9)}/report.docx",
                                                  admins),
        }
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            tasks = {u: [m for (m,) in conn.execute(sa.text(
                "SELECT pm.id FROM panel_member pm JOIN user_account u ON u.id = pm.user_id WHERE u.username = :u "
                "LIMIT 200"), {"u": u})] for u in set(experts)}
        engine.dispose()
        print(f"{'page':<36}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'p95/floor':>11}", flush=True)
        floor = None
        for name, (paths, users) in pages.items():
            if name.startswith("report download"):
                first = Session(port, "admin")
                rendered = []
                for n in range(10):
                    start_one = time.perf_counter()
                    first.request("GET", f"/proposals/{5 + 10 * n}/report.docx")
                    rendered.append(time.perf_counter() - start_one)
                print(f"{'report, first download (rendered)':<36}{statistics.median(rendered) * 1000:>9.1f}"
                      f"{max(rendered) * 1000:>9.1f}{'':>9}{'(median, max of 10; not a goal)':>11}", flush=True)
            if paths is None:  # a reviewer opens one of their own sheets

                def paths(r, session):
                    return f"/reviews/{r.choice(tasks[session.username])}"
            try:
                timings = run(port, name, paths, per_user, users, think)
            except AssertionError as exc:
                print(f"{name:<36} failed: {exc}", flush=True)
                continue
            if len(timings) < 2:
                print(f"{name:<36} failed: no answers", flush=True)
                continue
            p50, p95, p99 = (percentile(timings, p) * 1000 for p in (50, 95, 99))
            floor = floor or p95
            print(f"{name:<36}{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}{p95 / floor:>10.1f}x", flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    args = sys.argv[1:]
    main(int(args[0]) if args else 2000, int(args[1]) if len(args) > 1 else 10,
         float(args[2]) if len(args) > 2 else 1.0, int(args[3]) if len(args) > 3 else 20000)
