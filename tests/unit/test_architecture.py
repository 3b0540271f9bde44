"""Structural rules: no policy figure in Python code (layering and the pure domain: test_layers.py)."""
import ast
from pathlib import Path

import pytest
import yaml

PACKAGE = Path(__file__).resolve().parents[2] / "budget_eval"
RULES = Path(__file__).resolve().parents[2] / "rules"


# the pure-domain rule (no Flask or ORM in */domain/*) lives in test_layers.py with the import graph


def threshold_figures() -> set[str]:
    """Every threshold in rules/screening.yaml, as digits (20000) and as a 亿/万 phrase (2亿, 1000万)."""
    data = yaml.safe_load((RULES / "screening.yaml").read_text(encoding="utf-8"))
    figures = set()
    for category in data["categories"]:
        wan = int(category["threshold_wan"]["value"])
        figures |= {str(wan), f"{wan}万", f"{wan:,}"}
        if wan >= 10000:
            figures.add(f"{wan // 10000}亿")
    return figures


def test_no_threshold_figure_in_python_code():
    figures = threshold_figures()
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts or path.name in ("demo.py", "demo_data.py"):  # demo amounts are data
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and not isinstance(node.value, bool):
                text = str(node.value)
                if (isinstance(node.value, int | float) and text in figures) or (
                    isinstance(node.value, str) and any(f in text for f in figures if not f.isdigit())
                ):
                    offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {text!r}")
    assert offenders == []
