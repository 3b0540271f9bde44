"""Time create_app against the import of the web stack alone (flask + flask_sqlalchemy + sqlalchemy + wtforms),
each in a fresh interpreter (best of N), and list the heavy libraries create_app has loaded by the end.
Goal (issue 22): create_app ≤ 1.5× the floor. Prints figures; asserts nothing.

Both are measured as a deployed server starts: with the bytecode of every module already cached (one untimed run
first, PYTHONDONTWRITEBYTECODE lifted for the runs), else the app's own source would be compiled on each start
while the libraries' bytecode was cached when pip installed them.

Usage: .venv/bin/python benchmarks/startup.py [RUNS]   (default 5)
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("pandas", "numpy", "openpyxl", "docxtpl", "docx", "lxml", "PIL", "jieba", "matplotlib", "python_calamine", "huey",
         "alembic")

FLOOR = """
import time
start = time.perf_counter()
import flask, flask_sqlalchemy, sqlalchemy, wtforms, flask_wtf
print(time.perf_counter() - start)
"""

APP = """
import sys, time
start = time.perf_counter()
from budget_eval import create_app
create_app({{"SECRET_KEY": "benchmark", "INSTANCE_PATH": {instance!r}}})
print(time.perf_counter() - start)
print(",".join(m for m in {heavy!r} if m in sys.modules))
"""


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def best(code: str, runs: int) -> tuple[float, str]:
    times, extra = [], ""
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ENV, capture_output=True, check=True)  # bytecode
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ENV, capture_output=True, text=True,
                             check=True)
        lines = out.stdout.strip().splitlines()
        times.append(float(lines[0]))
        extra = lines[1] if len(lines) > 1 else ""
    return min(times), extra


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        floor, _ = best(FLOOR, runs)
        app, heavy = best(APP.format(instance=tmp, heavy=HEAVY), runs)
    print(f"{'measure (best of ' + str(runs) + ', fresh interpreter)':<52}{'seconds':>9}")
    print(f"{'floor: import flask, flask_sqlalchemy, sqlalchemy, wtforms':<52}{floor:>9.3f}")
    print(f"{'create_app (imports included)':<52}{app:>9.3f}")
    print(f"{'  ratio (goal <= 1.5x)':<52}{app / floor:>8.2f}x")
    print(f"heavy libraries loaded by create_app: {heavy or 'none'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
