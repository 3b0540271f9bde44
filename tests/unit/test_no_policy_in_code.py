"""Policy values live in rules/, never in Python: read every module and look for them.

What counts as a policy value here: a label of a rating level, grade or conclusion from any rule file
(优/良/中/差, 优秀/良好/达标, 予以支持 …), a place name from the rules (the city, 杭州), a fractional policy
figure (weights, shares, quotas, rates: 0.7, 0.3, 0.23 …), and a bare integer used as a minimum, cap or
count (`max(n, 3)`, `[:3]`). Migrations (history, frozen on purpose) and the demo data are
not policy. Docstrings and comments may mention values; only code is read.
"""
import ast
from decimal import Decimal
from pathlib import Path

import yaml

from budget_eval.platform.domain.sourced import numbers, unwrap

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "budget_eval"
RULES = ROOT / "rules"
SKIP = {"demo"}  # the demo package: sample figures and texts, not policy


def modules() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py"))
            if not {"migrations", *SKIP} & set(p.relative_to(PACKAGE).parts)]


def rule_files() -> list[dict]:
    paths = sorted(RULES.glob("*.yaml")) + sorted((RULES / "schemes").glob("*.yaml"))
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in paths]


def policy_labels() -> set[str]:
    """Labels of levels, grades, conclusions and answers, and the city's name, from every rule file."""
    labels = set()
    for raw in rule_files():
        data = unwrap(raw)
        labels |= set(data.get("levels") or ())
        labels |= {g["label"] for g in data.get("grades") or ()}
        labels |= {c["label"] for c in data.get("conclusions") or ()}
        labels |= {g["label"] for g in (data.get("grading") or {}).get("grades") or ()}
        if data.get("city_name"):
            labels.add(data["city_name"])
    return labels


def answer_labels() -> set[str]:
    """Survey answers (满意 …): matched whole only, as 满意率 is a word of its own."""
    return {a for raw in rule_files() for a in ((unwrap(raw).get("survey") or {}).get("answers") or {})}


def fractional_figures() -> set[Decimal]:
    return {Decimal(str(n.value)) for raw in rule_files() for n in numbers(raw)
            if Decimal(str(n.value)) != Decimal(str(n.value)).to_integral_value()}


def docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def as_decimal(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return Decimal(str(value).strip())
    except ArithmeticError:
        return None


def small_int_as_rule(node: ast.AST) -> bool:
    """`max(x, 3)`, `min(x, 5)`, `xs[:3]`: a small integer standing for a minimum, a cap or a count of items.
    (Larger literals in slices are text lengths, 80 or 5000 characters: not policy.)"""
    def literal(n):
        return isinstance(n, ast.Constant) and type(n.value) is int and 2 <= n.value <= 9

    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("max", "min"):
        return any(literal(a) for a in node.args)
    if isinstance(node, ast.Slice):
        return literal(node.upper) or literal(node.lower)
    return False


# Not policy, each for its reason: (module, line's text fragment)
ALLOWED = {
    ("platform/file_store.py", "key[:2]"),  # the file store's two-character subfolders
    ("assessment/documents/charts.py", "0.2"),  # chart geometry: where a label counts as vertical
    ("assessment/documents/context.py", "0.1"),  # percentages shown to one decimal
    ("assessment/documents/context.py", "scoring.grades[2:]"),  # the grades below 良, in the rules' own order
    ("assessment/documents/dimensions.py", "0.1"),  # percentages shown to one decimal
    ("assessment/documents/dimensions.py", "scoring.grades[2:]"),  # the grades below 良, in the rules' own order
    ("assessment/documents/narrative.py", "第五条判定评估范围"),  # the cited document's title, as published
    ("assessment/documents/report_template.py", "根据《杭州市预算"),  # the template's opening, citing that title
    ("intake/batch_screening.py", "_display_width"),  # column widths in characters
    ("intake/batch_screening.py", "next(outcomes)[:2]"),  # the first two fields of a result tuple
    ("intake/domain/screening_rows.py", ")[:2]"),  # the first two fields of a result tuple
    ("platform/table_sources.py", "seen[:3]"),  # how many sheets an error message names
    ("platform/tables.py", "[:3], first_named"),  # the reader looks for a 合计 label in the first columns
}


def test_no_policy_value_in_any_python_module():
    labels, figures, answers = policy_labels(), fractional_figures(), answer_labels()
    assert {"优", "良", "中", "差", "优秀", "杭州", "予以支持"} <= labels and "比较满意" in answers
    assert {Decimal("0.7"), Decimal("0.3"), Decimal("0.20")} <= figures
    offenders = []
    for path in modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = docstrings(tree)
        where = path.relative_to(PACKAGE)
        lines = path.read_text(encoding="utf-8").splitlines()
        allowed = [fragment for module, fragment in ALLOWED if module == str(where)]
        for node in ast.walk(tree):
            if hasattr(node, "lineno") and any(f in lines[node.lineno - 1] for f in allowed):
                continue
            if small_int_as_rule(node):
                offenders.append(f"{where}:{node.lineno} 整数下限/上限/条数 {ast.unparse(node)}")
            if not isinstance(node, ast.Constant) or id(node) in skip:
                continue
            value = node.value
            if isinstance(value, str) and (value in labels | answers or any(len(l) > 1 and l in value for l in labels)):
                offenders.append(f"{where}:{node.lineno} 文字 {value!r}")
            number = as_decimal(value)
            if number is not None and number in figures:
                offenders.append(f"{where}:{node.lineno} 数字 {value!r}")
    assert offenders == []


def test_the_scan_would_find_the_values_it_looks_for(tmp_path):
    """The scan is not vacuous: the values this issue moved out of Python are caught when put back."""
    labels, figures = policy_labels(), fractional_figures()
    code = ('LEVELS = ("优", "良", "中", "差")\nW = Decimal("0.7"), Decimal("0.3")\nCITY = "杭州"\n'
            'n = max(rules.trim_min_reviewers, 3)\nheaders = components[:3]\n')
    tree = ast.parse(code)
    found = [n for n in ast.walk(tree) if small_int_as_rule(n)
             or isinstance(n, ast.Constant) and (n.value in labels or as_decimal(n.value) in figures)]
    assert len(found) == 4 + 2 + 1 + 2
