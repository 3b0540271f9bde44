"""Small pieces: no module over 300 lines, no Flask view function over 30 lines (migrations aside: history).

A view function is one decorated with a blueprint's (or the app's) route, get, post, put, patch or delete; its
length runs from its `def` line to its last line (decorators not counted, docstring counted). A long view is
split into a thin view and helpers or operations.
"""
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "budget_eval"
MAX_MODULE, MAX_VIEW = 300, 30
ROUTES = frozenset({"route", "get", "post", "put", "patch", "delete"})


def modules() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py")) if "migrations" not in p.parts]


def is_view(node: ast.AST) -> bool:
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    return any(isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr in ROUTES
               for d in node.decorator_list)


def long_views(code: str, name: str = "<module>") -> list[str]:
    return [f"{name}:{node.lineno} {node.name}() {node.end_lineno - node.lineno + 1}行"
            for node in ast.walk(ast.parse(code)) if is_view(node) and node.end_lineno - node.lineno + 1 > MAX_VIEW]


def test_no_module_over_300_lines():
    long = [f"{p.relative_to(PACKAGE)} {n}行" for p in modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE]
    assert long == []


def test_no_view_function_over_30_lines():
    offences = []
    for path in modules():
        offences += long_views(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE)))
    assert offences == []


def test_the_view_scan_finds_a_long_view():
    body = "".join(f"    x{n} = {n}\n" for n in range(30))
    planted = f'@bp.route("/a", methods=["GET", "POST"])\ndef a():\n{body}\n@bp.get("/b")\ndef b():\n    return 1\n' \
              f"def helper():\n{body}"
    assert [line.split()[1] for line in long_views(planted)] == ["a()"]
