"""Time batch screening (read + screen + write .xlsx) against calamine's plain read of the same file.

Usage: .venv/bin/python benchmarks/batch_screening.py [ROWS ...]   (default 1000 10000)
Prints figures; asserts nothing.
"""
from __future__ import annotations

import io
import random
import sys
import time
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from budget_eval.intake.domain.rule_files import load_screening_rules  # noqa: E402
from budget_eval.intake.domain.screening_rows import INPUT_HEADERS  # noqa: E402
from budget_eval.intake.batch_screening import read_sheet, screen_table, write_xlsx  # noqa: E402


def make_sheet(rows: int) -> bytes:
    rnd = random.Random(1)
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(list(INPUT_HEADERS))
    for i in range(rows):
        sheet.append([f"项目{i}", "杭州市交通运输局", rnd.choice(["基建投资项目", "其他项目", "政策", "道路"]),
                      rnd.choice(["是", "否"]), rnd.choice([500, "1,200", 19999.99, 25000, "abc"]), rnd.choice(["否", ""])])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def best_of(times: int, work) -> float:
    best = float("inf")
    for _ in range(times):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def main(sizes: list[int]) -> None:
    rules = load_screening_rules(ROOT / "rules" / "screening.yaml")
    print(f"{'rows':>8} {'read floor s':>13} {'read+screen s':>14} {'+write xlsx s':>14} {'total/floor':>12}")
    for rows in sizes:
        data = make_sheet(rows)
        floor = best_of(3, lambda: pd.read_excel(io.BytesIO(data), engine="calamine", dtype=object))
        screened = best_of(3, lambda: screen_table(read_sheet(io.BytesIO(data), "x.xlsx"), rules))
        total = best_of(3, lambda: write_xlsx(screen_table(read_sheet(io.BytesIO(data), "x.xlsx"), rules), io.BytesIO()))
        print(f"{rows:>8} {floor:>13.3f} {screened:>14.3f} {total:>14.3f} {total / floor:>11.1f}x")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000])
