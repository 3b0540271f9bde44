"""Time the social-evaluation import and the hot words on a Hangzhou-2017-sized survey, against floors.

The file: 42,500 respondents × 10 departments (425,000 rows) with 41,664 comments by default, or any size
(100000 98000 is the issue's 1,000,000 rows), generated once into benchmarks/out/. The import (read, check and
store as it streams, survey_import.import_responses) runs in a child process of its own, so its time and its
peak memory (the child's peak resident set, resource.getrusage) are the import's alone, never the generator's or
another measure's; each floor runs in a child too: calamine's own row read of the sheet (CalamineWorkbook +
iter_rows, the least any calamine import pays) and pandas.read_excel(engine="calamine"). Floors and imports are
measured in the same run. The import runs on a temporary SQLite database, and also on PostgreSQL when
BUDGET_EVAL_BENCH_PG_URL (or --pg URL) is set; that database's public schema is dropped first. Hot words
(against jieba's plain segmentation of the same comments) run afterwards in this process, on the last database.
Prints figures; asserts nothing.

Usage: .venv/bin/python benchmarks/survey.py [RESPONDENTS] [COMMENTS] [--pg URL] [--import-only] [--whole] [--traced]
  --import-only  skip the hot words;  --whole  also time the import of the file read whole first (read_responses),
  for comparison;  --traced  run the streamed import again under tracemalloc for its peak Python heap (slower;
  the time of that run is not printed). A store floor (the same rows, prepared beforehand, written alone in chunks
  in one transaction) shows what the database itself takes.
"""
from __future__ import annotations

import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import jieba  # noqa: E402
import jieba.posseg  # noqa: E402
import pandas as pd  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from budget_eval import create_app  # noqa: E402
from budget_eval.platform.extensions import db  # noqa: E402
from budget_eval.platform.models.department import Department  # noqa: E402
from budget_eval.evaluation import operations as evaluation  # noqa: E402
from budget_eval.evaluation.domain.hotwords import normalise  # noqa: E402
from budget_eval.evaluation.hotwords import compute_year_hot_words  # noqa: E402
from budget_eval.evaluation.sample_comments import generate  # noqa: E402
from budget_eval.evaluation.models import EvaluationYear  # noqa: E402
from budget_eval.evaluation.survey_import import import_responses, read_responses  # noqa: E402
from budget_eval.platform.audit import system  # noqa: E402

TESTER = system("基准测试")

DEPARTMENTS = ["杭州市交通运输局", "杭州市城市管理局", "杭州市教育局", "杭州市卫生健康委员会", "杭州市生态环境局",
               "杭州市民政局", "杭州市公安局", "杭州市市场监督管理局", "杭州市住房保障和房产管理局", "杭州市发展和改革委员会"]
GROUPS = ["党代表", "人大代表", "政协委员", "企业代表", "社区负责人", "市民代表", "市民代表", "市民代表"]
ANSWERS = ["满意"] * 6 + ["比较满意"] * 3 + ["基本满意"] * 2 + ["不满意", "不了解"]


def make_file(path: Path, respondents: int, comments: int) -> None:
    rnd = random.Random(2017)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("问卷")
    sheet.append(["受访者编号", "受访者类别", "被评单位", "评价", "意见建议"])
    total = respondents * len(DEPARTMENTS)
    every = total / comments
    next_comment, row = 0.0, 0
    sample = iter(generate(comments + 10, seed=2017))  # topics wrapped in everyday phrasing, mostly distinct
    for r in range(respondents):
        group = rnd.choice(GROUPS)
        for department in DEPARTMENTS:
            comment = None
            if row >= next_comment:
                comment = next(sample).text
                next_comment += every
            sheet.append([f"HZ{r:06d}", group, department, rnd.choice(ANSWERS), comment])
            row += 1
    book.save(path)


def timed(work):
    start = time.perf_counter()
    value = work()
    return time.perf_counter() - start, value


