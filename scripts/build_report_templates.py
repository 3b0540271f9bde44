"""Write every feature's Word templates into report_templates/, from the list in budget_eval/report_templates.py.

Usage: .venv/bin/python scripts/build_report_templates.py [DIRECTORY]   (default report_templates/)
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from budget_eval.report_templates import build_all  # noqa: E402

if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "report_templates"
    for path in build_all(target):
        print(path)
