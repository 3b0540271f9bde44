"""Time the social-evaluation import and the hot words on a Hangzhou-2017-sized survey, against floors.

The file: 42,500 respondents × 10 departments (425,000 rows) with 41,664 comments, generated once into
benchmarks/out/. Floors: pandas' plain calamine read of the same file, and jieba's plain segmentation of the
same comments. Uses a temporary SQLite database, or PostgreSQL when BUDGET_EVAL_BENCH_PG_URL is set.
Prints figures; asserts nothing.

Usage: .venv/bin/python benchmarks/survey.py [RESPONDENTS] [COMMENTS]
"""
from __future__ import annotations

import os
import random
import resource
import sys
import tempfile
import time
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


def main(respondents: int, comments: int) -> None:
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    path = out / f"survey_{respondents}x{len(DEPARTMENTS)}_{comments}.xlsx"
    if not path.exists():
        print(f"generating {path.name} ...", flush=True)
        make_file(path, respondents, comments)
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("BUDGET_EVAL_BENCH_PG_URL") or f"sqlite:///{tmp}/bench.sqlite3"
        if url.startswith("postgresql"):
            engine = sa.create_engine(url)
            with engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            engine.dispose()
        app = create_app({"SECRET_KEY": "benchmark", "INSTANCE_PATH": Path(tmp), "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
            db.session.add_all(Department(name=name) for name in DEPARTMENTS)
            db.session.commit()
            year = evaluation.open_year(2017, "hangzhou", TESTER)
            read_floor, table = timed(lambda: pd.read_excel(path, engine="calamine", sheet_name=0, dtype=str))
            rules = evaluation.scheme_of(year).survey

            def import_and_score():
                result = import_responses(year, read_responses(path, path.name), rules, TESTER, hot_words=False)
                return result, evaluation.satisfaction_by_department(year, evaluation.scheme_of(year))

            import_time, (result, scores) = timed(import_and_score)
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
        print(f"database: {url.split(':')[0]}; rows {len(table):,}; imported {result.imported:,}; "
              f"rejected {result.rejected_count:,}; comments {len(texts):,} ({sum(map(len, texts)):,} characters)")
        print(f"{'measure':<46}{'seconds':>10}")
        print(f"{'read floor: pandas.read_excel(calamine)':<46}{read_floor:>10.2f}")
        print(f"{'import + validate + store + score':<46}{import_time:>10.2f}")
        print(f"{'  ratio to read floor (goal < 2x)':<46}{import_time / read_floor:>9.2f}x")
        print(f"{'segmentation floor: jieba.cut of all comments':<46}{floor_seg:>10.2f}")
        print(f"{'  (for comparison) jieba.posseg.cut of all':<46}{posseg_time:>10.2f}")
        print(f"{'hot words, city + every department':<46}{hot_time:>10.2f}")
        print(f"{'  ratio to segmentation floor (goal <= 2x)':<46}{hot_time / floor_seg:>9.2f}x")
        print(f"distinct comments after merging: {analysis.merged:,} of {analysis.comments:,} "
              f"({len({normalise(t) for t in texts}):,} distinct texts)")
        print("city top ten: " + "、".join(f"{w.word}({w.count}{'，并列' if w.tied else ''})" for w in city))
        print("praise: " + "、".join(f"{w.word}({w.count})" for w in analysis.city.praise[:5]))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory of this process (read floor, import and hot words together): {peak:,.0f} MB")
        print("satisfaction: " + "、".join(f"{d}:{s.score}" for d, s in list(scores.items())[:3]) + " …")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(args[0] if args else 42500, args[1] if len(args) > 1 else 41664)