def child(kind: str, path: Path, url: str = "", tmp: str = "") -> dict:
    """Run one measure in a fresh process: `read` (calamine rows), `pandas` (read_excel), `import` (streamed) or
    `whole` (the whole-file import); its seconds and its peak resident memory."""
    done = subprocess.run([sys.executable, __file__, "--child", kind, str(path), url, tmp], capture_output=True,
                          text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _resident_mb(field: str) -> float:
    """VmHWM (peak so far) or VmRSS of this process, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(kind: str, path: Path, url: str, tmp: str) -> dict:
    figures: dict = {}
    if kind == "read":
        from python_calamine import CalamineWorkbook

        before = _resident_mb("VmHWM")
        start = time.perf_counter()
        rows = sum(1 for _ in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows())
        figures = {"rows": rows - 1}
    elif kind == "pandas":
        before = _resident_mb("VmHWM")
        start = time.perf_counter()
        figures = {"rows": len(pd.read_excel(path, engine="calamine", sheet_name=0, dtype=str))}
    elif kind == "store":
        from python_calamine import CalamineWorkbook

        from budget_eval.evaluation.survey_import import CHUNK_ROWS, _bulk_insert

        app = create_app({"SECRET_KEY": "benchmark", "INSTANCE_PATH": Path(tmp), "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            year = db.session.scalar(sa.select(EvaluationYear).where(EvaluationYear.year == 2017))
            ids = dict(db.session.execute(sa.select(Department.name, Department.id)).tuples().all())
            rows = list(CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows())[1:]
            frame = pd.DataFrame([(year.id, r[0], r[1], ids[r[2]], r[3], r[4] or None) for r in rows],
                                 columns=["year_id", "respondent", "group", "department_id", "answer", "comment"])
            del rows
            before = _resident_mb("VmHWM")
            start = time.perf_counter()
            for at in range(0, len(frame), CHUNK_ROWS):
                _bulk_insert(frame.iloc[at:at + CHUNK_ROWS])
            db.session.commit()
            figures = {"rows": len(frame)}
    else:
        from budget_eval.evaluation.survey_import import stream_responses

        app = create_app({"SECRET_KEY": "benchmark", "INSTANCE_PATH": Path(tmp), "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            year = db.session.scalar(sa.select(EvaluationYear).where(EvaluationYear.year == 2017))
            rules = evaluation.scheme_of(year).survey
            if kind.endswith("-traced"):
                tracemalloc.start()
            before = _resident_mb("VmHWM")
            start = time.perf_counter()
            streamed = kind.startswith("import")
            table = stream_responses(path, path.name) if streamed else read_responses(path, path.name)
            result = import_responses(year, table, rules, TESTER, hot_words=False)  # the words are timed apart
            figures = {"rows": result.read, "imported": result.imported, "rejected": result.rejected_count}
            if kind.endswith("-traced"):
                figures["python_heap_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    figures["seconds"] = time.perf_counter() - start
    figures["baseline_mb"] = before
    figures["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def prepare(url: str, tmp: str) -> None:
    """A fresh database: the schema, the departments and the year the file answers."""
    if url.startswith("postgresql"):
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    else:
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    app = create_app({"SECRET_KEY": "benchmark", "INSTANCE_PATH": Path(tmp), "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        if url.startswith("postgresql") and not _trigram_usable():
            print("note: this role may not use the schema `extensions` (pg_trgm), so the name searches' trigram "
                  "indexes are made as plain indexes here; the survey import does not use them")
            sa.event.listen(db.engine, "before_cursor_execute", _plain_name_indexes, retval=True)
        upgrade()
        db.session.add_all(Department(name=name) for name in DEPARTMENTS)
        db.session.commit()
        evaluation.open_year(2017, "hangzhou", TESTER)
        db.session.remove()
        db.engine.dispose()


def _trigram_usable() -> bool:
    return bool(db.session.scalar(sa.text(
        "SELECT NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'extensions') "
        "OR has_schema_privilege('extensions', 'CREATE')")))


def _plain_name_indexes(conn, cursor, statement, parameters, context, executemany):
    """Migration f1a7c0de2b22 on a database whose `extensions` schema a superuser made without granting it: its
    pg_trgm statements are skipped and its trigram indexes made as plain ones (benchmark only)."""
    if "EXTENSION" in statement and "pg_trgm" in statement:
        return "SELECT 1", parameters
    return re.sub(r'USING gin \(("[^"]+") extensions\.gin_trgm_ops\)', r"(\1)", statement), parameters


def main(respondents: int, comments: int, pg_url: str, hot_words: bool, whole: bool, traced: bool) -> None:
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    path = out / f"survey_{respondents}x{len(DEPARTMENTS)}_{comments}.xlsx"
    if not path.exists():
        print(f"generating {path.name} ...", flush=True)
        make_file(path, respondents, comments)
    read = child("read", path)
    floor = child("pandas", path)
    print(f"rows {read['rows']:,} ({path.name}, {path.stat().st_size / 1e6:.1f} MB)")
    print(f"{'measure':<58}{'seconds':>9}{'x rows':>9}{'x pandas':>9}{'peak MB':>9}{'+MB':>7}")

    def line(label: str, figures: dict) -> None:
        print(f"{label:<58}{figures['seconds']:>9.2f}{figures['seconds'] / read['seconds']:>8.2f}x"
              f"{figures['seconds'] / floor['seconds']:>8.2f}x{figures['peak_mb']:>9,.0f}"
              f"{figures['peak_mb'] - figures['baseline_mb']:>7,.0f}", flush=True)

    print("x rows / x pandas: time as a multiple of each floor; peak MB: the child's peak resident memory; +MB: its "
          "growth over the child's peak before the measure (modules and app loaded)")
    line("floor: calamine rows (CalamineWorkbook + iter_rows)", read)
    line("floor: pandas.read_excel(engine='calamine', dtype=str)", floor)
    with tempfile.TemporaryDirectory() as tmp:
        databases = [f"sqlite:///{tmp}/bench.sqlite3"] + ([pg_url] if pg_url else [])
        for url in databases:
            name = url.split(":")[0].split("+")[0]
            prepare(url, tmp)
            figures = child("import", path, url, tmp)
            line(f"import on {name}: read + check + store, streamed", figures)
            print(f"  {name}: imported {figures['imported']:,}, rejected {figures['rejected']:,}; the child's memory "
                  f"before the import {figures['baseline_mb']:,.0f} MB (app loaded)", flush=True)
            prepare(url, tmp)
            line(f"  store floor on {name} (the rows made beforehand)", child("store", path, url, tmp))
            if whole:
                prepare(url, tmp)
                line(f"  (comparison) file read whole, same import, {name}", child("whole", path, url, tmp))
            if traced:
                prepare(url, tmp)
                heap = child("import-traced", path, url, tmp)["python_heap_mb"]
                print(f"  {name}: the streamed import's peak Python heap (tracemalloc, another run; calamine's own "
                      f"memory is not Python's) {heap:,.0f} MB", flush=True)
        print("goals: import <= 1.5x the calamine floor on SQLite, <= 2x on PostgreSQL; peak memory <= 400 MB")
        app = create_app({"SECRET_KEY": "benchmark", "INSTANCE_PATH": Path(tmp), "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            year = db.session.scalar(sa.select(EvaluationYear).where(EvaluationYear.year == 2017))
            scores = evaluation.satisfaction_by_department(year, evaluation.scheme_of(year))
            print("satisfaction: " + "、".join(f"{d}:{s.score}" for d, s in list(scores.items())[:3]) + " …")
            if hot_words:
                words(year, path)
            db.session.remove()
            db.engine.dispose()


def words(year, path: Path) -> None:
    """Hot words of the imported comments against jieba's plain segmentation of the same comments."""
    table = pd.read_excel(path, engine="calamine", sheet_name=0, dtype=str, usecols=["意见建议"])
    texts = [c for c in table["意见建议"] if isinstance(c, str) and c]
    segmenter = evaluation.segmenter()  # loads the dictionary once, outside both timings
    plain = jieba.Tokenizer()
    plain.initialize()
    floor_seg, _ = timed(lambda: [list(plain.cut(t)) for t in texts])
    tagged = jieba.posseg.POSTokenizer(plain)
    posseg_time, _ = timed(lambda: [list(tagged.cut(t)) for t in texts])
    segmenter.parts.clear()
    segmenter.compounds.clear()
    segmenter._kind.clear()  # noqa: SLF001 (start the hot words cold, as after a restart)
    # what the hot-word job computes for the city and every unit's ranking (evaluation/hotword_job.py)
    hot_time, (_, analysis) = timed(lambda: compute_year_hot_words(year))
    city = analysis.city.criticism
    print(f"comments {len(texts):,} ({sum(map(len, texts)):,} characters)")
    print(f"{'segmentation floor: jieba.cut of all comments':<46}{floor_seg:>10.2f}")
    print(f"{'  (for comparison) jieba.posseg.cut of all':<46}{posseg_time:>10.2f}")
    print(f"{'hot words, city + every department':<46}{hot_time:>10.2f}")
    print(f"{'  ratio to segmentation floor (goal <= 1.5x)':<46}{hot_time / floor_seg:>9.2f}x")
    print(f"distinct comments after merging: {analysis.merged:,} of {analysis.comments:,} "
          f"({len({normalise(t) for t in texts}):,} distinct texts)")
    print("city top ten: " + "、".join(f"{w.word}({w.count}{'，并列' if w.tied else ''})" for w in city))
    print("praise: " + "、".join(f"{w.word}({w.count})" for w in analysis.city.praise[:5]))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        kind, file, url, tmp = sys.argv[2:6]
        print(json.dumps(run_child(kind, Path(file), url, tmp)))
        sys.exit(0)
    flags = {a for a in sys.argv[1:] if a in ("--import-only", "--whole", "--traced")}
    argv = [a for a in sys.argv[1:] if a not in flags]
    pg = os.environ.get("BUDGET_EVAL_BENCH_PG_URL", "")
    if "--pg" in argv:
        at = argv.index("--pg")
        pg, argv = argv[at + 1], argv[:at] + argv[at + 2:]
    numbers = [int(a) for a in argv]
    main(numbers[0] if numbers else 42500, numbers[1] if len(numbers) > 1 else 41664, pg,
         "--import-only" not in flags, "--whole" in flags, "--traced" in flags)
