"""The benchmark scripts still run (on tiny sizes): they are not part of any other test, so a signature they call
can change under them unseen. Their figures are printed, never asserted (no timed assertion in a test)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("script, args, printed", [
    ("reports.py", ["2"], "ratio to floor"),
    ("batch_screening.py", ["50"], "total/floor"),
    ("survey.py", ["200", "100"], "city top ten"),
    ("startup.py", ["1"], "ratio"),
])  # load.py needs PostgreSQL and gunicorn for minutes: run by hand (its docstring says how)
def test_benchmark_runs_on_a_small_size(script, args, printed, tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert printed in done.stdout
